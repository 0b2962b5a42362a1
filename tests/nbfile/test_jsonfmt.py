"""The fast notebook writer produces exactly what json.dumps / nbformat produce."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.nbfile.jsonfmt import Lines, dumps


def reference(value: object) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False, separators=(",", ": "))


# Text rich in what matters: newlines of every kind, backslashes, quotes, controls.
TRICKY = st.text(
    alphabet=st.sampled_from(
        list("ab \n\r\t\\\"'/é\x00\x0b\x0c\x1c\x1f\x7f\x85\u2028\u2029\ud800😀n")
    ),
    max_size=40,
)
TEXT = st.one_of(st.text(max_size=30), TRICKY)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | TEXT,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(TEXT, children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(JSON)
def test_same_as_json_dumps(value: object) -> None:
    assert dumps(value) == reference(value)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.integers(min_value=0, max_value=3))
def test_lines_are_written_as_splitlines_would_be(text: str, depth: int) -> None:
    marked: object = Lines(text)
    plain: object = text.splitlines(True)
    for _ in range(depth):
        marked, plain = {"k": marked}, {"k": plain}
    assert dumps(marked) == reference(plain)


def test_what_json_cannot_hold_is_refused() -> None:
    for bad in ({1: "int key"}, {"set": {1, 2}}, b"bytes"):
        try:
            dumps(bad)
        except TypeError:
            continue
        raise AssertionError(f"{bad!r} was accepted")
