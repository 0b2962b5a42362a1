"""What a memo keeps of each file, bounded in bytes across files.

The least recently used file's cells go first; a file whose cells alone are over
the budget is not kept at all.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path
from typing import Generic, TypeVar

Kept = TypeVar("Kept")


class PerFile(Generic[Kept]):
    """Per real path, what is kept of its cells, and its size in bytes."""

    def __init__(self, budget: int) -> None:
        self._files: OrderedDict[Path, tuple[Kept, int]] = OrderedDict()
        self._budget = budget
        self._size = 0
        self._lock = threading.Lock()

    def get(self, real: Path) -> Kept | None:
        """What is kept of `real`'s cells (not to be changed: `keep` replaces it)."""
        with self._lock:
            entry = self._files.get(real)
            if entry is None:
                return None
            self._files.move_to_end(real)
            return entry[0]

    def keep(self, real: Path, cells: Kept, size: int) -> None:
        """Keep `cells` (of `size` bytes) as all that is known of `real`'s cells now."""
        with self._lock:
            _, before = self._files.pop(real, (None, 0))
            self._size -= before
            if size > self._budget:
                return
            self._files[real] = (cells, size)
            self._size += size
            while self._size > self._budget:
                _, (_, dropped) = self._files.popitem(last=False)
                self._size -= dropped

    def kept_bytes(self) -> int:
        with self._lock:
            return self._size
