"""Trust test fixtures: a private Jupyter data directory, notebooks, Jupyter's own notary.

The real server fixtures come from tests/server/conftest.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from carnet.trust import Notary
from tests.server.conftest import server, server_dirs, start_server

__all__ = ["server", "server_dirs", "start_server"]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "jupyter-data"


@pytest.fixture
def notary(data_dir: Path) -> Iterator[Notary]:
    made = Notary(data_dir)
    yield made
    made.close()


@contextmanager
def jupyter_notary(data_dir: Path) -> Iterator[Any]:
    """nbformat's NotebookNotary on the same data directory, its database closed after.

    Closed through its store: nbformat 5.10.0, our oldest, has no NotebookNotary.close().
    """
    from nbformat.sign import NotebookNotary

    data_dir.mkdir(parents=True, exist_ok=True)  # Jupyter's notary expects it to exist
    notary = NotebookNotary(data_dir=str(data_dir))
    try:
        yield notary
    finally:
        notary.store.close()


def rich_notebook(html: str = "<b>bold</b>", *, trusted_mark: bool | None = None) -> dict[str, Any]:
    """A v4.5 notebook: a code cell with rich output, a stream-only cell, a markdown cell."""
    rich_meta: dict[str, Any] = {} if trusted_mark is None else {"trusted": trusted_mark}
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": [
            {
                "cell_type": "code",
                "id": "rich",
                "execution_count": 1,
                "metadata": rich_meta,
                "source": "from IPython.display import HTML\nHTML(s)",
                "outputs": [
                    {
                        "output_type": "execute_result",
                        "execution_count": 1,
                        "metadata": {},
                        "data": {"text/html": html, "text/plain": "<HTML>"},
                    }
                ],
            },
            {
                "cell_type": "code",
                "id": "stream",
                "execution_count": 2,
                "metadata": {},
                "source": "print('hi')",
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "hi\n"}],
            },
            {"cell_type": "markdown", "id": "md", "metadata": {}, "source": "# Title\nété ✓"},
        ],
    }


def write(path: Path, nb: dict[str, Any]) -> Path:
    path.write_text(json.dumps(nb, indent=1))
    return path
