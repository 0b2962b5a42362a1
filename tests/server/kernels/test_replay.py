"""The recently sent ring and the backlog stay within their bounds (replay.py)."""

from __future__ import annotations

from carnet.protocol import PackedMessage, Session
from carnet.server.kernels.replay import SentRing


def test_the_ring_keeps_the_newest_messages_within_its_count_and_size() -> None:
    session = Session()
    ring = SentRing(max_messages=3, max_bytes=10_000)
    sent = [
        PackedMessage.from_message(session.msg("stream", {"name": "stdout", "text": str(i)}))
        for i in range(5)
    ]
    for msg in sent:
        ring.add("iopub", msg)
    assert [m for _, m, _ in ring.messages] == sent[2:]
    assert ring.dropped == 2
    big = SentRing(max_messages=100, max_bytes=1000)
    for msg in sent[:2]:
        big.add("iopub", msg)
    huge = PackedMessage.from_message(session.msg("stream", {"name": "stdout", "text": "x" * 5000}))
    big.add("iopub", huge)
    # Alone over the size, the newest stays: it is what a client resumes from.
    assert [m for _, m, _ in big.messages] == [huge]
