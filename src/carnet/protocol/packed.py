"""A message kept as its encoded JSON parts: what the server relays.

The server passes a kernel's messages on to websockets as the kernel wrote them.
It needs their header and parent header (the type, the ids that route them), but
most of them it never needs to read: decoding a 27 MB display only to encode it
again would cost more than everything else on its way. So a PackedMessage has
the header and parent header decoded, the metadata and content still bytes, and
`decode()` for whoever must read them (the recorder, for the runs it follows).
"""

from __future__ import annotations

from dataclasses import dataclass

from carnet.protocol.messages import JsonDict, Message, Routed, check_header, unpack


@dataclass(frozen=True, slots=True)
class PackedMessage(Routed):
    header: JsonDict
    parent_header: JsonDict
    # header, parent_header, metadata, content: JSON, as received (or packed once).
    parts: tuple[bytes, bytes, bytes, bytes]
    buffers: tuple[bytes, ...] = ()
    identities: tuple[bytes, ...] = ()

    @classmethod
    def from_parts(
        cls,
        parts: tuple[bytes, bytes, bytes, bytes],
        buffers: tuple[bytes, ...] = (),
        identities: tuple[bytes, ...] = (),
    ) -> PackedMessage:
        """Decodes the header and parent header; raises MalformedMessage."""
        header = unpack(parts[0])
        check_header(header)
        return cls(header, unpack(parts[1]), parts, buffers, identities)

    @classmethod
    def from_message(cls, msg: Message) -> PackedMessage:
        """A message made here (a status, a notice), packed once for every websocket."""
        return cls(msg.header, msg.parent_header, msg.wire_parts(), msg.buffers, msg.identities)

    @property
    def size(self) -> int:
        """Bytes held: the JSON parts and the buffers."""
        return sum(len(p) for p in self.parts) + sum(len(b) for b in self.buffers)

    def content(self) -> JsonDict:
        """The content, decoded now (each call decodes again); raises MalformedMessage."""
        return unpack(self.parts[3])

    def decode(self) -> Message:
        """The whole message; raises MalformedMessage."""
        metadata, content = unpack(self.parts[2]), unpack(self.parts[3])
        return Message(
            self.header,
            self.parent_header,
            metadata,
            content,
            self.buffers,
            self.identities,
            self.parts,
        )
