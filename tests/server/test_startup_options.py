"""Process-wide changes the server makes at start are options, not side effects of requests."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.server.conftest import RunningServer, ServerDirs, StartServer

CTYPES = "_ctypes"  # the extension ctypes maps; it is loaded only to tune malloc


def mapped(server: RunningServer) -> str:
    return Path(f"/proc/{server.process.pid}/maps").read_text()


def help_all(server_dirs: ServerDirs) -> str:
    import subprocess

    from tests.server.conftest import carnet_command

    return subprocess.run(
        carnet_command("notebook", "--help-all"),
        env=server_dirs.env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


def test_malloc_is_tuned_at_start_and_the_option_turns_it_off(
    start_server: StartServer,
) -> None:
    tuned = start_server()
    assert CTYPES in mapped(tuned)  # before any request
    untuned = start_server("--NotebookApp.malloc_tuning=False")
    with untuned.client() as http:
        nb = {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        big = {"type": "file", "format": "text", "content": "x" * (2 << 20)}
        http.put("api/contents/a.ipynb", json={"type": "notebook", "content": nb})
        assert http.put("api/contents/big.txt", json=big).status_code in (200, 201)
        assert http.get("api/contents/big.txt").json()["size"] == 2 << 20
    assert CTYPES not in mapped(untuned)


def test_clean_up_after_dead_servers_is_an_option(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    server_dirs.runtime.mkdir(parents=True, exist_ok=True)
    stale = server_dirs.runtime / "kernel-stale.json"
    stale.write_text("{}")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    start_server("--NotebookApp.kill_orphaned_kernels=False")
    assert stale.exists()
    start_server()
    assert not stale.exists()


def test_both_options_are_documented(server_dirs: ServerDirs) -> None:
    text = help_all(server_dirs)
    assert "--NotebookApp.malloc_tuning=<Bool>" in text
    assert "--NotebookApp.kill_orphaned_kernels=<Bool>" in text
    assert "SIGKILL" in text
