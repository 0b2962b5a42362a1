"""The server as PID 1 of a container (a PID namespace): kernels work, nothing stays a zombie.

tests/server/test_lifecycle.py::test_as_pid_1_orphans_are_reaped proves the reaper
alone; this adds kernels: started, running code that orphans processes,
SIGKILLed and restarted, shut down.
"""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.reliability.conftest import children, is_running
from tests.reliability.test_kernel_faults import statuses_until
from tests.server.conftest import RunningServer, ServerDirs, carnet_command
from tests.server.kernels.wsclient import KernelSocket, stdout_of
from tests.support.waiting import wait_until

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="a PID namespace needs root")


def zombies_of(pid: int) -> list[int]:
    return [p for p in children(pid) if not is_running(p) and os.path.exists(f"/proc/{p}")]


@pytest.fixture
def pid1_server(dirs: ServerDirs) -> Iterator[tuple[RunningServer, int]]:
    token = "pid1-token"
    log_path = dirs.base / "server.log"
    command = [
        "unshare", "--pid", "--fork", "--mount-proc",
        *carnet_command(
            "notebook", "--no-browser", "--port=0", "--ip=127.0.0.1",
            f"--notebook-dir={dirs.root}", f"--NotebookApp.token={token}",
        ),
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        wrapper = subprocess.Popen(command, env=dirs.env(), stdout=log, stderr=subprocess.STDOUT)
    try:
        info_file = dirs.runtime / "jpserver-1.json"
        wait_until(info_file.exists, 20, "the server (PID 1) to start")
        server_pid = wait_until(lambda: sorted(children(wrapper.pid)), 5)[0]
        import json

        info: dict[str, Any] = wait_until(lambda: _read(info_file, json), 5)
        server = RunningServer(wrapper, dirs, log_path, token, info)
        wait_until(lambda: _answers(server), 20, "the server to answer")
        yield server, server_pid
    finally:
        if wrapper.poll() is None:
            with_pid = sorted(children(wrapper.pid))
            for pid in with_pid:
                os.kill(pid, signal.SIGTERM)
            try:
                wrapper.wait(15)
            except subprocess.TimeoutExpired:
                wrapper.kill()
                wrapper.wait(5)


def _is_kernel(pid: int) -> bool:
    try:
        return b"carnet.kernel" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _read(path: Any, json: Any) -> Any:
    try:
        return json.loads(path.read_text())
    except ValueError:
        return None


def _answers(server: RunningServer) -> bool:
    try:
        return httpx.get(server.url + "api/status", headers=server.auth_headers).status_code == 200
    except httpx.TransportError:
        return False


def test_kernels_run_and_nothing_stays_a_zombie_under_pid_1(
    pid1_server: tuple[RunningServer, int],
) -> None:
    server, server_pid = pid1_server
    with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=60) as http:
        kernel_id = http.post("api/kernels", json={}).json()["id"]
        with KernelSocket(server, kernel_id) as sock:
            assert stdout_of(sock.execute("import os; print(os.getpid() > 1)")) == "True\n"
            # Orphans made inside the kernel are re-parented to PID 1: the server.
            sock.execute(
                "import subprocess\n"
                "for _ in range(5): subprocess.Popen(['sh', '-c', 'sleep 0.2 & exit 0']).wait()"
            )
            # A kernel SIGKILLed under PID 1 is reaped and restarted.
            kernel_pid = next(p for p in children(server_pid) if _is_kernel(p))
            os.kill(kernel_pid, signal.SIGKILL)
            assert "restarting" in statuses_until(sock, "restarting")
            wait_until(
                lambda: http.get(f"api/kernels/{kernel_id}").json()["execution_state"] == "idle",
                20,
                "the kernel to restart",
            )
            assert stdout_of(sock.execute("print('back')")) == "back\n", server.output()
        # The orphaned sleeps have ended and been reaped: only the live kernel is left (a
        # zombie's cmdline is empty, so it does not count as the kernel).
        wait_until(
            lambda: all(_is_kernel(p) and is_running(p) for p in children(server_pid)),
            10,
            "the orphans to end and be reaped",
        )
        assert not zombies_of(server_pid)
        assert http.delete(f"api/kernels/{kernel_id}").status_code == 204
    wait_until(lambda: not children(server_pid), 10, "the kernel to be gone, reaped")
