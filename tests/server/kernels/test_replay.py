"""The recently sent ring and the backlog stay within their bounds (replay.py)."""

from __future__ import annotations

from carnet.protocol import PackedMessage, Session
from carnet.server.kernels.replay import SentRing
from tests.support.memory import held_after


def test_the_ring_keeps_the_newest_messages_within_its_count_and_size() -> None:
    session = Session()
    ring = SentRing(max_messages=3, max_bytes=10_000)
    sent = [
        PackedMessage.from_message(session.msg("stream", {"name": "stdout", "text": str(i)}))
        for i in range(5)
    ]
    for msg in sent:
        ring.add("iopub", msg)
    assert [m for _, m in ring.items()] == sent[2:]
    assert ring.dropped == 2
    big = SentRing(max_messages=100, max_bytes=1000)
    for msg in sent[:2]:
        big.add("iopub", msg)
    huge = PackedMessage.from_message(session.msg("stream", {"name": "stdout", "text": "x" * 5000}))
    big.add("iopub", huge)
    # Alone over the size, the newest stays: it is what a client resumes from.
    assert [m for _, m in big.items()] == [huge]


def test_a_full_ring_holds_references_not_an_object_per_entry() -> None:
    """30 websockets' rings fill at once in a burst; objects per entry stayed resident after.

    As (channel, message, size) tuples, an entry cost 72 bytes in small objects.
    """
    session = Session()
    msg = PackedMessage.from_message(session.msg("stream", {"name": "stdout", "text": "x"}))
    ring = SentRing(max_messages=10_000, max_bytes=1 << 30)

    def fill() -> None:
        for _ in range(10_000):
            ring.add("iopub", msg)

    held = held_after(fill)
    assert len(ring) == 10_000
    # Two deques of references: about 17 bytes an entry.
    assert held / 10_000 < 24
