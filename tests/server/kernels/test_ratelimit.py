"""The Jupyter-style iopub rate limiter, as a pure unit."""

from __future__ import annotations

from carnet.protocol import PackedMessage, Session
from carnet.server.kernels.ratelimit import IOPubRateLimiter

session = Session()


def stream(text: str) -> PackedMessage:
    return PackedMessage.from_message(session.msg("stream", {"name": "stdout", "text": text}))


def test_disabled_by_default_values() -> None:
    assert not IOPubRateLimiter(0, 0, 3).enabled


def test_data_limit_withholds_then_resumes() -> None:
    limiter = IOPubRateLimiter(data_rate=100, msg_rate=0, window=1.0)
    assert limiter.filter(stream("x" * 50), now=0.0)[0].content()["text"] == "x" * 50
    notice = limiter.filter(stream("y" * 100), now=0.1)
    assert len(notice) == 1 and "IOPub data rate exceeded" in notice[0].content()["text"]
    assert notice[0].content()["name"] == "stderr"
    assert limiter.filter(stream("z" * 10), now=0.2) == []
    status = PackedMessage.from_message(session.msg("status", {"execution_state": "idle"}))
    assert limiter.filter(status, now=0.3) == [status]  # status always passes
    resumed = limiter.filter(stream("ok"), now=5.0)
    assert [m.content()["text"] for m in resumed] == ["IOPub output resumed.\n", "ok"]


def test_message_limit() -> None:
    limiter = IOPubRateLimiter(data_rate=0, msg_rate=5, window=1.0)
    sent = [m for i in range(20) for m in limiter.filter(stream(str(i)), now=i * 0.01)]
    texts = [m.content()["text"] for m in sent]
    assert texts[:5] == ["0", "1", "2", "3", "4"]
    assert "IOPub msg rate exceeded" in texts[5]
    assert len(texts) == 6
