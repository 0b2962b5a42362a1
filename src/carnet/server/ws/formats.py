"""The two kernel websocket wire formats, sans I/O.

Legacy (no subprotocol): a text frame holding the message as one JSON object
with a "channel" key; a message with buffers goes in a binary frame:

    uint32 BE n | uint32 BE offsets[n] | JSON message | buffer 1 | ... | buffer n-1

`v1.kernel.websocket.jupyter.org`: always a binary frame, all integers uint64 LE:

    k | offsets[k] | channel | header | parent_header | metadata | content | buffers...

offsets[0] is where the channel name starts, each later offset where a part ends.
Both formats carry the kernel's JSON parts untouched (legacy splices them into
its one JSON object), so the server forwards messages without decoding content.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from carnet.errors import MalformedMessage
from carnet.protocol.messages import JsonDict, Message, check_header, pack, unpack

V1_SUBPROTOCOL = "v1.kernel.websocket.jupyter.org"
CHANNELS = frozenset({"shell", "iopub", "stdin", "control", "hb"})
# Far above any real message part count; stops a forged count from allocating.
MAX_PARTS = 1024


@dataclass(frozen=True, slots=True)
class WsMessage:
    """A message on a websocket: its channel and its four JSON parts (as bytes)."""

    channel: str
    parts: tuple[bytes, bytes, bytes, bytes]
    buffers: tuple[bytes, ...] = ()

    @classmethod
    def from_message(cls, channel: str, msg: Message) -> WsMessage:
        return cls(channel, msg.wire_parts(), msg.buffers)

    def decode(self) -> Message:
        header, parent, metadata, content = (unpack(p) for p in self.parts)
        check_header(header)
        return Message(header, parent, metadata, content, self.buffers)


def _check_channel(channel: object) -> str:
    if not isinstance(channel, str) or channel not in CHANNELS:
        raise MalformedMessage(f"unknown channel {channel!r}")
    return channel


# --- v1.kernel.websocket.jupyter.org -------------------------------------------------


def encode_v1(msg: WsMessage) -> bytes:
    chunks = [msg.channel.encode("utf-8"), *msg.parts, *msg.buffers]
    count = len(chunks) + 1
    offsets = [8 * (count + 1)]
    for chunk in chunks:
        offsets.append(offsets[-1] + len(chunk))
    head = struct.pack(f"<{count + 1}Q", count, *offsets)
    return b"".join([head, *chunks])


def decode_v1(data: bytes) -> WsMessage:
    if len(data) < 8:
        raise MalformedMessage("websocket frame too short for the v1 format")
    (count,) = struct.unpack_from("<Q", data)
    if not 6 <= count <= MAX_PARTS or len(data) < 8 * (count + 1):
        raise MalformedMessage("v1 websocket frame has an impossible offset count")
    offsets = struct.unpack_from(f"<{count}Q", data, 8)
    if offsets[0] != 8 * (count + 1) or offsets[-1] != len(data):
        raise MalformedMessage("v1 websocket frame offsets do not span the frame")
    if any(b < a for a, b in itertools.pairwise(offsets)):
        raise MalformedMessage("v1 websocket frame offsets go backwards")
    chunks = [data[a:b] for a, b in itertools.pairwise(offsets)]
    try:
        channel = _check_channel(chunks[0].decode("utf-8"))
    except UnicodeDecodeError:
        raise MalformedMessage("channel name is not UTF-8") from None
    parts = (chunks[1], chunks[2], chunks[3], chunks[4])
    return WsMessage(channel, parts, tuple(chunks[5:]))


# --- legacy JSON protocol ----------------------------------------------------------


def _legacy_json(msg: WsMessage, with_buffers: bool, header: JsonDict | None) -> bytes:
    """The message as one JSON object: the four parts spliced in as they are."""
    if header is None:
        header = unpack(msg.parts[0])
    tail: JsonDict = {"msg_id": header.get("msg_id", ""), "msg_type": header.get("msg_type", "")}
    if with_buffers:
        tail["buffers"] = []
    tail["channel"] = msg.channel
    return b"".join(
        [
            b'{"header":',
            msg.parts[0],
            b',"parent_header":',
            msg.parts[1],
            b',"metadata":',
            msg.parts[2],
            b',"content":',
            msg.parts[3],
            b",",
            pack(tail)[1:],
        ]
    )


def encode_legacy(msg: WsMessage, header: JsonDict | None = None) -> str | bytes:
    """A text frame, or a binary frame when the message has buffers.

    `header`: the message's header, when the caller has it decoded already (the relay
    does), so that it is not decoded again for every websocket a message goes to.
    """
    if not msg.buffers:
        # JSON is UTF-8; a kernel that wrote otherwise gets U+FFFD, not a failed send.
        return _legacy_json(msg, True, header).decode("utf-8", "replace")
    body = _legacy_json(msg, False, header)
    pieces: list[bytes] = [body, *msg.buffers]
    count = len(pieces)
    offsets = [4 * (count + 1)]
    for piece in pieces[:-1]:
        offsets.append(offsets[-1] + len(piece))
    return b"".join([struct.pack(f"!{count + 1}I", count, *offsets), *pieces])


def _from_legacy_dict(data: JsonDict, buffers: Sequence[bytes]) -> WsMessage:
    channel = _check_channel(data.get("channel"))
    header = data.get("header")
    if not isinstance(header, dict):
        raise MalformedMessage("websocket message has no header object")
    check_header(header)
    others = []
    for name in ("parent_header", "metadata", "content"):
        value = data.get(name) or {}
        if not isinstance(value, dict):
            raise MalformedMessage(f"websocket message {name} is not an object")
        others.append(value)
    parts = (pack(header), pack(others[0]), pack(others[1]), pack(others[2]))
    return WsMessage(channel, parts, tuple(buffers))


def decode_legacy(data: str | bytes) -> WsMessage:
    if isinstance(data, str):
        return _from_legacy_dict(unpack(data.encode("utf-8", "surrogatepass")), ())
    if len(data) < 4:
        raise MalformedMessage("binary websocket frame too short")
    (count,) = struct.unpack_from("!I", data)
    if not 1 <= count <= MAX_PARTS or len(data) < 4 * (count + 1):
        raise MalformedMessage("binary websocket frame has an impossible buffer count")
    offsets = [*struct.unpack_from(f"!{count}I", data, 4), len(data)]
    if offsets[0] != 4 * (count + 1) or any(b < a for a, b in itertools.pairwise(offsets)):
        raise MalformedMessage("binary websocket frame offsets are inconsistent")
    pieces = [data[a:b] for a, b in itertools.pairwise(offsets)]
    return _from_legacy_dict(unpack(pieces[0]), pieces[1:])
