"""Shared helpers for the reliability tests: process probes from /proc, fake kernels.

The servers themselves come from tests/server/conftest.py (`launch`, `ServerDirs`):
real `carnet notebook` subprocesses on 127.0.0.1, each on the port it picked.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import RunningServer, ServerDirs, launch

# Re-exported for the reliability tests; shared with bench/.
from tests.support.procs import children as children
from tests.support.procs import rss_kib as rss_kib
from tests.support.servers import LAUNCHED, LOG_FAILURES

# Servers these tests started (by path of their log), and how much of each log is checked.
_watched: dict[Path, int] = {}


def _watch(servers: list[RunningServer]) -> None:
    for server in servers:
        _watched.setdefault(server.log_path, 0)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    """Servers started by this directory's fixtures, module-scoped ones included."""
    first = len(LAUNCHED)
    yield
    _watch(LAUNCHED[first:])


@pytest.fixture(autouse=True)
def server_logs_are_clean() -> Iterator[None]:
    """After each test, what every server of these tests wrote meanwhile has no traceback."""
    first = len(LAUNCHED)
    yield
    _watch(LAUNCHED[first:])
    for path, checked in list(_watched.items()):
        try:
            log = path.read_text(errors="replace")
        except FileNotFoundError:
            continue
        new, _watched[path] = log[checked:], len(log)
        for failure in LOG_FAILURES:
            where = new.find(failure)
            assert where < 0, f"server log ({path}):\n{new[max(0, where - 500) :][:5000]}"


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def is_running(pid: int) -> bool:
    """Alive and not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def install_kernelspec(dirs: ServerDirs, name: str, argv: list[str]) -> None:
    """A kernelspec in the server's data dir."""
    spec_dir = dirs.data / "kernels" / name
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {"argv": argv, "display_name": name, "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))


def start_kernel(http: httpx.Client, name: str | None = None) -> str:
    response = http.post("api/kernels", json={"name": name} if name else {})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def python_kernel_argv() -> list[str]:
    return [sys.executable, "-m", "carnet.kernel", "-f", "{connection_file}"]


@pytest.fixture
def dirs(tmp_path: Path) -> ServerDirs:
    return ServerDirs(tmp_path)


@pytest.fixture
def running(dirs: ServerDirs) -> Iterator[RunningServer]:
    server = launch(dirs)
    yield server
    server.stop()


@pytest.fixture
def http(running: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=running.url, headers=running.auth_headers, timeout=60) as client:
        yield client
