"""A notebook read cell by cell, reusing the cells read before (contents/cellmemo.py), is
sent exactly as the whole-file reader sends it: content, trust marks, validation message;
never from a stale cell, never with trust a change should have cost."""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carnet.nbfile import notebooks
from carnet.server.contents import cellmemo, reader
from carnet.server.contents.store import FileStore
from carnet.trust import Notary

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
LINES = st.lists(TEXT, max_size=3).map("\n".join)
OUTPUT = st.one_of(
    st.builds(
        lambda text: {"output_type": "stream", "name": "stdout", "text": text},
        LINES,
    ),
    st.builds(
        lambda html, n: {
            "output_type": "execute_result",
            "execution_count": n,
            "metadata": {},
            "data": {"text/html": html, "text/plain": "<HTML>"},
        },
        LINES,
        st.integers(1, 9),
    ),
    st.builds(
        lambda value: {
            "output_type": "display_data",
            "metadata": {},
            "data": {"application/json": {"x": value}, "image/png": "iVBORw0K"},
        },
        st.floats(allow_nan=True) | st.integers() | TEXT,
    ),
    st.just({"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["a", "b"]}),
)
TAG = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=","), min_size=1)
METADATA = st.fixed_dictionaries({}, optional={"tags": st.lists(TAG | TEXT, max_size=2)})
CELL = st.one_of(
    st.builds(
        lambda source, outputs, metadata: {
            "cell_type": "code",
            "execution_count": None,
            "metadata": metadata,
            "source": source,
            "outputs": outputs,
        },
        LINES,
        st.lists(OUTPUT, max_size=2),
        METADATA,
    ),
    st.builds(
        lambda kind, source, metadata: {"cell_type": kind, "metadata": metadata, "source": source},
        st.sampled_from(["markdown", "raw"]),
        LINES,
        METADATA,
    ),
)
NEW_IDS = itertools.count()
# A notebook and a few edits to it: the store fixture is shared by a test's examples.
EDITED_NOTEBOOKS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Edits between two reads: (what, which cell, a new cell for it).
EDIT = st.tuples(
    st.sampled_from(
        ["source", "insert", "delete", "swap", "spaces", "sign", "unsign", "invalid", "same_id"]
    ),
    st.integers(0, 50),
    CELL,
)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FileStore]:
    (tmp_path / "root").mkdir()
    made = FileStore(tmp_path / "root")
    made.trust = Notary(tmp_path / "data")
    yield made
    made.trust.close()  # type: ignore[attr-defined]


def notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    for index, cell in enumerate(cells):
        cell["id"] = f"c{index}"
    return {"cells": cells, "metadata": {"k": 1}, "nbformat": 4, "nbformat_minor": 5}


def sent(store: FileStore, **options: Any) -> tuple[str | None, str]:
    """(message, content) of a GET, as through the memo unless options say otherwise."""
    model, encoded = (
        reader.get_encoded(store.paths, "nb.ipynb", trust=store.trust, **options)
        if options
        else store.get_encoded("nb.ipynb")
    )
    assert encoded is not None
    return model.get("message"), json.dumps(json.loads(encoded), sort_keys=True)


def whole(store: FileStore) -> tuple[str | None, str]:
    return sent(store, known=None, cells=None)


def change(cells: list[dict[str, Any]], what: str, at: int, new: dict[str, Any]) -> None:
    """The edits a notebook's cells get, in the tests of reading and of saving them."""
    index = at % len(cells) if cells else 0
    if what == "source" and cells:
        cells[index]["source"] += "!"
    elif what == "insert":
        # Unique: a repeated id is repaired with a random one, which two saves do not share.
        new["id"] = f"new-{next(NEW_IDS)}"
        cells.insert(index, new)
    elif what == "delete" and cells:
        del cells[index]
    elif what == "swap" and len(cells) > 1:
        cells[0], cells[index] = cells[index], cells[0]
    elif what == "invalid" and cells:
        cells[index]["cell_type"] = "code"
        cells[index]["execution_count"] = "not a count"
    elif what == "same_id" and len(cells) > 1:
        cells[index]["id"] = cells[0]["id"] if index else cells[1]["id"]


def edit(nb: dict[str, Any], what: str, at: int, new: dict[str, Any], notary: Notary) -> bytes:
    if what == "sign":
        notary.trust(copy.deepcopy(nb))
    elif what == "unsign":
        notary.untrust(copy.deepcopy(nb))
    else:
        change(nb["cells"], what, at, new)
    data = notebooks.serialize(copy.deepcopy(nb))
    return data + b" " * at if what == "spaces" else data


@EDITED_NOTEBOOKS
@given(st.lists(CELL, max_size=6), st.lists(EDIT, max_size=6))
def test_read_cell_by_cell_is_the_whole_files_read(
    store: FileStore, cells: list[dict[str, Any]], edits: list[Any]
) -> None:
    nb = notebook(cells)
    path = store.paths.root / "nb.ipynb"
    path.write_bytes(notebooks.serialize(copy.deepcopy(nb)))
    assert sent(store) == whole(store)
    message, _ = sent(store)
    # A valid notebook is read cell by cell (an invalid one is left to the whole-file read).
    assert store._cells.kept_bytes() > 0 or message or not cells
    for what, at, new in edits:
        path.write_bytes(edit(nb, what, at, new, store.trust))  # type: ignore[arg-type]
        assert sent(store) == whole(store), what


def rich(html: str) -> dict[str, Any]:
    output = {"output_type": "display_data", "metadata": {}, "data": {"text/html": html}}
    return {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "source": "x",
        "outputs": [output],
    }


def store_marks(store: FileStore) -> list[bool]:
    content = json.loads(sent(store)[1])
    return [c["metadata"]["trusted"] for c in content["cells"] if c["cell_type"] == "code"]


def test_trust_never_survives_a_changed_cell(store: FileStore) -> None:
    nb = notebook([rich("<b>mine</b>"), rich("<b>too</b>")])
    path = store.paths.root / "nb.ipynb"
    path.write_bytes(notebooks.serialize(copy.deepcopy(nb)))
    store.trust.trust(copy.deepcopy(nb))  # type: ignore[union-attr]
    assert store_marks(store) == [True, True]
    changed = path.read_bytes().replace(b"<b>too</b>", b"<i>bad</i>")
    path.write_bytes(changed)
    assert store_marks(store) == [False, False]
    # The trailing spaces make bytes no read has seen; every cell is one kept.
    path.write_bytes(changed.replace(b"<i>bad</i>", b"<b>too</b>") + b"  ")
    assert store_marks(store) == [True, True]


def test_only_the_changed_cells_are_read_again(
    store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[bytes] = []
    real_parse = cellmemo._parse

    def counting(text: bytes, *args: Any) -> Any:
        read.append(text)
        return real_parse(text, *args)

    monkeypatch.setattr(cellmemo, "_parse", counting)
    nb = notebook([rich(f"<p>{i}</p>") for i in range(5)])
    path = store.paths.root / "nb.ipynb"
    path.write_bytes(notebooks.serialize(copy.deepcopy(nb)))
    sent(store)
    assert len(read) == 5
    nb["cells"][3]["outputs"][0]["data"]["text/html"] = "<p>new</p>"
    path.write_bytes(notebooks.serialize(copy.deepcopy(nb)) + b"\n")
    read.clear()
    assert "<p>new</p>" in sent(store)[1]
    assert len(read) == 1 and b"<p>new</p>" in read[0]
    # Cells moved, one deleted: each is found by its text, none read again.
    nb["cells"] = [nb["cells"][4], *nb["cells"][1:3], nb["cells"][0]]
    path.write_bytes(notebooks.serialize(copy.deepcopy(nb)))
    read.clear()
    assert sent(store) == whole(store)
    assert read == []


def test_files_in_another_layout_are_read_whole(store: FileStore) -> None:
    nb = notebook([rich("<p>x</p>")])
    path = store.paths.root / "nb.ipynb"
    path.write_text(json.dumps(nb, indent=2))
    assert sent(store) == whole(store)
    assert store._cells.kept_bytes() == 0


def test_what_is_kept_stays_within_its_budget(tmp_path: Path) -> None:
    memo = cellmemo.CellMemo(budget=8000)  # about two of these notebooks
    notary = Notary(None)
    for name in ("a", "b", "c"):
        nb = notebook([rich("x" * 400) for _ in range(2)])
        raw = notebooks.serialize(nb)
        assert memo.assemble(tmp_path / name, raw, notary) is not None
        assert 0 < memo.kept_bytes() <= 8000
    big = notebooks.serialize(notebook([rich("x" * 8000)]))
    assert memo.assemble(tmp_path / "big", big, notary) is not None
    assert memo.kept_bytes() <= 8000


def test_a_notebook_opened_again_unchanged_is_neither_hashed_nor_read(
    store: FileStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    nb = notebook([rich("<p>a</p>"), rich("<p>b</p>")])
    path = store.paths.root / "nb.ipynb"
    path.write_bytes(notebooks.serialize(copy.deepcopy(nb)) + b" ")
    first = sent(store)

    def no_reading(*args: Any) -> None:
        raise AssertionError("read again")

    # A GET that does not ask for the hash gets none made: the memo matches the bytes.
    monkeypatch.setattr(cellmemo, "_parse", no_reading)
    monkeypatch.setattr(notebooks, "load", no_reading)
    monkeypatch.setattr(reader, "content_hash", no_reading)
    monkeypatch.setattr(reader, "hashing", no_reading)
    assert sent(store) == first
    monkeypatch.undo()
    # Asked for, it is the hash of the bytes on disk.
    model, _ = store.get_encoded("nb.ipynb", require_hash=True)
    assert model["hash"] == hashlib.sha256(path.read_bytes()).hexdigest()
