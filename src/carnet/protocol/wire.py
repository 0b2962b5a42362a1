"""Frames <-> messages.

On the wire a message is a list of frames:

    [identity, ..., b"<IDS|MSG>", signature, header, parent_header, metadata, content,
     buffer, ...]

Identities are routing prefixes added by ROUTER sockets. The signature is the
hex HMAC of the four JSON parts. Parsing verifies the signature before any JSON
is decoded, so an unauthenticated peer never reaches the JSON parser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from carnet.errors import MalformedMessage
from carnet.protocol.messages import JsonDict, Message, check_header, pack, unpack
from carnet.protocol.packed import PackedMessage
from carnet.protocol.signing import ReplayGuard, Signer

DELIMITER = b"<IDS|MSG>"
# Real identities are short; refuse absurd routing prefixes early.
MAX_IDENTITIES = 32

Frame = bytes | bytearray | memoryview


@dataclass(frozen=True, slots=True)
class RawMessage:
    """A verified message whose JSON parts are still bytes.

    Forwarding code (the server's websocket bridge) can pass the parts on
    without decoding the content; `decode()` gives the full Message.
    """

    identities: tuple[bytes, ...]
    signature: bytes
    parts: tuple[bytes, bytes, bytes, bytes]
    buffers: tuple[bytes, ...]

    @property
    def header(self) -> JsonDict:
        header = unpack(self.parts[0])
        check_header(header)
        return header

    def packed(self) -> PackedMessage:
        """Header and parent header decoded, the rest left as bytes (for relaying)."""
        return PackedMessage.from_parts(self.parts, self.buffers, self.identities)

    def decode(self) -> Message:
        header, parent, metadata, content = (unpack(p) for p in self.parts)
        check_header(header)
        return Message(header, parent, metadata, content, self.buffers, self.identities, self.parts)


def _to_bytes(frame: Frame) -> bytes:
    return frame if isinstance(frame, bytes) else bytes(frame)


def split_identities(frames: Sequence[Frame]) -> tuple[tuple[bytes, ...], list[bytes]]:
    """Split at the delimiter: (identities, everything after it)."""
    for index, frame in enumerate(frames[: MAX_IDENTITIES + 1]):
        if _to_bytes(frame) == DELIMITER:
            idents = tuple(_to_bytes(f) for f in frames[:index])
            return idents, [_to_bytes(f) for f in frames[index + 1 :]]
    raise MalformedMessage("no <IDS|MSG> delimiter in message frames")


def parse_frames(
    frames: Sequence[Frame], signer: Signer, replay: ReplayGuard | None = None
) -> RawMessage:
    """Verify frames and split them into parts; raises a ProtocolError subclass."""
    identities, rest = split_identities(frames)
    if len(rest) < 5:
        raise MalformedMessage(f"message has {len(rest)} frames after the delimiter, needs 5")
    signature = rest[0]
    parts = (rest[1], rest[2], rest[3], rest[4])
    signer.verify(parts, signature)
    if replay is not None and signer.enabled:
        replay.check(signature)
    return RawMessage(identities, signature, parts, tuple(rest[5:]))


def serialize_parts(
    parts: Sequence[bytes],
    signer: Signer,
    identities: Sequence[bytes] = (),
    buffers: Sequence[Frame] = (),
) -> list[bytes | Frame]:
    """Frames for four already-encoded JSON parts (used when forwarding)."""
    return [*identities, DELIMITER, signer.sign(parts), *parts, *buffers]


def serialize(msg: Message, signer: Signer) -> list[bytes | Frame]:
    parts = (pack(msg.header), pack(msg.parent_header), pack(msg.metadata), pack(msg.content))
    return serialize_parts(parts, signer, msg.identities, msg.buffers)
