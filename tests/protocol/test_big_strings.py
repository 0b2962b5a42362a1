"""A message with a big string (a base64 image) is packed by orjson: the same JSON as
json.dumps makes, and what orjson refuses or would write otherwise still packs as before."""

from __future__ import annotations

import dataclasses
import datetime
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.protocol import Session, messages
from carnet.protocol.messages import BIG_STRING, json_default, pack

# The threshold is made small for these tests (see `small_threshold`): big strings of any
# content stay cheap to generate and to show.
SMALL = 16
big_text = st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=SMALL, max_size=40)
leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    big_text,
    st.builds(lambda t: t + "é", big_text),
)


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        leaves,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(st.text(max_size=5) | st.integers(), inner, max_size=3)
        ),
        max_leaves=6,
    )
)
def test_big_strings_are_packed_as_json_dumps_packs_them(content: Any) -> None:
    # Not byte for byte (orjson may write a float otherwise): the same JSON.
    obj = {"data": content, "metadata": {}}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(messages, "BIG_STRING", SMALL)
        packed = pack(obj)
    expected = json.dumps(
        _clean(obj), ensure_ascii=False, separators=(",", ":"), default=json_default
    ).encode("utf-8", "surrogatepass")
    assert json.loads(packed) == json.loads(expected)


def _clean(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    return obj


def test_a_big_display_is_packed_as_json_dumps_packs_it_and_round_trips() -> None:
    sender, receiver = Session(b"k"), Session(b"k")
    png = "iVBORw0KGgo" * (BIG_STRING // 5)
    bundle = {
        "image/png": png,
        "image/jpeg": png + "\n",  # IPython 8 ends its base64 with a newline
        "text/html": '<b class="x">\\\n\t' * 100_000,
        "text/plain": "".join(map(chr, range(128))) * 10_000,  # too many kinds: json.dumps
    }
    content = {"data": bundle, "metadata": {}, "transient": {}}
    msg = sender.msg("display_data", content)
    frames = sender.serialize(msg)
    assert png.encode() in frames[-1]
    assert json.loads(frames[-1]) == content
    assert receiver.deserialize(frames).content == msg.content


def test_what_orjson_would_write_otherwise_or_refuses_packs_as_before() -> None:
    png = "iVBORw0KGgo" * (BIG_STRING // 5)
    moment = datetime.datetime(2026, 12, 5, 18, 0, tzinfo=datetime.UTC)

    @dataclasses.dataclass
    class Point:
        x: int

    for extra, expected in (
        (moment, "2026-12-05T18:00:00Z"),  # json_default's form, not orjson's
        (2**70, 2**70),  # past 64 bits
        ("\ud800", "\ud800"),  # a lone surrogate
        (float("nan"), None),
    ):
        packed = pack({"data": {"image/png": png}, "extra": extra})
        assert json.loads(packed)["extra"] == expected, extra
    assert json.loads(pack({"data": {"image/png": png}, 1: "int key"}))["1"] == "int key"
    with pytest.raises(TypeError):
        pack({"data": {"image/png": png}, "extra": Point(1)})  # as json.dumps would
