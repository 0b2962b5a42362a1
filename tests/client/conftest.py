from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from carnet.client.kernelspec import KernelSpec
from carnet.client.ports import new_connection_info
from carnet.connection_files import write_connection_file
from carnet.protocol.connection_file import ConnectionInfo
from tests.client.kernels import python_specs


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


def launch(spec: KernelSpec, runtime_dir: Path) -> RunningKernel:
    """Start a kernel the way any Jupyter tool would: a connection file and its argv."""
    info = new_connection_info(kernel_name=spec.name)
    path = write_connection_file(info, runtime_dir / "kernel-test.json")
    argv = [a.replace("{connection_file}", str(path)) for a in spec.argv]
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, start_new_session=True)
    return RunningKernel(spec, info, path, process)


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
