from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from carnet.client.kernelspec import KernelSpec
from carnet.client.manager import PORT_ATTEMPTS, PORT_TAKEN
from carnet.client.ports import new_connection_info
from carnet.connection_files import write_connection_file
from carnet.protocol.connection_file import CHANNELS, ConnectionInfo
from tests.client.kernels import python_specs
from tests.support.procs import thread_states
from tests.support.waiting import wait_until


@pytest.fixture(autouse=True)
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Connection files of the tests go to a private runtime directory."""
    directory = tmp_path / "runtime"
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(directory))
    return directory


@dataclass
class RunningKernel:
    spec: KernelSpec
    info: ConnectionInfo
    connection_file: Path
    process: subprocess.Popen[bytes]
    stderr_path: Path

    def threads_dump(self) -> str:
        """What a stuck kernel's threads are doing: each one's name and where the OS has it
        waiting, then Python's stacks from faulthandler (on in every kernel started here,
        written to stderr on SIGABRT, which ends the kernel; a kernel that captures its
        stderr, as ipykernel does, loses them), then the rest of its stderr."""
        threads = thread_states(self.process.pid)
        self.process.send_signal(signal.SIGABRT)
        self.process.wait(10)
        return "\n".join(threads) + "\n" + self.stderr_path.read_text(errors="replace")


def launch(spec: KernelSpec, runtime_dir: Path) -> RunningKernel:
    """Start a kernel the way any Jupyter tool would: a connection file and its argv.

    Returns once the kernel listens. Ports are chosen free but may be taken before the
    kernel binds them (by any outgoing connection): then new ones are chosen, as
    Carnet's KernelManager does (PORT_ATTEMPTS).
    """
    runtime_dir.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, PORT_ATTEMPTS + 1):
        info = new_connection_info(kernel_name=spec.name)
        path = write_connection_file(info, runtime_dir / "kernel-test.json")
        argv = [a.replace("{connection_file}", str(path)) for a in spec.argv]
        stderr_path = runtime_dir / f"kernel-test-{attempt}.stderr"
        with stderr_path.open("wb") as stderr:
            process = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,
                env={**os.environ, "PYTHONFAULTHANDLER": "1"},
            )
        if _wait_listening(info, process, stderr_path):
            return RunningKernel(spec, info, path, process, stderr_path)
        errors = stderr_path.read_text(errors="replace")
        if PORT_TAKEN not in errors or attempt == PORT_ATTEMPTS:
            _stop(RunningKernel(spec, info, path, process, stderr_path))
            raise RuntimeError(f"kernel {spec.name} did not start:\n{errors}")
    raise AssertionError("unreachable")


def _wait_listening(
    info: ConnectionInfo, process: subprocess.Popen[bytes], stderr_path: Path
) -> bool:
    """Whether the kernel listens on all its ports (False: it exited, or cannot bind one).

    ipykernel that cannot bind its iopub or heartbeat port says so and hangs: it is
    killed here, as one that exits would be gone.
    """
    ports = {info.port(channel) for channel in CHANNELS}

    def port_taken() -> bool:
        return PORT_TAKEN in stderr_path.read_text(errors="replace")

    # Roomy: a loaded machine imports slowly.
    wait_until(
        lambda: process.poll() is not None or ports <= _listening_ports() or port_taken(),
        timeout=60,
        what=f"kernel {info.kernel_name} to listen on {sorted(ports)}",
    )
    if process.poll() is None and port_taken():
        process.kill()
        process.wait(10)
    return process.poll() is None


def _listening_ports() -> set[int]:
    """Local TCP ports in the LISTEN state (0A), from /proc/net/tcp."""
    ports = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if fields[3] == "0A":
            ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def _stop(running: RunningKernel) -> None:
    running.process.kill()
    running.process.wait(10)


@pytest.fixture(params=python_specs(), ids=lambda spec: spec.name)
def kernel(request: pytest.FixtureRequest, runtime_dir: Path) -> Iterator[RunningKernel]:
    """A fresh kernel for one test (for tests that end it)."""
    running = launch(request.param, runtime_dir)
    try:
        yield running
    finally:
        _stop(running)


@pytest.fixture(scope="module", params=python_specs(), ids=lambda spec: spec.name)
def shared_kernel(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningKernel]:
    """One kernel per module and kind, for tests that leave it usable (saves starts)."""
    running = launch(request.param, tmp_path_factory.mktemp("runtime"))
    try:
        yield running
    finally:
        _stop(running)
