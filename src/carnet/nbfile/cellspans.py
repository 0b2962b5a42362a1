"""A notebook file in nbformat's own layout, cut into its cells' texts without parsing it.

nbformat (and Carnet, and Jupyter) write a notebook with a one-space indent, so the
cells' list opens the file and each cell starts and ends on a line of its own, two
spaces in. JSON strings hold no raw line break, so every line starts outside of any
string and those lines can be found with `bytes.find`. Each part is then only a
guess until it parses: when every cell's text parses as an object, and so do the
other members, the file is exactly `{"cells": [those objects], those members}`,
wherever the cuts fell. A file in any other layout is not cut at all.
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


def cut(raw: bytes) -> Cut | None:
    """Where a notebook file's cells are, and the rest; None when not in nbformat's layout."""
    cells: list[slice] = []
    if raw.startswith(_NO_CELLS):
        rest = len(_NO_CELLS)
    elif raw.startswith(_OPEN):
        close = raw.rfind(_CLOSE)
        if close < len(_OPEN) - len(b"\n"):
            return None
        # Offsets found without copying: a cell's text is copied only when it is parsed.
        start = len(_OPEN) - len(b"{\n")
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
    return Cut(cells, b"{" + raw[rest:end])


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
