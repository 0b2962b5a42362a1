"""Big strings (a base64 image) are copied into the JSON of a message, not escaped: the
bytes are exactly what json.dumps makes."""

from __future__ import annotations

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
    # Big plain strings are copied into the text, not escaped: the bytes must not change.
    obj = {"data": content, "metadata": {}}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(messages, "BIG_STRING", SMALL)
        packed = pack(obj)
    expected = json.dumps(
        _clean(obj), ensure_ascii=False, separators=(",", ":"), default=json_default
    ).encode("utf-8", "surrogatepass")
    assert packed == expected


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
    assert frames[-1] == json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    assert receiver.deserialize(frames).content == msg.content
