"""Cells already read: a changed notebook costs its changed cells.

A notebook changed on disk (a pull, another editor, a script) usually keeps most of
its cells byte for byte. When its file is in nbformat's layout (cellspans.py), its
cells are matched with those of the version read before (cellmatch.py): by comparing
bytes, and the moved ones by the sha256 of their text. A cell read before
is not parsed, joined, validated, walked for the trust digest or encoded again: what
a GET sends of it is kept, with its facts. Only the notebook's digest is computed again
(from the cells' kept walks: trust never carries over to changed content), and only
when a cell has rich output.

Anything unusual (another layout, a cell that is not valid, a missing or repeated
cell id, an nbformat other than 4) is left to the whole-file reader, which reports
it or repairs it. What is kept (each file's last version and its cells) is bounded
in bytes; the least recently read notebooks go first.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from carnet.nbfile import cellspans, notebooks, schema
from carnet.server.contents import cellmatch, getform
from carnet.server.contents.perfile import PerFile
from carnet.trust import digest as trust_digest

if TYPE_CHECKING:
    from carnet.server.contents.trusthook import NotebookTrust

# Kept at most, in bytes of files, encoded cells and digest walks: a few big notebooks.
BUDGET = 48 << 20


class Cell(NamedTuple):
    """What is known of one cell's text in a notebook file."""

    minor: int  # the nbformat minor version it was validated against
    valid: bool
    cell_id: Any
    walk: bytes | None  # its part of the trust digest; None: not computed
    sent: getform.Encoded


class FileCells(NamedTuple):
    """What is kept of one notebook file: the version last read, and its cells in order."""

    previous: cellspans.Previous
    cells: list[Cell]


class Assembled(NamedTuple):
    encoded: bytes  # the notebook as a GET sends it
    digest: str | None  # from the trust hook, as `mark` gives it
    signed: bool


def _parse(text: bytes, parse: notebooks.ObjectParser) -> tuple[dict[str, Any], bool] | None:
    """A cell as the whole-file reader makes it (lines joined, no trust mark), and whether
    its numbers are all finite; None when its text is not an object."""
    try:
        cell, finite = parse(text)
    except (ValueError, RecursionError):
        return None
    notebooks.rejoin_cell(cell)
    metadata = cell.get("metadata")
    if isinstance(metadata, dict):
        metadata.pop("trusted", None)
    return cell, finite


def _facts(cell: dict[str, Any], finite: bool, minor: int, checker: Any) -> Cell | None:
    """What is kept of a cell, without its walk (made only when the notebook needs it)."""
    sent = getform.encode(cell, finite)
    if sent is None:
        return None  # not valid; the whole-file reader reports it
    return Cell(minor, checker.cell_check(cell), cell.get("id"), None, sent)


def _complete(
    found: list[Cell | None],
    raw: bytes,
    places: list[slice],
    minor: int,
    checker: Any,
    parse: notebooks.ObjectParser,
) -> list[Cell] | None:
    """Every cell known: those not kept (or kept for another minor version) are read, and
    when a cell has rich output, each gets its walk (the digest's input) if it has none."""
    read: dict[int, dict[str, Any]] = {}
    cells: list[Cell] = []
    for index, cell in enumerate(found):
        if cell is None or cell.minor != minor:
            parsed = _parse(raw[places[index]], parse)
            if parsed is None:
                return None
            read[index] = parsed[0]
            cell = _facts(*parsed, minor, checker)
            if cell is None:
                return None
        cells.append(cell)
    if any(cell.sent.unsafe for cell in cells):
        for index, cell in enumerate(cells):
            if cell.walk is not None:
                continue
            parsed_cell = read.get(index)
            if parsed_cell is None:
                # Kept while the notebook had no rich output: read again, once.
                reparsed = _parse(raw[places[index]], parse)
                if reparsed is None:
                    return None  # cannot be: these bytes were read before
                parsed_cell = reparsed[0]
            cells[index] = cell._replace(walk=trust_digest.cell_walk(parsed_cell))
    return cells


def _known(raw: bytes, cut: cellspans.Cut, kept: FileCells | None) -> list[Cell | None]:
    """Each cell of `cut` as kept from the version read before, or None: the cells it
    shares from the start (as cut found them), then as cellmatch.py finds them, by their
    bytes, and by the sha256 of their text for the moved ones."""
    if kept is None:
        return [None] * len(cut.cells)
    old = memoryview(kept.previous.raw)  # slices of it are not copies
    view = memoryview(raw)
    places, new = kept.previous.cells, cut.cells

    def equal(index: int, before: int) -> bool:
        where, was = new[index], places[before]
        same_size = was.stop - was.start == where.stop - where.start
        return same_size and raw.startswith(old[was], where.start)

    def key(index: int) -> bytes:
        return hashlib.sha256(view[new[index]]).digest()

    def old_key(before: int) -> bytes:
        return hashlib.sha256(old[places[before]]).digest()

    found = cellmatch.match(len(new), len(places), equal, key, old_key, start=cut.same)
    return [kept.cells[before] if before is not None else None for before in found]


def _ids_ok(cells: list[Cell], minor: int) -> bool:
    """Whether the whole-file reader would keep every cell id (it repairs 4.5+ ones)."""
    if minor < 5:
        return True
    ids = [cell.cell_id for cell in cells]
    return None not in ids and len(set(ids)) == len(ids)


class CellMemo:
    def __init__(self, budget: int = BUDGET) -> None:
        self._files: PerFile[FileCells] = PerFile(budget)

    def assemble(self, real: Path, raw: bytes, trust: NotebookTrust) -> Assembled | None:
        """A GET's content for the notebook file `real` whose bytes are `raw`; None when
        the whole-file reader must read it (see the module's docstring)."""
        kept = self._files.get(real)
        cut = cellspans.cut(raw, kept.previous if kept is not None else None)
        if cut is None:
            return None
        parse = notebooks.ObjectParser()
        try:
            top, finite = parse(cut.rest)
        except (ValueError, RecursionError):
            return None
        minor = top.get("nbformat_minor", 0)
        checker = schema.fast_checker(minor)
        if "cells" in top or top.get("nbformat") != 4 or checker is None:
            return None
        notebooks.strip_transient(top)
        if not checker.skeleton_check({**top, "cells": []}):
            return None
        found = _known(raw, cut, kept)
        cells = _complete(found, raw, cut.cells, minor, checker, parse)
        if cells is None or not all(cell.valid for cell in cells) or not _ids_ok(cells, minor):
            return None
        walks = [cell.walk for cell in cells if cell.walk is not None]
        unsafe = any(cell.sent.unsafe for cell in cells)
        digest = trust.digest_parts(top, walks if unsafe else None)
        signed = trust.signed(digest)
        if signed is None:
            return None
        encoded = getform.notebook([cell.sent for cell in cells], top, finite, signed)
        self._keep(real, FileCells(cellspans.Previous(raw, cut.cells), cells))
        return Assembled(encoded, digest, signed)

    def _keep(self, real: Path, kept: FileCells) -> None:
        size = len(kept.previous.raw)
        size += sum(len(cell.sent.text) + len(cell.walk or b"") for cell in kept.cells)
        self._files.keep(real, kept, size)

    def kept_bytes(self) -> int:
        return self._files.kept_bytes()
