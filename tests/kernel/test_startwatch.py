"""A kernel whose start hangs writes every thread's stack to its real stderr."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from carnet.client.blocking import BlockingKernelClient
from carnet.connection_files import read_connection_file, write_connection_file
from carnet.protocol.connection_file import ConnectionInfo
from tests.kernel.import_gate import ImportGate
from tests.support.waiting import wait_until


class StderrReader:
    """Collects a process's stderr on a thread, so a test can wait for a line."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stderr is not None
        self._stream = process.stderr
        self.text = ""
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for line in iter(self._stream.readline, b""):
            self.text += line.decode("utf-8", "replace")

    def close(self) -> None:
        """Once the process has exited: the rest of its stderr, and the pipe closed."""
        self._thread.join(10)
        self._stream.close()


def _kernel(gate: ImportGate, path: Path, dump_after: str) -> subprocess.Popen[bytes]:
    write_connection_file(ConnectionInfo(0, 0, 0, 0, 0, key="k"), path)
    env = {**gate.env(), "CARNET_KERNEL_STARTUP_DUMP": dump_after}
    return subprocess.Popen(
        [sys.executable, "-m", "carnet.kernel", "-f", str(path)],
        env=env,
        stderr=subprocess.PIPE,
    )


def test_a_start_held_up_dumps_every_threads_stack(tmp_path: Path) -> None:
    gate = ImportGate(tmp_path / "gate")
    process = _kernel(gate, tmp_path / "kernel.json", "1")
    stderr = StderrReader(process)
    try:
        gate.wait_reached()
        # Where it hangs: the import thread, waiting in the gate's exec_module.
        wait_until(lambda: "exec_module" in stderr.text, timeout=30, what="a stack dump")
        assert "Timeout (0:00:01)!" in stderr.text
        assert "_preload" in stderr.text  # the IPython import thread's function
    finally:
        gate.open()
        process.kill()
        process.wait(10)
        stderr.close()


def test_a_start_that_ends_disarms_the_watch(tmp_path: Path) -> None:
    gate = ImportGate(tmp_path / "gate")
    path = tmp_path / "kernel.json"
    process = _kernel(gate, path, "600")
    stderr = StderrReader(process)
    try:
        gate.wait_reached()
        gate.open()
        wait_until(
            lambda: read_connection_file(path).shell_port != 0,
            timeout=30,
            what="the kernel's ports in its connection file",
        )
        with BlockingKernelClient.from_connection_file(path) as client:
            client.wait_for_ready(30)
            # The first execute waits for the shell; once it is built, nothing is armed.
            reply = client.execute(
                "from carnet.kernel import startwatch\nassert startwatch._target is None"
            )
            assert reply.content["status"] == "ok", reply.content
    finally:
        process.kill()
        process.wait(10)
        stderr.close()
    assert "Timeout" not in stderr.text
