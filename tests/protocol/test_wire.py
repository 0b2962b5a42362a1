"""Frames <-> messages without sockets: round trips, tampering, truncation, replay."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.errors import InvalidSignature, MalformedMessage, ProtocolError, ReplayedMessage
from carnet.protocol import DELIMITER, PROTOCOL_VERSION, Message, Session
from carnet.protocol.wire import serialize_parts

json_scalars = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
json_objects = st.dictionaries(st.text(max_size=8), json_values, max_size=5)
identities = st.lists(
    st.binary(min_size=1, max_size=8).filter(lambda b: b != DELIMITER), max_size=3
)
buffers = st.lists(st.binary(max_size=64), max_size=3)


def pair(key: bytes = b"secret") -> tuple[Session, Session]:
    return Session(key=key), Session(key=key)


@settings(max_examples=200, deadline=None)
@given(content=json_objects, metadata=json_objects, idents=identities, bufs=buffers)
def test_round_trip(
    content: dict[str, Any], metadata: dict[str, Any], idents: list[bytes], bufs: list[bytes]
) -> None:
    sender, receiver = pair()
    msg = sender.msg("execute_request", content, metadata=metadata, buffers=bufs, identities=idents)
    received = receiver.deserialize(sender.serialize(msg))
    assert received == msg


@settings(max_examples=100, deadline=None)
@given(content=json_objects, data=st.data())
def test_any_tampered_byte_is_rejected(content: dict[str, Any], data: st.DataObject) -> None:
    sender, receiver = pair()
    frames = [bytes(f) for f in sender.serialize(sender.msg("comm_msg", content))]
    # frames: [DELIM, signature, header, parent, metadata, content]
    part = data.draw(st.integers(2, 5))
    assert frames[part], "JSON parts are never empty"
    pos = data.draw(st.integers(0, len(frames[part]) - 1))
    mutated = bytearray(frames[part])
    mutated[pos] ^= data.draw(st.integers(1, 255))
    frames[part] = bytes(mutated)
    with pytest.raises(InvalidSignature):
        receiver.deserialize(frames)


@given(cut=st.integers(0, 5))
def test_truncated_frames_are_rejected(cut: int) -> None:
    sender, receiver = pair()
    frames = sender.serialize(sender.msg("kernel_info_request"))
    with pytest.raises(ProtocolError):
        receiver.deserialize(frames[:cut])


def test_replayed_message_is_rejected() -> None:
    sender, receiver = pair()
    frames = sender.serialize(sender.msg("execute_request", {"code": "1"}))
    receiver.deserialize(frames)
    with pytest.raises(ReplayedMessage):
        receiver.deserialize(frames)


def test_wrong_key_and_missing_signature_are_rejected() -> None:
    sender = Session(key=b"one")
    frames = sender.serialize(sender.msg("kernel_info_request"))
    with pytest.raises(InvalidSignature):
        Session(key=b"two").deserialize(frames)
    unsigned = [frames[0], b"", *frames[2:]]
    with pytest.raises(InvalidSignature, match="unsigned"):
        Session(key=b"one").deserialize(unsigned)


def test_empty_key_means_unsigned() -> None:
    sender, receiver = pair(key=b"")
    frames = sender.serialize(sender.msg("kernel_info_request"))
    assert frames[1] == b""
    # Unsigned sessions cannot detect replays, so the same frames are accepted twice.
    assert receiver.deserialize(frames).msg_type == "kernel_info_request"
    assert receiver.deserialize(frames).msg_type == "kernel_info_request"


def test_signature_is_verified_before_json_is_parsed() -> None:
    receiver = Session(key=b"k")
    frames = [DELIMITER, b"0" * 64, b"{not json", b"{}", b"{}", b"{}"]
    with pytest.raises(InvalidSignature):
        receiver.deserialize(frames)


@pytest.mark.parametrize(
    "header",
    [b"[]", b"{not json", b"\xff\xfe", b'{"msg_type": "x"}', b'{"msg_id": 1, "msg_type": "x"}'],
)
def test_malformed_but_signed_parts_are_rejected(header: bytes) -> None:
    sender, receiver = pair()
    frames = serialize_parts([header, b"{}", b"{}", b"{}"], sender.signer)
    with pytest.raises(MalformedMessage):
        receiver.deserialize(frames)


def test_deeply_nested_json_is_a_clean_error() -> None:
    sender, receiver = pair()
    content = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    header = json.dumps({"msg_id": "1", "msg_type": "x"}).encode()
    frames = serialize_parts([header, b"{}", b"{}", content], sender.signer)
    with pytest.raises(MalformedMessage):
        receiver.deserialize(frames)


def test_header_fields_and_dates() -> None:
    session = Session(key=b"k", username="ada")
    msg = session.msg("kernel_info_request")
    assert msg.header["version"] == PROTOCOL_VERSION == "5.3"
    assert msg.header["session"] == session.session_id
    assert msg.header["username"] == "ada"
    assert msg.header["date"].endswith("Z")
    assert "T" in msg.header["date"]
    assert session.msg("x").msg_id != msg.msg_id


def test_reply_carries_parent_and_identities() -> None:
    client, kernel = pair()
    request = client.msg("kernel_info_request")
    frames = [b"client-id", *client.serialize(request)]
    received = kernel.deserialize(frames)
    assert received.identities == (b"client-id",)
    reply = kernel.reply(received, "kernel_info_reply", {"status": "ok"})
    reply_frames = kernel.serialize(reply)
    assert reply_frames[0] == b"client-id"
    back = client.deserialize(reply_frames[1:])
    assert back.parent_msg_id == request.msg_id
    assert back.content == {"status": "ok"}


def test_raw_message_defers_content_decoding() -> None:
    sender, receiver = pair()
    msg = sender.msg("stream", {"name": "stdout", "text": "hi"})
    raw = receiver.parse(sender.serialize(msg))
    assert raw.header["msg_type"] == "stream"
    assert json.loads(raw.parts[3]) == {"name": "stdout", "text": "hi"}
    assert raw.decode().content == msg.content


def test_non_finite_floats_and_odd_types_are_encoded() -> None:
    sender, receiver = pair()
    content = {"nan": float("nan"), "inf": float("inf"), "t": (1, 2), "b": b"\x00\x01"}
    got = receiver.deserialize(sender.serialize(sender.msg("x", content))).content
    assert got == {"nan": None, "inf": None, "t": [1, 2], "b": "AAE="}


def test_message_dict_form_round_trips() -> None:
    session = Session()
    msg = session.msg("execute_request", {"code": "1+1"}, buffers=[b"x"])
    as_dict = msg.to_dict()
    assert as_dict["msg_type"] == "execute_request"
    assert Message.from_dict(as_dict) == msg
    with pytest.raises(MalformedMessage):
        Message.from_dict({"header": {"msg_type": "x"}})
