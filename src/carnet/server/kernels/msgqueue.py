"""(channel, message) pairs, oldest first, and the bytes they hold: the server's queues of
a kernel's messages (what a websocket has still to write, what it wrote last, a backlog).

The pairs are not kept as tuples. Each tuple is a small object of its own, from Python's
small-object allocator, and a server fanning a burst out to 30 websockets that fall behind
holds hundreds of thousands of them at once, in fresh allocator arenas. Once they are
freed, the few objects still alive among them (a pending future, a timer) keep those
arenas resident, and malloc_trim cannot give them back. Two deques allocate only blocks
of references, from malloc, which the trim after a burst returns (server/malloc.py).
"""

from __future__ import annotations

from collections import deque

from carnet.protocol import PackedMessage


class MessageQueue:
    def __init__(self) -> None:
        self._channels: deque[str] = deque()
        self._messages: deque[PackedMessage] = deque()
        self.size = 0  # bytes of the messages held (PackedMessage.size)

    def __len__(self) -> int:
        return len(self._messages)

    def append(self, channel: str, msg: PackedMessage) -> None:
        self._channels.append(channel)
        self._messages.append(msg)
        self.size += msg.size

    def first(self) -> tuple[str, PackedMessage]:
        """The oldest (channel, message); IndexError when empty."""
        return self._channels[0], self._messages[0]

    def popleft(self) -> PackedMessage:
        """Removes the oldest and returns its message; IndexError when empty."""
        self._channels.popleft()
        msg = self._messages.popleft()
        self.size -= msg.size
        return msg

    def items(self) -> list[tuple[str, PackedMessage]]:
        """(channel, message) of each entry, oldest first."""
        return list(zip(self._channels, self._messages, strict=True))

    def clear(self) -> None:
        self._channels.clear()
        self._messages.clear()
        self.size = 0
