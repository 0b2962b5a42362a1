"""The real notebook server as a subprocess (tests/support/servers.py), for tests over HTTP.

`server` starts a fresh one per test; `start_server` (a factory fixture) starts
others with extra arguments, config files or environment. Each server gets its own
JUPYTER_CONFIG_DIR, JUPYTER_DATA_DIR and JUPYTER_RUNTIME_DIR, listens on
127.0.0.1 only on the port it picks (--port=0), and is stopped (SIGTERM, then SIGKILL)
when the test ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.servers import (
    START_TIMEOUT,
    RunningServer,
    ServerDirs,
    carnet_command,
    launch,
    wait_for_info,
    wait_ready,
)

# The servers themselves are tests.support.servers' (shared with bench/); re-exported here
# for the tests that import them from this conftest.
__all__ = [
    "START_TIMEOUT",
    "RunningServer",
    "ServerDirs",
    "StartServer",
    "carnet_command",
    "launch",
    "wait_for_info",
    "wait_ready",
]

StartServer = Callable[..., RunningServer]


@pytest.fixture
def server_dirs(tmp_path: Path) -> ServerDirs:
    return ServerDirs(tmp_path)


@pytest.fixture
def start_server(server_dirs: ServerDirs) -> Iterator[StartServer]:
    """A factory: start_server(*args, token=None, env=None, dirs=None) -> RunningServer."""
    started: list[RunningServer] = []

    def start(*args: str, dirs: ServerDirs | None = None, **kwargs: Any) -> RunningServer:
        server = launch(dirs or server_dirs, *args, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(start_server: StartServer) -> RunningServer:
    """A fresh server on the port it picked, with a random token."""
    return start_server()
