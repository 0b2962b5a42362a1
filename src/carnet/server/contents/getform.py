"""A notebook as a GET sends it, joined from its cells encoded one by one.

A GET sends a notebook's lines joined and each code cell marked trusted or not
(`metadata.trusted`, from the notebook's signature and the cell's output). Both memos
keep each cell encoded once in that form, without its mark: a code cell's metadata is
written first, so that its mark is spliced in front of the kept bytes. The notebook is
then joined from kept bytes, signed or not, and a cell unchanged since the last read
or save is neither encoded nor walked for its mark again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from carnet.server.contents.models import notebook_json
from carnet.trust import cells as trust_cells

_MARKED = b'{"metadata":{"trusted":'
_MARKS = {True: b"true", False: b"false"}


class Encoded(NamedTuple):
    """One cell as a GET sends it, but its trust mark."""

    code: bool
    unsafe: bool  # a code cell with rich output (trust.cells.has_unsafe_output)
    text: bytes  # a code cell's without its first bytes (_MARKED and its mark)

    def parts(self, signed: bool) -> list[bytes]:
        if not self.code:
            return [self.text]
        return [_MARKED, _MARKS[signed or not self.unsafe], self.text]


def encode(cell: dict[str, Any], finite: bool) -> Encoded | None:
    """`cell` (its lines joined and no trust mark, as a GET has it) encoded; None when it
    cannot be written that way (a code cell's metadata not an object)."""
    if cell.get("cell_type") != "code":
        return Encoded(False, False, notebook_json(cell, finite))
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        return None
    marked = {"metadata": {"trusted": True, **metadata}}
    marked.update((key, value) for key, value in cell.items() if key != "metadata")
    encoded = notebook_json(marked, finite)
    if not encoded.startswith(_MARKED + _MARKS[True]):
        return None  # not how the encoders write it
    text = encoded[len(_MARKED + _MARKS[True]) :]
    return Encoded(True, trust_cells.has_unsafe_output(cell), text)


def notebook(cells: Iterable[Encoded], top: dict[str, Any], finite: bool, signed: bool) -> bytes:
    """The notebook `{"cells": cells, **top}` as a GET sends it, marked as `signed` says."""
    parts = [b'{"cells":[']
    for index, cell in enumerate(cells):
        if index:
            parts.append(b",")
        parts.extend(cell.parts(signed))
    rest = notebook_json(top, finite)
    parts.append(b"]," + rest[1:] if len(rest) > 2 else b"]}")
    return b"".join(parts)
