"""Both kernel websocket formats: round trips, interop with jupyter_server, hostile frames."""

from __future__ import annotations

import json
import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.errors import MalformedMessage
from carnet.protocol import PackedMessage, Session
from carnet.server.ws.formats import (
    WsMessage,
    decode_legacy,
    decode_v1,
    encode_legacy,
    encode_v1,
)

channels = st.sampled_from(["shell", "iopub", "stdin", "control"])
contents = st.dictionaries(st.text(max_size=6), st.integers() | st.text(max_size=10), max_size=4)
buffers = st.lists(st.binary(max_size=40), max_size=3)


def ws_message(channel: str, content: dict[str, Any], bufs: list[bytes]) -> WsMessage:
    msg = Session().msg("comm_msg", content, buffers=bufs)
    return WsMessage.from_message(channel, msg)


@settings(max_examples=150, deadline=None)
@given(channel=channels, content=contents, bufs=buffers)
def test_v1_round_trip(channel: str, content: dict[str, Any], bufs: list[bytes]) -> None:
    msg = ws_message(channel, content, bufs)
    assert decode_v1(encode_v1(msg)) == msg


@settings(max_examples=150, deadline=None)
@given(channel=channels, content=contents, bufs=buffers)
def test_legacy_round_trip(channel: str, content: dict[str, Any], bufs: list[bytes]) -> None:
    msg = ws_message(channel, content, bufs)
    back = decode_legacy(encode_legacy(msg))
    assert back.channel == channel
    assert back.decode().content == content
    assert back.buffers == tuple(bufs)
    assert isinstance(encode_legacy(msg), bytes) == bool(bufs)


@settings(max_examples=50, deadline=None)
@given(channel=channels, content=contents, bufs=buffers)
def test_matches_jupyter_server_formats(
    channel: str, content: dict[str, Any], bufs: list[bytes]
) -> None:
    from jupyter_server.services.kernels.connection import base as js

    msg = ws_message(channel, content, bufs)
    # v1: both directions, byte for byte.
    ours = encode_v1(msg)
    theirs = js.serialize_msg_to_ws_v1([*msg.parts, *msg.buffers], channel)
    assert ours == theirs
    js_channel, js_parts = js.deserialize_msg_from_ws_v1(ours)
    assert js_channel == channel
    assert [bytes(p) for p in js_parts] == [*msg.parts, *msg.buffers]
    # legacy binary: jupyter_server reads what we write, and we read what it writes.
    if bufs:
        decoded = js.deserialize_binary_message(encode_legacy(msg))
        assert decoded["content"] == content
        assert [bytes(b) for b in decoded["buffers"]] == bufs
        as_dict = msg.decode().to_dict() | {"channel": channel, "buffers": list(bufs)}
        as_dict["header"] = json.loads(json.dumps(as_dict["header"]))
        assert decode_legacy(js.serialize_binary_message(as_dict)).buffers == tuple(bufs)


@pytest.mark.parametrize(
    "frame",
    [
        b"",
        b"\x01",
        struct.pack("<Q", 10**12),
        struct.pack("<Q", 6) + struct.pack("<6Q", 56, 60, 61, 62, 63, 10**9),
        struct.pack("<Q", 6) + struct.pack("<6Q", 56, 50, 60, 60, 60, 60) + b"\0" * 4,
        encode_v1(WsMessage("shell", (b"{}", b"{}", b"{}", b"{}"))).replace(b"shell", b"xhell"),
    ],
)
def test_hostile_v1_frames_are_rejected(frame: bytes) -> None:
    with pytest.raises(MalformedMessage):
        decode_v1(frame)


@pytest.mark.parametrize(
    "frame",
    [
        "",
        "[]",
        "{not json",
        json.dumps({"channel": "shell"}),
        json.dumps({"channel": "nope", "header": {"msg_id": "1", "msg_type": "x"}}),
        json.dumps({"channel": "shell", "header": {"msg_id": "1", "msg_type": "x"}, "content": 3}),
        "[" * 100_000,
        b"\x00\x00",
        struct.pack("!I", 2**31),
        struct.pack("!II", 1, 3) + b"{}",
        b"\xff" * 16,
    ],
)
def test_hostile_legacy_frames_are_rejected(frame: str | bytes) -> None:
    with pytest.raises(MalformedMessage):
        decode_legacy(frame)


def test_a_received_message_is_forwarded_with_its_parts_as_they_came() -> None:
    # The kernel's JSON goes to websockets as it arrived (no decode-encode round), in
    # both formats; a changed copy is encoded afresh.
    kernel, server = Session(b"key"), Session(b"key")
    sent = kernel.msg("stream", {"name": "stdout", "text": "é \u2028 x"}, metadata={"a": 1})
    frames = [bytes(f) for f in kernel.serialize(sent)]
    # What a kernel in another language may send: other spacing, escaped non-ASCII.
    frames[-1] = b'{ "name" : "stdout", "text": "\\u00e9 \\u2028 x" }'
    frames[-5] = kernel.signer.sign(frames[-4:])
    received = server.deserialize(frames)
    wire = WsMessage.from_message("iopub", received)
    assert wire.parts[3] == frames[-1]
    assert decode_v1(encode_v1(wire)).decode().content == sent.content
    assert json.loads(encode_legacy(wire))["content"] == sent.content
    changed = received.replace_content({"name": "stdout", "text": "y"})
    assert json.loads(WsMessage.from_message("iopub", changed).parts[3]) == changed.content


def test_a_legacy_frame_carries_the_kernels_parts_as_they_came() -> None:
    # Spliced into the legacy JSON object, not decoded and encoded again.
    content = b'{ "name" : "stdout", "text": "\\u00e9 \\u2028 x" }'
    msg = Session().msg("stream", {})
    wire = WsMessage("iopub", (*WsMessage.from_message("iopub", msg).parts[:3], content))
    text = encode_legacy(wire)
    assert isinstance(text, str) and content.decode() in text
    data = json.loads(text)
    assert data["content"] == {"name": "stdout", "text": "é \u2028 x"}
    assert data["channel"] == "iopub" and data["msg_id"] == msg.msg_id
    assert data["header"] == json.loads(json.dumps(msg.header)) and data["buffers"] == []
    binary = encode_legacy(WsMessage("iopub", wire.parts, (b"\x00buffer",)))
    assert isinstance(binary, bytes) and content in binary
    back = decode_legacy(binary)
    assert back.decode().content == data["content"] and back.buffers == (b"\x00buffer",)


def test_a_legacy_frame_from_a_decoded_header_is_the_same_frame() -> None:
    # The relay passes the header it decoded once for all websockets; the frame must not
    # differ from one whose header the encoder decodes itself, with or without buffers.
    request = Session().msg("execute_request", {})
    msg = Session().msg("display_data", {"data": {"text/plain": "1"}}, parent=request)
    packed = PackedMessage.from_message(msg)
    for buffers in ((), (b"\x00buffer",)):
        wire = WsMessage("iopub", packed.parts, buffers)
        assert encode_legacy(wire, packed.header) == encode_legacy(wire)
    made = json.loads(encode_legacy(WsMessage("iopub", packed.parts), packed.header))
    assert (made["msg_id"], made["msg_type"]) == (msg.msg_id, "display_data")
    assert list(made)[-1] == "channel" and made["buffers"] == []
