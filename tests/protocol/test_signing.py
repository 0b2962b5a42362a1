from __future__ import annotations

import hashlib
import hmac
import tracemalloc

import pytest

from carnet.errors import InvalidSignature, ReplayedMessage
from carnet.protocol import ReplayGuard, Signer


@pytest.mark.parametrize("scheme", ["hmac-sha256", "hmac-sha1", "hmac-sha512", "hmac-md5"])
def test_signature_matches_plain_hmac(scheme: str) -> None:
    parts = [b"{}", b'{"a":1}', b"{}", b'{"code":"x"}']
    expected = hmac.new(b"key", b"".join(parts), getattr(hashlib, scheme[5:])).hexdigest()
    signer = Signer(b"key", scheme)
    assert signer.sign(parts) == expected.encode()
    signer.verify(parts, expected.encode())
    with pytest.raises(InvalidSignature):
        signer.verify(parts, b"0" * len(expected))


@pytest.mark.parametrize("scheme", ["sha256", "hmac-", "hmac-nosuchhash", "hmac-shake_128"])
def test_bad_schemes_are_refused(scheme: str) -> None:
    with pytest.raises(ValueError, match="signature_scheme"):
        Signer(b"key", scheme)


def test_replay_guard_is_bounded_and_forgets_oldest() -> None:
    guard = ReplayGuard(limit=3)
    for sig in (b"a", b"b", b"c"):
        guard.check(sig)
    with pytest.raises(ReplayedMessage):
        guard.check(b"b")
    guard.check(b"d")  # evicts b"a"
    assert len(guard) == 3
    guard.check(b"a")
    with pytest.raises(ReplayedMessage):
        guard.check(b"d")


def test_replay_guard_keeps_small_keys_not_the_signatures() -> None:
    """A full window is what a long-running server holds for each kernel, all the time."""
    guard = ReplayGuard()
    tracemalloc.start()
    try:
        for i in range(guard.limit):
            guard.check(hashlib.sha256(i.to_bytes(4, "big")).hexdigest().encode())
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Keeping each 64-byte hex signature cost 137 bytes an entry; its hash, under 90.
    assert held / guard.limit < 100
