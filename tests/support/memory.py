"""What a piece of work leaves allocated, by tracemalloc: the small-object tests' one measure."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable


def held_after(work: Callable[[], object]) -> int:
    """Bytes allocated while `work` ran and still held when it returned."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
