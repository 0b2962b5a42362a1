"""Cells saved before, by their content: saving a notebook costs what changed in it.

A notebook is saved whole every time (autosave, every explicit save), yet between two
saves most of its cells are as they were. Each cell a client sends is known by its
exact content (marshal's bytes: NaN, 1 and 1.0 differ there, unlike in JSON), and
matched with the last save's cells (cellmatch.py); what saving it gave is kept: its
text in the file, whether it is valid, whether it has rich output and is marked
trusted, and its part of the trust digest.
A cell sent again as it was is not split into lines, encoded, validated or walked:
the file is joined from the kept texts (byte for byte what nbformat writes; tests
compare them), the digest is computed from the kept parts, and only if a cell is not
valid is the notebook validated whole, for the message.

A notebook this cannot write exactly (a top-level key sorting before "cells", a cell
that is not an object or whose metadata is not one) is saved the usual way. What is
kept is bounded in bytes; the least recently saved notebooks go first.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any, NamedTuple

from carnet.nbfile import cellspans, jsonfmt, notebooks, schema
from carnet.server.contents import cellmatch
from carnet.server.contents.perfile import PerFile
from carnet.trust import cells as trust_cells
from carnet.trust import digest as trust_digest

# Kept at most, in bytes of cell contents, texts and digest walks: a few big notebooks.
BUDGET = 64 << 20


class Saved(NamedTuple):
    """What saving one cell, as a client sent it, gave."""

    minor: int  # the nbformat minor version it was validated against
    text: bytes  # in the file, two levels in
    finite: bool  # no NaN or infinity in it (such a file is not strict JSON)
    valid: bool  # as sent (trust mark and all), as a whole save validates it
    trusted: bool  # what trust.cells.all_trusted says of it alone
    walk: bytes | None  # its part of the trust digest; made once a save signs it


class Prepared(NamedTuple):
    """A notebook about to be saved: its file's bytes, and what signing it needs."""

    raw: bytes
    finite: bool
    valid: bool  # False: ask notebooks.validation_message for the message
    top: dict[str, Any]  # the notebook but its cells
    walks: list[bytes]  # empty unless all_trusted: a notebook not signed needs no digest
    all_trusted: bool


def _save_cell(cell: dict[str, Any], minor: int, checker: Any) -> Saved | None:
    """Save one cell as notebooks.serialized does (in place: its lines split, its trust
    mark kept), and learn what a whole save learns of it."""
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        return None  # trust.cells would replace it: the usual way does
    notebooks.split_cell(cell)
    had_mark = "trusted" in metadata
    mark = metadata.pop("trusted", None)
    try:
        text, finite = jsonfmt.encode(cell, level=2)
        data = text.encode("utf-8")
    except (TypeError, RecursionError, UnicodeEncodeError):
        return None  # the usual way reports it
    finally:
        if had_mark:
            metadata["trusted"] = mark
    valid = checker is not None and checker.cell_check(cell)
    unsafe = cell.get("cell_type") == "code" and trust_cells.has_unsafe_output(cell)
    trusted = mark is True or not unsafe
    return Saved(minor, data, finite, valid, trusted, None)


class SavedFile(NamedTuple):
    """A notebook's last save: each cell's content (see _content) and what saving it gave."""

    contents: list[bytes | None]
    cells: list[Saved]


def _content(cell: dict[str, Any]) -> bytes | None:
    try:
        # Version 2 writes no back-references: the bytes depend on the content alone.
        return marshal.dumps(cell, 2)
    except ValueError:  # nested too deeply for marshal
        return None


def _kept(contents: list[bytes | None], kept: SavedFile | None) -> list[Saved | None]:
    """Each cell as the last save gave it, or None (see cellmatch.py)."""
    if kept is None:
        return [None] * len(contents)
    old = kept.contents

    def equal(index: int, before: int) -> bool:
        return contents[index] is not None and contents[index] == old[before]

    found = cellmatch.match(len(contents), len(old), equal, contents.__getitem__, old.__getitem__)
    return [kept.cells[before] if before is not None else None for before in found]


class SaveMemo:
    def __init__(self, budget: int = BUDGET) -> None:
        self._files: PerFile[SavedFile] = PerFile(budget)

    def prepare(self, real: Path, nb: notebooks.Notebook) -> Prepared | None:
        """The file for a notebook being saved to `real`, its cells' ids repaired first as
        a save does; None: save it the usual way. `nb` is changed as a save changes it."""
        cells = nb.get("cells")
        if not isinstance(cells, list) or not all(isinstance(cell, dict) for cell in cells):
            return None
        if any(key < "cells" for key in nb if key != "cells"):
            return None  # "cells" would not come first in the file
        notebooks.repair_cell_ids(nb)
        minor = nb.get("nbformat_minor", 0)
        checker = schema.fast_checker(minor)
        contents = [_content(cell) for cell in cells]
        saved: list[Saved] = []
        for known, cell in zip(_kept(contents, self._files.get(real)), cells, strict=True):
            if known is None or known.minor != minor:
                known = _save_cell(cell, minor, checker)
                if known is None:
                    return None
            saved.append(known)
        top = {key: value for key, value in nb.items() if key != "cells"}
        notebooks.strip_transient(top)  # from nb's own metadata too, as on any save
        try:
            rest, top_finite = jsonfmt.encode(top)
            raw = cellspans.join([cell.text for cell in saved], rest.encode("utf-8"))
        except (TypeError, RecursionError, UnicodeEncodeError):
            return None
        valid = (
            checker is not None
            and checker.skeleton_check({**top, "cells": []})
            and all(cell.valid for cell in saved)
        )
        all_trusted = all(cell.trusted for cell in saved)
        if all_trusted:
            # The same walk whether a cell's lines were split for writing or not.
            saved = [
                cell if cell.walk is not None else cell._replace(walk=trust_digest.cell_walk(sent))
                for cell, sent in zip(saved, cells, strict=True)
            ]
        self._keep(real, SavedFile(contents, saved))
        return Prepared(
            raw,
            top_finite and all(cell.finite for cell in saved),
            valid,
            top,
            [cell.walk for cell in saved if cell.walk is not None],
            all_trusted,
        )

    def _keep(self, real: Path, kept: SavedFile) -> None:
        size = sum(len(content or b"") for content in kept.contents)
        size += sum(len(cell.text) + len(cell.walk or b"") for cell in kept.cells)
        self._files.keep(real, kept, size)

    def kept_bytes(self) -> int:
        return self._files.kept_bytes()
