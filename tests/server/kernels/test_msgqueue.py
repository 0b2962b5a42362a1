"""The queue of (channel, message) pairs under every websocket's sends and replays
(msgqueue.py)."""

from __future__ import annotations

import pytest

from carnet.protocol import PackedMessage, Session
from carnet.server.kernels.msgqueue import MessageQueue
from tests.support.memory import held_after


def _stream(session: Session, text: str) -> PackedMessage:
    return PackedMessage.from_message(session.msg("stream", {"name": "stdout", "text": text}))


def test_pairs_come_out_oldest_first_and_their_bytes_are_counted() -> None:
    session = Session()
    first, second = _stream(session, "a"), _stream(session, "b" * 1000)
    queue = MessageQueue()
    assert not queue and queue.size == 0
    queue.append("iopub", first)
    queue.append("shell", second)
    assert len(queue) == 2 and queue.size == first.size + second.size
    assert queue.first() == ("iopub", first)
    assert queue.items() == [("iopub", first), ("shell", second)]
    assert queue.popleft() is first
    assert queue.first() == ("shell", second) and queue.size == second.size
    queue.clear()
    assert not queue and queue.size == 0 and queue.items() == []
    with pytest.raises(IndexError):
        queue.first()
    with pytest.raises(IndexError):
        queue.popleft()


def test_a_long_queue_holds_references_not_an_object_per_entry() -> None:
    """30 websockets behind by thousands of messages each: no small object per entry.

    As (channel, message) tuples an entry cost 64 bytes of small objects, in arenas that
    the objects still alive after a burst kept resident.
    """
    msg = _stream(Session(), "x")
    queue = MessageQueue()

    def fill() -> None:
        for _ in range(10_000):
            queue.append("iopub", msg)

    held = held_after(fill)
    assert len(queue) == 10_000 and queue.size == 10_000 * msg.size
    # Two deques of references: about 17 bytes an entry.
    assert held / 10_000 < 24
