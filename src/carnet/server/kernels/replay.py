"""What a session gets back when its websocket reconnects.

Two buffers, both bounded in count and bytes:

- `Backlog`: messages for a session whose websocket dropped (what it had not
  written yet, then everything that came while it was away);
- `SentRing`: the last messages a websocket wrote. A write that succeeded may
  still be lost with the connection (in socket buffers, a proxy, a page that
  had not read it yet), so a client that says which message it got last
  (`last_msg_id` on the websocket URL) is sent the ring past that message
  before the backlog. A client that does not say (JupyterLab) gets the backlog
  only, as before.
"""

from __future__ import annotations

import time

from carnet.protocol import PackedMessage
from carnet.server.kernels.msgqueue import MessageQueue

# What a reconnecting session may get back, and for how long we keep it.
REPLAY_MAX_MESSAGES = 10_000
REPLAY_MAX_BYTES = 64 * 1024 * 1024
REPLAY_MAX_SECONDS = 600.0
# What may be in flight when a connection drops (socket buffers, a proxy). The messages are
# shared with the other websockets, but a ring keeps them alive longer: 2,000 left the
# server 30% above its idle size after a burst to 30 clients (the heap stays fragmented),
# 500 keep it within 10% (tests/reliability/test_memory_after_load.py).
RECENT_MAX_MESSAGES = 500
RECENT_MAX_BYTES = 2 * 1024 * 1024


class _Bounded(MessageQueue):
    """A queue of (channel, message) dropping its oldest past a count and a size.

    Two deques, not a tuple per entry (msgqueue.py): as tuples, the 30 rings of 500 a
    burst to 30 websockets fills were 15,000 small objects in fresh allocator arenas,
    which the few objects still alive after the burst kept resident (3% of RSS, for good).
    """

    def __init__(self, max_messages: int, max_bytes: int) -> None:
        super().__init__()
        self.max_messages = max_messages
        self.max_bytes = max_bytes
        self.dropped = 0

    def add(self, channel: str, msg: PackedMessage) -> None:
        self.append(channel, msg)
        # The newest stays even alone over the size: it is what a client asks to resume from.
        while len(self) > 1 and (len(self) > self.max_messages or self.size > self.max_bytes):
            self.popleft()
            self.dropped += 1


class SentRing(_Bounded):
    """The last messages one websocket wrote, in order."""

    def __init__(
        self, max_messages: int = RECENT_MAX_MESSAGES, max_bytes: int = RECENT_MAX_BYTES
    ) -> None:
        super().__init__(max_messages, max_bytes)


class Backlog(_Bounded):
    """Messages kept for a session whose websocket dropped, and what it wrote last."""

    def __init__(self, recent: SentRing) -> None:
        super().__init__(REPLAY_MAX_MESSAGES, REPLAY_MAX_BYTES)
        self.since = time.monotonic()
        self.recent = recent

    def expired(self, now: float) -> bool:
        return now - self.since > REPLAY_MAX_SECONDS
