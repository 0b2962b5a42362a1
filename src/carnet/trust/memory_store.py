"""Signatures in memory: the fallback when the database cannot be used (forgotten on exit)."""

from __future__ import annotations

from collections import OrderedDict

from carnet.trust.sqlite_store import CACHE_SIZE


class MemorySignatures:
    """The same operations as SQLiteSignatures, least recently seen first in a dict."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self.cache_size = cache_size
        self._seen: OrderedDict[tuple[str, str], None] = OrderedDict()

    def check(self, digest: str, algorithm: str) -> bool:
        key = (algorithm, digest)
        if key not in self._seen:
            return False
        self._seen.move_to_end(key)
        return True

    def store(self, digest: str, algorithm: str) -> None:
        self._seen[(algorithm, digest)] = None
        self._seen.move_to_end((algorithm, digest))
        if len(self._seen) > self.cache_size:
            keep = max(int(0.75 * self.cache_size), 1)
            for _ in range(len(self._seen) - keep):
                self._seen.popitem(last=False)

    def remove(self, digest: str, algorithm: str) -> None:
        self._seen.pop((algorithm, digest), None)

    def close(self) -> None:
        self._seen.clear()
