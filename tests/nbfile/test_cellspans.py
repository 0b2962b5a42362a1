"""Cutting a notebook file into its cells' texts (nbfile/cellspans.py)."""

from __future__ import annotations

import json

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
