"""A save's body read against the cells the notebook's last save sent.

Between two saves of a notebook most of its cells are sent again byte for byte: the
same client encodes the same cell the same way. A JSON object ends at its own closing
brace, so where the body holds, at a cell's place, exactly the text of a cell the last
save sent, that text is that cell: parsing it would give what it gave then. Such a
cell is neither parsed nor checked again. It stays Unparsed, with the text and id the
save memo keeps of it, and the memo knows it by that text; whatever needs the object
(seldom: the memo keeps what saving it gave) parses it then.

Only the two levels above the cells are read here, each value with the json module's
own decoder. Anything unusual (not UTF-8, a byte order mark, not an object, data after
it, an escaped lone surrogate outside the known cells) gives None: the caller parses
the body the usual way, which accepts or reports it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from carnet.server.jsonbody import SURROGATE_ESCAPE, encodable

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()  # json.loads' own settings
# The first characters of a cell's text, by which a moved cell is looked for.
_PREFIX = 48


class Unparsed:
    """A cell sent as the last save sent it. A class of its own, not a tuple: one that
    reached an encoder unloaded would fail loudly, not be written as an array."""

    __slots__ = ("cell_id", "text")

    def __init__(self, text: str, cell_id: Any) -> None:
        self.text = text
        self.cell_id = cell_id

    def load(self) -> dict[str, Any]:
        cell: dict[str, Any] = _DECODER.decode(self.text)
        return cell


class LastSent(NamedTuple):
    """What the last save of a notebook sent, cell by cell: each one's text (None: not
    to be matched; else an object's) and id."""

    texts: Sequence[str | None]
    ids: Sequence[Any]


class Sent(NamedTuple):
    body: dict[str, Any]
    texts: list[str]  # the text of each of body["content"]["cells"], in order


def loaded(cells: list[Any], index: int) -> dict[str, Any]:
    """The cell at `index`, an Unparsed one replaced by its object first."""
    cell = cells[index]
    if isinstance(cell, Unparsed):
        cell = cells[index] = cell.load()
    found: dict[str, Any] = cell
    return found


def load_all(cells: list[Any]) -> None:
    """Every Unparsed cell of `cells` replaced by its object."""
    for index in range(len(cells)):
        loaded(cells, index)


def read(raw: bytes, known: LastSent) -> Sent | None:
    """The body `raw`, its known cells left Unparsed; None: parse it the usual way.

    Cells stay Unparsed only in a notebook's content (type "notebook", not a chunk).
    """
    try:
        text = raw.decode("utf-8")
        reader = _Reader(text, known)
        body = reader.body()
        if body is None or not reader.encodable(body):
            return None
    except (ValueError, RecursionError):  # JSONDecodeError and UnicodeDecodeError too
        return None
    content = body.get("content")
    if not isinstance(content, dict) or content.get("cells") is not reader.cells:
        return Sent(body, []) if not reader.unparsed else None
    if reader.cells is not None and (body.get("type") != "notebook" or "chunk" in body):
        load_all(reader.cells)
    return Sent(body, reader.texts)


def _skipped(value: Any) -> None:
    if isinstance(value, Unparsed):
        return None
    raise TypeError(f"{type(value).__name__} is not JSON")


class _Reader:
    def __init__(self, text: str, known: LastSent) -> None:
        self.text = text
        self.known = known
        self.cells: list[Any] | None = None
        self.texts: list[str] = []
        self.unparsed: list[tuple[int, int]] = []  # where in the text, in order
        self._by_prefix: dict[str, list[int]] | None = None

    def skip(self, pos: int) -> int:
        match = _SPACE.match(self.text, pos)
        return match.end() if match else pos

    def body(self) -> dict[str, Any] | None:
        pos = self.skip(0)
        if not self.text.startswith("{", pos):
            return None
        body, pos = self.object(pos, self.top_member)
        return body if self.skip(pos) == len(self.text) else None

    def encodable(self, body: dict[str, Any]) -> bool:
        """Whether every string outside the Unparsed cells (theirs were saved before) can
        be encoded: an escaped surrogate that is not half of a pair cannot."""
        start = 0
        for begin, end in [*self.unparsed, (len(self.text), len(self.text))]:
            if SURROGATE_ESCAPE.search(self.text, start, begin):
                break
            start = end
        else:
            return True
        return encodable(body, default=_skipped)

    def object(
        self, pos: int, member: Callable[[str, int], tuple[Any, int]]
    ) -> tuple[dict[str, Any], int]:
        text = self.text
        found: dict[str, Any] = {}
        pos = self.skip(pos + 1)
        if text.startswith("}", pos):
            return found, pos + 1
        while True:
            if not text.startswith('"', pos):
                raise ValueError("a member's name is not a string")
            key, pos = _DECODER.raw_decode(text, pos)
            pos = self.skip(pos)
            if not text.startswith(":", pos):
                raise ValueError("no colon after a member's name")
            value, pos = member(key, self.skip(pos + 1))
            found[key] = value
            pos = self.skip(pos)
            if text.startswith(",", pos):
                pos = self.skip(pos + 1)
            elif text.startswith("}", pos):
                return found, pos + 1
            else:
                raise ValueError("no comma or brace after a member")

    def top_member(self, key: str, pos: int) -> tuple[Any, int]:
        if key == "content" and self.text.startswith("{", pos):
            return self.object(pos, self.content_member)
        value: tuple[Any, int] = _DECODER.raw_decode(self.text, pos)
        return value

    def content_member(self, key: str, pos: int) -> tuple[Any, int]:
        if key == "cells" and self.text.startswith("[", pos):
            return self.cell_list(pos)
        value: tuple[Any, int] = _DECODER.raw_decode(self.text, pos)
        return value

    def cell_list(self, pos: int) -> tuple[list[Any], int]:
        text, known = self.text, self.known
        cells: list[Any] = []
        texts: list[str] = []
        pos = self.skip(pos + 1)
        after = 0  # the known cell after the last one found
        while not text.startswith("]", pos) or cells:
            before = self.find(pos, len(cells), after)
            if before is None:
                cell, end = _DECODER.raw_decode(text, pos)
                cells.append(cell)
                texts.append(text[pos:end])
            else:
                was = known.texts[before]
                assert was is not None  # find checked it
                end = pos + len(was)
                cells.append(Unparsed(was, known.ids[before]))
                texts.append(was)
                self.unparsed.append((pos, end))
                after = before + 1
            pos = self.skip(end)
            if text.startswith(",", pos):
                pos = self.skip(pos + 1)
            elif text.startswith("]", pos):
                break
            else:
                raise ValueError("no comma or bracket after a cell")
        self.cells, self.texts = cells, texts
        return cells, pos + 1

    def find(self, pos: int, index: int, after: int) -> int | None:
        """The known cell whose text is at `pos`: the one at the same place, the one after
        the last found, else any with the same first characters (a moved cell; one too
        short to have them all is parsed, which costs little)."""
        for before in (index, after) if index != after else (index,):
            if self.at(before, pos):
                return before
        if self._by_prefix is None:
            self._by_prefix = {}
            for before, was in enumerate(self.known.texts):
                if was is not None and len(was) >= _PREFIX:
                    self._by_prefix.setdefault(was[:_PREFIX], []).append(before)
        for before in self._by_prefix.get(self.text[pos : pos + _PREFIX], ()):
            if self.at(before, pos):
                return before
        return None

    def at(self, before: int, pos: int) -> bool:
        known = self.known
        if not 0 <= before < len(known.texts):
            return False
        was = known.texts[before]
        return was is not None and self.text.startswith(was, pos)
