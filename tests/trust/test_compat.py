"""Carnet and Jupyter (nbformat.sign) trust each other's notebooks, sharing one data dir."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import nbformat
import pytest

from carnet.nbfile import notebooks
from carnet.trust import Notary
from tests.trust import corpus
from tests.trust.conftest import jupyter_notary, rich_notebook, write


def carnet_read(path: Path) -> dict[str, Any]:
    """A notebook file as Carnet's contents service reads it."""
    return notebooks.parse(path.read_bytes(), path.name)


def samples(tmp_path: Path) -> list[Path]:
    """Notebooks of assorted shapes: written by nbformat, by hand, and the whole corpus."""
    made = [write(tmp_path / "rich.ipynb", rich_notebook())]
    nb = nbformat.v4.new_notebook(metadata={"language_info": {"name": "python"}})
    cell = nbformat.v4.new_code_cell("x = 1.5\nx", execution_count=3)
    cell.outputs = [
        nbformat.v4.new_output(
            "execute_result",
            data={"text/plain": "1.5", "application/json": {"a": [1, 2.5, None, True, "ü"]}},
            execution_count=3,
        ),
        nbformat.v4.new_output("error", ename="E", evalue="v", traceback=["line 1", "line 2"]),
    ]
    nb.cells = [cell, nbformat.v4.new_raw_cell("raw\ntext\n")]
    by_nbformat = tmp_path / "nbformat.ipynb"
    nbformat.write(nb, str(by_nbformat))  # on-disk form: lists of lines
    made.append(by_nbformat)
    for name in corpus.names():
        made.append(tmp_path / f"{name}.ipynb")
        made[-1].write_text(corpus.load(name, "http://127.0.0.1:9/hit"))
    return made


def test_signatures_are_byte_identical_to_jupyters(tmp_path: Path, notary: Notary) -> None:
    data_dir = notary.data_dir
    assert data_dir is not None
    paths = samples(tmp_path)
    with jupyter_notary(data_dir) as theirs:
        for path in paths:
            expected = theirs.compute_signature(nbformat.read(str(path), 4))
            assert notary.compute_signature(carnet_read(path)) == expected, path.name


def test_a_notebook_jupyter_signed_is_trusted_by_carnet(tmp_path: Path, notary: Notary) -> None:
    assert notary.data_dir is not None
    paths = samples(tmp_path)
    signed, unsigned = paths[::2], paths[1::2]
    with jupyter_notary(notary.data_dir) as theirs:
        for path in signed:
            theirs.sign(nbformat.read(str(path), 4))
    for path in signed:
        nb = carnet_read(path)
        notary.mark(nb, path.name)
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert code and all(c["metadata"]["trusted"] is True for c in code), path.name
    for path in unsigned:
        assert not notary.is_signed(carnet_read(path)), path.name


def test_a_notebook_carnet_signed_is_trusted_by_jupyter(tmp_path: Path, notary: Notary) -> None:
    assert notary.data_dir is not None
    paths = samples(tmp_path)
    signed, unsigned = paths[1::2], paths[::2]
    for path in signed:
        assert notary.trust(carnet_read(path))
    with jupyter_notary(notary.data_dir) as theirs:
        for path in signed:
            assert theirs.check_signature(nbformat.read(str(path), 4)), path.name
        for path in unsigned:
            assert not theirs.check_signature(nbformat.read(str(path), 4)), path.name


def test_carnet_creates_the_secret_and_database_jupyter_uses(notary: Notary) -> None:
    nb = rich_notebook()
    notary.trust(nb)
    data_dir = notary.data_dir
    assert data_dir is not None
    secret_file = data_dir / "notebook_secret"
    assert secret_file.stat().st_mode & 0o777 == 0o600
    with jupyter_notary(data_dir) as theirs:
        assert theirs.secret == secret_file.read_bytes()
        assert theirs.check_signature(nbformat.from_dict(json.loads(json.dumps(nb))))


def _schema(db_file: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db_file) as db:
        rows = db.execute("SELECT type, name, tbl_name FROM sqlite_master ORDER BY name")
        columns = db.execute("PRAGMA table_info(nbsignatures)").fetchall()
        return [*rows.fetchall(), *columns]


def test_the_database_layout_is_jupyters(tmp_path: Path, notary: Notary) -> None:
    assert notary.data_dir is not None
    notary.trust(rich_notebook())
    jupyter_dir = tmp_path / "jupyter-only"
    with jupyter_notary(jupyter_dir) as theirs:
        theirs.sign(nbformat.from_dict(rich_notebook()))
    assert _schema(notary.data_dir / "nbsignatures.db") == _schema(jupyter_dir / "nbsignatures.db")


def test_changing_any_output_byte_breaks_the_signature(notary: Notary) -> None:
    nb = rich_notebook()
    notary.trust(nb)
    assert notary.is_signed(rich_notebook())
    assert not notary.is_signed(rich_notebook(html="<b>bold</b> "))
    changed = rich_notebook()
    changed["metadata"]["kernelspec"]["name"] = "python2"
    assert not notary.is_signed(changed)


@pytest.mark.parametrize("mark", [True, False])
def test_transient_values_do_not_change_the_signature(notary: Notary, mark: bool) -> None:
    plain = rich_notebook()
    decorated = rich_notebook(trusted_mark=mark)
    decorated["metadata"]["signature"] = "sha256:" + "f" * 64
    decorated["metadata"]["orig_nbformat"] = 3
    assert notary.compute_signature(plain) == notary.compute_signature(decorated)


def test_a_malformed_notebook_has_no_signature(notary: Notary) -> None:
    assert notary.compute_signature({"cells": [{1: "non-string key"}]}) is None
    assert not notary.trust({"cells": [{1: "x"}]})
