"""A notebook file in nbformat's own layout, cut into its cells' texts without parsing it.

nbformat (and Carnet, and Jupyter) write a notebook with a one-space indent, so the
cells' list opens the file and each cell starts and ends on a line of its own, two
spaces in. JSON strings hold no raw line break, so every line starts outside of any
string and those lines can be found with `bytes.find`. Each part is then only a
guess until it parses: when every cell's text parses as an object, and so do the
other members, the file is exactly `{"cells": [those objects], those members}`,
wherever the cuts fell. A file in any other layout is not cut at all.

Given the file's previous version and its cut, the cells the two share from the start
(byte for byte, at the same offsets, with the line that ends each) are taken from that
cut with one comparison, not searched again; the cut is the same either way.
"""

from __future__ import annotations

from typing import NamedTuple

_OPEN = b'{\n "cells": [\n  {\n'
_NO_CELLS = b'{\n "cells": [],\n'
_BETWEEN = b"\n  },\n  {\n"
_CLOSE = b"\n  }\n ],\n"
_JSON_WHITESPACE = b" \t\n\r"


class Cut(NamedTuple):
    cells: list[slice]  # where each cell is in the file: the text of an object, `{...}`
    rest: bytes  # the notebook's other members, as the text of an object
    same: int = 0  # how many cells, from the first, are the previous version's (see cut)


class Previous(NamedTuple):
    """A version of the file read before, and its cells (as `cut` found them)."""

    raw: bytes
    cells: list[slice]


def _same_cells(raw: bytes, close: int, previous: Previous) -> int:
    """How many of `previous`'s cells, from the first, `raw` has byte for byte at the same
    offsets, each with the separator after it (and so the next cell's start) within
    `raw[:close]`. `raw` and `previous.raw` both start with _OPEN.

    The search for separators in `raw` would find the same ones: up to the end of each
    separator the two files are equal, and the search stops at the first."""
    old = memoryview(previous.raw)
    start = previous.cells[0].start if previous.cells else 0
    # The end of each cell's separator: two bytes ("{\n") into the next cell.
    ends = [after.start + 2 for after in previous.cells[1:]]
    while ends and ends[-1] > close:
        ends.pop()
    if not ends:
        return 0
    if raw.startswith(old[start : ends[-1]], start):  # the usual case: one comparison
        return len(ends)
    same = 0
    for end in ends:
        if not raw.startswith(old[start:end], start):
            break
        start = end
        same += 1
    return same


def cut(raw: bytes, previous: Previous | None = None) -> Cut | None:
    """Where a notebook file's cells are, and the rest; None when not in nbformat's layout.

    `previous`, an earlier version of the same file and its cut, saves searching
    the cells the two versions share from the first."""
    cells: list[slice] = []
    same = 0
    if raw.startswith(_NO_CELLS):
        rest = len(_NO_CELLS)
    elif raw.startswith(_OPEN):
        close = raw.rfind(_CLOSE)
        if close < len(_OPEN) - len(b"\n"):
            return None
        # Offsets found without copying: a cell's text is copied only when it is parsed.
        start = len(_OPEN) - len(b"{\n")
        if previous is not None and previous.raw.startswith(_OPEN):
            same = _same_cells(raw, close, previous)
            cells.extend(previous.cells[:same])
            if same:
                start = previous.cells[same].start
        between = raw.find(_BETWEEN, start, close)
        while between >= 0:
            cells.append(slice(start, between + len(b"\n  }")))
            start = between + len(_BETWEEN) - len(b"{\n")
            between = raw.find(_BETWEEN, start, close)
        cells.append(slice(start, close + len(b"\n  }")))
        rest = close + len(_CLOSE)
    else:
        return None
    end = len(raw)
    while end > rest and raw[end - 1] in _JSON_WHITESPACE:
        end -= 1
    if end <= rest or raw[end - 1] != ord("}"):
        return None
    return Cut(cells, b"{" + raw[rest:end], same)


def join(cells: list[bytes], rest: bytes) -> bytes:
    """A notebook file in nbformat's layout from its cells' texts (each an object's text,
    two levels in) and the rest (the object of its other members, at the top level)."""
    parts = [b'{\n "cells": [']
    if cells:
        parts.append(b"\n  ")
        for index, cell in enumerate(cells):  # one join: a big file is copied once
            if index:
                parts.append(b",\n  ")
            parts.append(cell)
        parts.append(b"\n ")
    parts.append(b"]")
    parts.append(b"," + rest[1:] if rest != b"{}" else b"\n}")
    parts.append(b"\n")
    return b"".join(parts)
