"""Cutting a notebook file into its cells' texts (nbfile/cellspans.py)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.nbfile import cellspans, notebooks


def parts(raw: bytes) -> tuple[list[object], object]:
    cut = cellspans.cut(raw)
    assert cut is not None
    return [json.loads(raw[where]) for where in cut.cells], json.loads(cut.rest)


def test_a_file_in_nbformats_layout_is_cut_at_its_cells() -> None:
    nb = {
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "  },\n  {\nx"},
            {"cell_type": "raw", "id": "b", "metadata": {}, "source": ""},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    raw = notebooks.serialize(json.loads(json.dumps(nb)))
    cells, rest = parts(raw + b"\n \t")
    assert cells == [
        {**cell, "source": cell["source"].splitlines(True) if cell["source"] else []}  # type: ignore[union-attr]
        for cell in nb["cells"]  # type: ignore[attr-defined]
    ]
    assert rest == {"metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_a_notebook_without_cells_has_only_the_rest() -> None:
    raw = notebooks.serialize({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    assert parts(raw) == ([], {"metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def test_other_layouts_are_not_cut() -> None:
    nb = {"cells": [{"cell_type": "raw", "metadata": {}, "source": ""}], "nbformat": 4}
    for raw in (
        json.dumps(nb).encode(),
        json.dumps(nb, indent=2).encode(),
        json.dumps(nb, indent=1).encode()[:-1],  # no closing brace
        b'{\n "cells": [\n  {\n   "cell_type": "raw"\n  }\n ]\n}',  # nothing after the cells
        b'\xef\xbb\xbf{\n "cells": [],\n "nbformat": 4\n}',  # a byte order mark
    ):
        assert cellspans.cut(raw) is None, raw


def test_a_wrong_guess_is_a_part_that_does_not_parse() -> None:
    # A line that looks like a cell's end inside a cell, in a layout nbformat never writes:
    # the parts are cut there, and one of them is not an object's members.
    raw = b'{\n "cells": [\n  {\n "a": [\n  },\n  {\n ]\n  }\n ],\n "nbformat": 4\n}\n'
    cut = cellspans.cut(raw)
    assert cut is not None and len(cut.cells) == 2
    assert any(not _parses(raw[where]) for where in cut.cells)


def _parses(text: bytes) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


CELL_TEXT = st.text(st.sampled_from(["x", "\n", "}", "{", ",", " ", '"', "é"]), max_size=8)
RAW_CELL = CELL_TEXT.map(lambda source: {"cell_type": "raw", "metadata": {}, "source": source})
CELLS = st.lists(RAW_CELL)


def _file(sources: list[dict[str, Any]]) -> bytes:
    nb = {"cells": sources, "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    return notebooks.serialize(json.loads(json.dumps(nb)))


@settings(max_examples=300, deadline=None)
@given(CELLS, CELLS, st.integers(0, 10_000), st.binary(max_size=12), st.integers(0, 12))
def test_a_cut_from_the_previous_version_is_the_cut(
    before: list[dict[str, Any]],
    after: list[dict[str, Any]],
    at: int,
    inserted: bytes,
    removed: int,
) -> None:
    # The next version: other cells after the common ones, then bytes changed anywhere
    # (a layout nbformat never writes, a cut in the middle of a separator, and so on).
    old = _file(before)
    new = _file(before[: at % (len(before) + 1)] + after)
    where = at % (len(new) + 1)
    for raw in (new, new[:where] + inserted + new[where + removed :], old, old + b" "):
        previous_cut = cellspans.cut(old)
        assert previous_cut is not None
        previous = cellspans.Previous(old, previous_cut.cells)
        fresh, resumed = cellspans.cut(raw), cellspans.cut(raw, previous)
        assert (fresh and fresh[:2]) == (resumed and resumed[:2])
        if resumed is not None:
            for index in range(resumed.same):
                assert raw[resumed.cells[index]] == old[previous.cells[index]]
    resumed = cellspans.cut(old + b"\n", cellspans.Previous(old, previous_cut.cells))
    assert resumed is not None and resumed.same == max(len(before) - 1, 0)


def test_a_previous_cells_separator_past_the_cells_end_is_not_taken() -> None:
    old = _file([{"cell_type": "raw", "metadata": {}, "source": s} for s in ("a", "b")])
    first = cellspans.cut(old)
    assert first is not None
    # The second cell becomes `{}` written over two lines: the cells' list closes in the
    # middle of what was the separator after the first cell.
    end = first.cells[1].start + 2
    raw = old[:end] + b'  }\n ],\n "metadata": {},\n "nbformat": 4,\n "nbformat_minor": 4\n}\n'
    resumed = cellspans.cut(raw, cellspans.Previous(old, first.cells))
    assert resumed is not None and resumed.same == 0
    assert resumed[:2] == cellspans.cut(raw)[:2]  # type: ignore[index]
