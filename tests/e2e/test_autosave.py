"""Autosave at the configured interval (NotebookApp.autosave_interval), without checkpoints."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import code, edit_cell, open_notebook, require_browser, write_notebook
from tests.server.conftest import RunningServer, ServerDirs, launch


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    require_browser()
    running = launch(
        ServerDirs(tmp_path_factory.mktemp("autosave")), "--NotebookApp.autosave_interval=1"
    )
    yield running
    running.stop()


def test_autosave_saves_changes_without_a_checkpoint(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "auto.ipynb", [code("1")])
    open_notebook(page, server, path)
    assert page.evaluate("window.carnet.config.autosaveInterval") == 1
    for text in ["'autosaved text'", "'again'"]:
        edit_cell(page, 0, text)
        deadline = time.monotonic() + 10
        while text not in (server.root_dir / path).read_text():
            assert time.monotonic() < deadline, "no autosave within 10 s"
            time.sleep(0.1)
        with server.client() as client:
            checkpoints = client.get(f"api/contents/{path}/checkpoints").json()
        if text == "'autosaved text'":
            first = checkpoints  # the server keeps one checkpoint from the first save
    # Autosaves never move the checkpoint: only a manual save does.
    assert checkpoints == first
    page.wait_for_function("!window.carnet.notebook.model.dirty")
