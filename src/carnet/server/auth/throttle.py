"""Slowing down password guessing: failed logins lock a client address out, exponentially.

The first FREE_FAILURES failures cost nothing (typos happen). Each later failure
locks the address out for BASE_DELAY * 2**n seconds, up to MAX_DELAY; attempts
during a lock-out are refused without checking the password. A success clears
the address's record. Refusing (rather than sleeping) costs the server nothing
per guess, so the throttle cannot be used to tie it up.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

FREE_FAILURES = 3
BASE_DELAY = 1.0
MAX_DELAY = 300.0
# Addresses remembered at most; the oldest are forgotten first.
_MAX_TRACKED = 10_000


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0


class LoginThrottle:
    """Per-address failure counts and lock-outs."""

    def __init__(self) -> None:
        self._records: OrderedDict[str, _Record] = OrderedDict()

    def retry_after(self, address: str) -> float:
        """Seconds this address must still wait before its next attempt (0: go ahead)."""
        record = self._records.get(address)
        if record is None:
            return 0.0
        return max(0.0, record.locked_until - time.monotonic())

    def failed(self, address: str) -> float:
        """Record a failure; the lock-out it earns, in seconds."""
        record = self._records.pop(address, None) or _Record()
        self._records[address] = record
        while len(self._records) > _MAX_TRACKED:
            self._records.popitem(last=False)
        record.failures += 1
        excess = record.failures - FREE_FAILURES
        if excess <= 0:
            return 0.0
        delay = min(MAX_DELAY, BASE_DELAY * float(2 ** (excess - 1)))
        record.locked_until = time.monotonic() + delay
        return delay

    def succeeded(self, address: str) -> None:
        self._records.pop(address, None)
