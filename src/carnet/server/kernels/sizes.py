"""How big a kernel message is, roughly: what the server's memory bounds are counted in."""

from __future__ import annotations

from carnet.protocol import Message

# Header, parent header and metadata of a typical message, serialized.
_ENVELOPE_BYTES = 256


def message_size(msg: Message) -> int:
    """Roughly how many bytes a message holds: its strings (two levels deep) and buffers.

    Cheap enough to call on every message; what fills memory under load is the
    text of streams and the data of display messages, and this counts both.
    """
    size = _ENVELOPE_BYTES + sum(len(b) for b in msg.buffers)
    for value in msg.content.values():
        if isinstance(value, str):
            size += len(value)
        elif isinstance(value, dict):
            size += sum(len(v) for v in value.values() if isinstance(v, str))
    return size
