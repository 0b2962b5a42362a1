"""What is known of notebook files, keyed by their content: validation, trust digest, JSON.

Keyed by the sha256 of the bytes read, never by stat: a rewrite that keeps the size and
lands in the same clock tick (or restores the mtime) has the same stat, and must be
neither served as the old file nor trusted as it. Hashing 10 MB takes a few
milliseconds; parsing, validating, digesting and encoding it, about a hundred.

An entry may hold the notebook's content encoded as the JSON a GET sends (cells
joined, each code cell marked trusted or not), with the trust state it was marked
under: a GET of the unchanged file whose trust has not changed sends those bytes.
Entries are bounded in number and in encoded bytes; the least recently used go first.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple

# Encoded notebooks kept at most (bytes): a few big notebooks open at once.
ENCODED_BUDGET = 32 << 20
ENTRIES = 32


# (inode, size, mtime in ns): never a key (see above), only a guess of whether to hash
# a file before parsing it (to skip the parse when known) or while parsing it.
Stamp = tuple[int, int, int]


def file_stamp(st: os.stat_result) -> Stamp:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class FileFacts(NamedTuple):
    """What is known of a notebook file in one state: its validation message, its digest."""

    message: str | None
    digest: str | None = None


class Known(NamedTuple):
    sha256: str  # of the file's bytes: the state these facts are of
    facts: FileFacts
    encoded: bytes | None = None  # the model's content as sent, marked under `signed`
    signed: bool | None = None
    stamp: Stamp | None = None  # the file's stat then: a hint of whether it changed since


class KnownFiles:
    """Facts (and encoded content) of notebook files, by real path, for one content each."""

    def __init__(self, entries: int = ENTRIES, budget: int = ENCODED_BUDGET) -> None:
        self._entries: OrderedDict[Path, Known] = OrderedDict()
        self._size = entries
        self._budget = budget
        self._lock = threading.Lock()

    def lookup(self, real: Path, sha256: str) -> Known | None:
        """What is known of `real` when its bytes hash to `sha256`; None otherwise."""
        with self._lock:
            entry = self._entries.get(real)
            if entry is None or entry.sha256 != sha256:
                return None
            self._entries.move_to_end(real)
            return entry

    def stamped(self, real: Path, stamp: Stamp) -> bool:
        """Whether what is known of `real` was learnt when its stat was `stamp`."""
        with self._lock:
            entry = self._entries.get(real)
            return entry is not None and entry.stamp == stamp

    def store(self, real: Path, entry: Known) -> None:
        with self._lock:
            self._entries[real] = entry
            self._entries.move_to_end(real)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)
            self._fit_budget()

    def forget(self, real: Path) -> None:
        with self._lock:
            self._entries.pop(real, None)

    def encoded_bytes(self) -> int:
        with self._lock:
            return sum(len(e.encoded or b"") for e in self._entries.values())

    def _fit_budget(self) -> None:
        """Drop the oldest encoded contents (keeping their facts) until within budget."""
        total = sum(len(e.encoded or b"") for e in self._entries.values())
        for real, entry in list(self._entries.items()):
            if total <= self._budget:
                return
            if entry.encoded is not None:
                total -= len(entry.encoded)
                self._entries[real] = entry._replace(encoded=None, signed=None)
