"""HMAC signing, constant-time verification and replay detection."""

from __future__ import annotations

import hashlib
import hmac
from collections import deque
from collections.abc import Sequence
from typing import Any

from carnet.errors import InvalidSignature, ReplayedMessage

DEFAULT_SCHEME = "hmac-sha256"


def _digest_for(scheme: str) -> Any:
    prefix, _, name = scheme.partition("-")
    if prefix != "hmac" or not name:
        raise ValueError(f"signature_scheme must look like 'hmac-sha256', not {scheme!r}")
    if name not in hashlib.algorithms_available or name.startswith("shake"):
        raise ValueError(f"signature_scheme {scheme!r} names no usable hashlib algorithm")
    return getattr(hashlib, name, None) or name


class Signer:
    """Signs the four JSON parts of a message; an empty key means unsigned."""

    def __init__(self, key: bytes = b"", scheme: str = DEFAULT_SCHEME) -> None:
        self.key = key
        self.scheme = scheme
        self._digest = _digest_for(scheme)
        self._template = hmac.new(key, digestmod=self._digest) if key else None

    @property
    def enabled(self) -> bool:
        return self._template is not None

    def sign(self, parts: Sequence[bytes]) -> bytes:
        if self._template is None:
            return b""
        mac = self._template.copy()
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode("ascii")

    def verify(self, parts: Sequence[bytes], signature: bytes) -> None:
        if self._template is None:
            return
        if not signature:
            raise InvalidSignature("unsigned message on a signed connection")
        if not hmac.compare_digest(self.sign(parts), signature):
            raise InvalidSignature("message signature does not match")


class ReplayGuard:
    """Remembers recent signatures; a signature seen twice is a replay.

    Bounded: past `limit` entries the oldest are forgotten, which is what
    Jupyter does too (a replay older than that window is not detected).
    A signature is kept as its 64-bit hash, not as the 64-byte hex string: a full
    window takes 5.5 MB instead of 9 MB, held for as long as the kernel runs. Two
    different signatures sharing a hash within one window: about 1 in 10^10.
    The oldest is found in a deque: taken from the front of the dict itself, each
    check scanned the entries deleted before it (28 us a message past the limit).
    """

    def __init__(self, limit: int = 1 << 16) -> None:
        self.limit = limit
        # A dict, not a set: sets over-allocate fourfold as they grow.
        self._seen: dict[int, None] = {}
        self._order: deque[int] = deque()

    def check(self, signature: bytes) -> None:
        if not signature:
            return
        key = hash(signature)
        if key in self._seen:
            raise ReplayedMessage("message signature was already seen (replay)")
        self._seen[key] = None
        self._order.append(key)
        if len(self._order) > self.limit:
            del self._seen[self._order.popleft()]

    def __len__(self) -> int:
        return len(self._order)
