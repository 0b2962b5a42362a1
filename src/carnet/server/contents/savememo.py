"""Cells saved before, by their content: saving a notebook costs what changed in it.

A notebook is saved whole every time (autosave, every explicit save), yet between two
saves most of its cells are as they were, and a client sends them as it did before,
byte for byte. Each cell is known by the text it was sent as (sentbody.py: such a cell
is not even parsed), and matched with the last save's cells (cellmatch.py); what saving
it gave is kept: its text in the file, whether it is valid, whether it has rich output
and is marked trusted, its part of the trust digest, and how the next GET sends it.
A cell sent again as it was is not split into lines, encoded, validated or walked:
the file is joined from the kept texts (byte for byte what nbformat writes; tests
compare them), the digest is computed from the kept parts, the next GET's content is
joined from the kept encodings, and only if a cell is not valid is the notebook
validated whole, for the message.

A notebook this cannot write exactly (a top-level key sorting before "cells", a cell
that is not an object or whose metadata is not one) is saved the usual way. What is
kept is bounded in bytes; the least recently saved notebooks go first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from carnet.nbfile import cellspans, jsonfmt, notebooks, schema
from carnet.server.contents import cellmatch, getform, sentbody
from carnet.server.contents.perfile import PerFile
from carnet.trust import cells as trust_cells
from carnet.trust import digest as trust_digest

# Kept at most, in bytes of texts (as sent, in the file, in a GET) and digest walks: a
# notebook takes about four times its size, so two of 10 MB fit, or many small ones.
BUDGET = 96 << 20


class Saved(NamedTuple):
    """What saving one cell, as a client sent it, gave."""

    minor: int  # the nbformat minor version it was validated against
    text: bytes  # in the file, two levels in
    finite: bool  # no NaN or infinity in it (such a file is not strict JSON)
    valid: bool  # as sent (trust mark and all), as a whole save validates it
    trusted: bool  # what trust.cells.all_trusted says of it alone
    walk: bytes | None  # its part of the trust digest; made once a save signs it
    sent: getform.Encoded | None  # as the next GET sends it (None: encode it whole)


class Prepared(NamedTuple):
    """A notebook about to be saved: its file's bytes, and what signing it needs."""

    raw: bytes
    finite: bool
    valid: bool  # False: ask notebooks.validation_message for the message
    top: dict[str, Any]  # the notebook but its cells
    walks: list[bytes]  # empty unless all_trusted: a notebook not signed needs no digest
    all_trusted: bool
    sent: list[getform.Encoded] | None  # its cells as its next GET sends them


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
    return Saved(minor, data, finite, valid, trusted, None, _get_form(cell, metadata, finite))


def _get_form(
    cell: dict[str, Any], metadata: dict[str, Any], finite: bool
) -> getform.Encoded | None:
    """The cell as a GET of the saved file sends it (its lines joined, no trust mark),
    in place; None: the save encodes the whole notebook for that."""
    had_mark = "trusted" in metadata
    mark = metadata.pop("trusted", None)
    try:
        notebooks.rejoin_cell(cell)
        return getform.encode(cell, finite)
    except (TypeError, ValueError, RecursionError):
        return None
    finally:
        if had_mark:
            metadata["trusted"] = mark


class SavedFile(NamedTuple):
    """A notebook's last save: what saving each cell gave, the text it was sent as (None:
    unknown, or not what was saved; equal texts are equal cells) and its id."""

    cells: list[Saved]
    texts: list[str | None]
    ids: list[Any]


def _kept(texts: list[str | None], kept: SavedFile | None) -> list[Saved | None]:
    """Each cell as the last save gave it, or None (see cellmatch.py)."""
    if kept is None:
        return [None] * len(texts)
    old = kept.texts

    def equal(index: int, before: int) -> bool:
        return texts[index] is not None and texts[index] == old[before]

    found = cellmatch.match(len(texts), len(old), equal, texts.__getitem__, old.__getitem__)
    return [kept.cells[before] if before is not None else None for before in found]


def _ids_kept(cells: list[Any], minor: Any) -> bool:
    """Whether notebooks.repair_cell_ids would leave every cell's id as it is."""
    if minor < 5:
        return True
    ids = [_cell_id(cell) for cell in cells]
    try:
        return None not in ids and len(set(ids)) == len(ids)
    except TypeError:  # an id that is not hashable: repairing reports it
        return False


def _cell_id(cell: dict[str, Any] | sentbody.Unparsed) -> Any:
    return cell.cell_id if isinstance(cell, sentbody.Unparsed) else cell.get("id")


class SaveMemo:
    def __init__(self, budget: int = BUDGET) -> None:
        self._files: PerFile[SavedFile] = PerFile(budget)

    def read_body(self, real: Path, raw: bytes) -> sentbody.Sent | None:
        """A save's body, read with the cells the last save to `real` was sent (see
        sentbody.py); None: parse it the usual way."""
        kept = self._files.get(real)
        last = sentbody.LastSent(kept.texts, kept.ids) if kept else sentbody.LastSent((), ())
        return sentbody.read(raw, last)

    def prepare(
        self, real: Path, nb: notebooks.Notebook, texts: Sequence[str] = ()
    ) -> Prepared | None:
        """The file for a notebook being saved to `real`, its cells' ids repaired first as
        a save does; None: save it the usual way. `nb` is changed as a save changes it;
        its cells may be Unparsed (sentbody.py), `texts` what each was sent as.
        Unparsed cells are loaded only where a cell must be saved or walked again."""
        cells = nb.get("cells")
        if not isinstance(cells, list) or not all(
            isinstance(cell, dict | sentbody.Unparsed) for cell in cells
        ):
            return None
        if any(key < "cells" for key in nb if key != "cells"):
            return None  # "cells" would not come first in the file
        minor = nb.get("nbformat_minor", 0)
        sent: list[str | None] = list(texts) if len(texts) == len(cells) else [None] * len(cells)
        for index, cell in enumerate(cells):
            if isinstance(cell, sentbody.Unparsed):
                sent[index] = cell.text
        if not _ids_kept(cells, minor):
            sentbody.load_all(cells)
            sent_ids = [cell.get("id") for cell in cells]
            notebooks.repair_cell_ids(nb)
            for index, cell in enumerate(cells):
                if cell.get("id") is not sent_ids[index]:
                    sent[index] = None  # not the text of what is saved
        checker = schema.fast_checker(minor)
        saved: list[Saved] = []
        for index, known in enumerate(_kept(sent, self._files.get(real))):
            if known is None or known.minor != minor:
                known = _save_cell(sentbody.loaded(cells, index), minor, checker)
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
            for index, cell in enumerate(saved):
                if cell.walk is None:
                    walk = trust_digest.cell_walk(sentbody.loaded(cells, index))
                    saved[index] = cell._replace(walk=walk)
        ids = [_cell_id(cell) for cell in cells]
        self._keep(real, SavedFile(saved, sent, ids))
        get_form = [cell.sent for cell in saved if cell.sent is not None]
        return Prepared(
            raw,
            top_finite and all(cell.finite for cell in saved),
            valid,
            top,
            [cell.walk for cell in saved if cell.walk is not None],
            all_trusted,
            get_form if len(get_form) == len(saved) else None,
        )

    def _keep(self, real: Path, kept: SavedFile) -> None:
        size = sum(len(text or "") for text in kept.texts)
        size += sum(
            len(cell.text) + len(cell.walk or b"") + len(cell.sent.text if cell.sent else b"")
            for cell in kept.cells
        )
        self._files.keep(real, kept, size)

    def kept_bytes(self) -> int:
        return self._files.kept_bytes()
