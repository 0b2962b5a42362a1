"""Terminal test servers run /bin/sh as the default shell ($SHELL).

The user's shell start-up files (a slow ~/.bashrc, say) are not what these
tests are about, and sh is on every machine.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conftest import RunningServer, ServerDirs, StartServer


@pytest.fixture
def start_terminal_server(start_server: StartServer, server_dirs: ServerDirs) -> StartServer:
    def start(*args: str, **kwargs: Any) -> RunningServer:
        kwargs.setdefault("env", server_dirs.env(SHELL="/bin/sh"))
        return start_server(*args, **kwargs)

    return start


@pytest.fixture
def server(start_terminal_server: StartServer) -> RunningServer:
    return start_terminal_server()
