"""Reading a save's body against the cells the last save sent (contents/sentbody.py): the
body is always what json.loads makes of it, only cells sent byte for byte as before are
left unparsed, and anything unusual is left to the usual parser."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.server.contents import sentbody

# JSON values without NaN (which is never equal to itself, so the comparison would fail).
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
CELLS = st.lists(st.dictionaries(st.text(max_size=5), VALUES, max_size=4), max_size=6)
# Each as a client may write a body: compact, Python's default, indented, non-ASCII as is.
FORMATS = st.sampled_from(
    [
        {"separators": (",", ":"), "ensure_ascii": False},
        {},
        {"indent": 1},
        {"indent": "\t", "separators": (" ,", " : ")},
    ]
)
EDIT = st.tuples(st.sampled_from(["insert", "delete", "change", "move", "none"]), st.integers())


def body_of(cells: list[Any], form: dict[str, Any], **extra: Any) -> bytes:
    model = {"type": "notebook", "format": "json", **extra}
    model["content"] = {"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}}
    return json.dumps(model, **form).encode()


def known_from(sent: sentbody.Sent) -> sentbody.LastSent:
    """What a save memo would keep of a body it saved: each cell's text and id."""
    cells = sent.body["content"]["cells"]
    sentbody.load_all(cells)
    return sentbody.LastSent(sent.texts, [cell.get("id") for cell in cells])


NOTHING_KNOWN = sentbody.LastSent((), ())


def read(raw: bytes, known: sentbody.LastSent = NOTHING_KNOWN) -> sentbody.Sent:
    sent = sentbody.read(raw, known)
    assert sent is not None
    return sent


def unparsed(sent: sentbody.Sent) -> int:
    return sum(isinstance(cell, sentbody.Unparsed) for cell in sent.body["content"]["cells"])


def edited(cells: list[Any], edits: list[tuple[str, int]]) -> list[Any]:
    new = [dict(cell) for cell in cells]
    for number, (what, where) in enumerate(edits):
        fresh = {"fresh": number}
        if what == "insert":
            new.insert(where % (len(new) + 1), fresh)
        elif new and what == "delete":
            del new[where % len(new)]
        elif new and what == "change":
            new[where % len(new)]["changed"] = number
        elif new and what == "move":
            new.insert(where % len(new), new.pop(where % len(new) - 1))
    return new


@settings(max_examples=200, deadline=None)
@given(CELLS, st.lists(EDIT, max_size=4), FORMATS, FORMATS)
def test_a_body_read_against_the_last_one_is_what_json_makes_of_it(
    cells: list[Any], edits: list[tuple[str, int]], first: dict[str, Any], then: dict[str, Any]
) -> None:
    before = read(body_of(cells, first))
    assert unparsed(before) == 0
    known = known_from(before)
    new = edited(cells, edits)
    raw = body_of(new, then)
    sent = read(raw, known)
    left = unparsed(sent)
    body = sent.body
    sentbody.load_all(body["content"]["cells"])
    assert body == json.loads(raw)
    # Each text is the cell's own, as it is in the body.
    assert [json.loads(text) for text in sent.texts] == new
    if first == then and not edits:
        assert left == len(cells)  # every cell as it was sent before


def test_only_cells_sent_as_before_are_left_unparsed() -> None:
    cells = [{"id": str(i), "source": "x" * (60 + i)} for i in range(6)]
    compact = {"separators": (",", ":")}
    known = known_from(read(body_of(cells, compact)))
    # One changed, one inserted at the start, two swapped, one deleted.
    new = [{"id": "new"}, cells[0], {**cells[1], "source": "changed"}, cells[3], cells[2], cells[5]]
    sent = read(body_of(new, compact), known)
    kinds = [isinstance(cell, sentbody.Unparsed) for cell in sent.body["content"]["cells"]]
    assert kinds == [False, True, False, True, True, True]
    assert [cell.cell_id for cell in sent.body["content"]["cells"][3:]] == ["3", "2", "5"]
    # The same cells written another way are parsed again.
    assert unparsed(read(body_of(cells, {}), known)) == 0


@pytest.mark.parametrize(
    "raw",
    [
        b"\xef\xbb\xbf" + body_of([], {}),  # a byte order mark: json.loads takes it
        body_of([], {}) + b" {}",  # data after the object
        b'[{"type": "notebook"}]',  # not an object
        b'{"content": {"cells": [{"a": 1},]}}',  # a trailing comma
        b'{"content": {"cells": [{"a": "\\ud800"}]}}',  # a lone surrogate, escaped
        b'{"content": {"cells": [{"a": "\xff"}]}}',  # not UTF-8
        b'{"a" 1}',
        b'{"content": {"cells": [{"a": 1} {"b": 2}]}}',
    ],
)
def test_an_unusual_body_is_left_to_the_usual_parser(raw: bytes) -> None:
    assert sentbody.read(raw, NOTHING_KNOWN) is None


def test_a_lone_surrogate_in_a_new_cell_is_seen_next_to_known_ones() -> None:
    cells = [{"source": "a"}, {"source": "b"}]
    known = known_from(read(body_of(cells, {})))
    raw = body_of([cells[0], {"source": "\ud800"}, cells[1]], {})
    assert b"\\ud800" in raw
    assert sentbody.read(raw, known) is None


@pytest.mark.parametrize("extra", [{"type": "file"}, {"chunk": 1}])
def test_cells_outside_a_notebook_save_are_all_parsed(extra: dict[str, Any]) -> None:
    cells = [{"source": "a"}]
    known = known_from(read(body_of(cells, {})))
    raw = body_of(cells, {}, **extra)
    assert unparsed(read(raw, known)) == 0
    assert unparsed(read(body_of(cells, {}), known)) == 1


def test_an_unparsed_cell_loads_as_its_own_object_each_time() -> None:
    cells = [{"source": ["a", "b"], "metadata": {}}]
    known = known_from(read(body_of(cells, {})))
    first, second = (read(body_of(cells, {}), known).body["content"]["cells"][0] for _ in "ab")
    one, two = first.load(), second.load()
    assert one == two == cells[0]
    one["source"].append("c")  # a save changes the cells it is given
    assert two == cells[0]


def test_an_unparsed_cell_cannot_be_encoded_by_mistake() -> None:
    cell = sentbody.Unparsed('{"a": 1}', None)
    with pytest.raises(TypeError):
        json.dumps([cell])
