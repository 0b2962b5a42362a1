"""An idle server loads only what serving needs; the rest comes with its first use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.server.conftest import RunningServer, ServerDirs

# Extension modules visible in the process's memory map.
SQLITE = "_sqlite3"
WEBSOCKETS = "websockets/speedups"

BUILD_SERVER = """
import sys
from carnet.server import runner
from carnet.server.app import create_app
from carnet.server.config.resolve import settings_from_argv
settings = settings_from_argv([f"--notebook-dir={sys.argv[1]}", "--NotebookApp.token=t"])
server = runner._uvicorn_server(create_app(settings), settings)
# click and multiprocessing are no longer asked about: `import uvicorn` (its public API)
# loads them, and the fake bare `uvicorn` package that kept them out (about 2.5 MB)
# relied on uvicorn's internals, so it went. It would load watchfiles too (0.8 MiB):
# Carnet depends on uvicorn without its [standard] extra, so that is not installed.
lazy = ("sqlite3", "websockets", "ctypes", "watchfiles")
print(sorted(m for m in lazy if m in sys.modules))
from uvicorn import Config  # what uvicorn's own lifespan module does
import uvicorn
print(Config is type(server.config), callable(uvicorn.run))
"""


def mapped(server: RunningServer) -> str:
    return Path(f"/proc/{server.process.pid}/maps").read_text()


def test_websockets_sqlite_ctypes_and_a_file_watcher_are_not_imported(
    server_dirs: ServerDirs,
) -> None:
    out = subprocess.run(
        [sys.executable, "-c", BUILD_SERVER, str(server_dirs.root)],
        env=server_dirs.env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    assert out == ["[]", "True True"]


def test_sqlite_is_loaded_when_trust_is_first_needed(server: RunningServer) -> None:
    maps = mapped(server)
    assert SQLITE not in maps and WEBSOCKETS not in maps  # the reloader: see BUILD_SERVER
    with server.client() as http:
        nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        http.put("api/contents/a.ipynb", json={"type": "notebook", "content": nb})
        model = http.get("api/contents/a.ipynb").json()
    assert model["content"]["cells"] == []
    assert SQLITE in mapped(server)
    assert (server.dirs.data / "nbsignatures.db").exists()
