"""Big request buffers reused while busy, memory given back when idle (glibc malloc).

Saving or opening a 10 MB notebook allocates several buffers of its size: the body,
the file's bytes, its text, the JSON written. glibc maps each one fresh and unmaps it
when freed, so every such request paid some 15,000 page faults, a quarter of its CPU
time. With malloc tuned (the `NotebookApp.malloc_tuning` option, on by default, done
once at start-up by the runner: it changes malloc for the whole process), buffers
under 32 MB come from the heap and up to 64 MB of freed heap stays mapped, to be
reused by the next request; a few seconds after the last one, malloc_trim gives most
of it back (a 10 MB notebook saved and opened five times leaves the server at about
70 MB, against 59 MB untuned and 112 MB just after the requests).

Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest
TRIM_THRESHOLD = 64 * 1024 * 1024
IDLE_SECONDS = 5.0


class BufferReuse:
    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._libc: Any = None
        self._trim_timer: asyncio.TimerHandle | None = None

    @property
    def active(self) -> bool:
        return self._libc is not None

    def tune(self) -> bool:
        """Tune malloc for the whole process (a start-up option); False where it cannot."""
        if self._libc is None:
            self._libc = _tuned_libc()
        return self.active

    def used(self) -> None:
        """A request moved a big file: give memory back once idle, if tuned (on the loop)."""
        if self._libc is None:
            return
        if self._trim_timer is not None:
            self._trim_timer.cancel()
        self._trim_timer = asyncio.get_running_loop().call_later(self.idle_seconds, self._trim)

    def _trim(self) -> None:
        self._trim_timer = None
        self._libc.malloc_trim(0)


def _tuned_libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        mallopt, _ = libc.mallopt, libc.malloc_trim
    except (OSError, AttributeError):
        return None
    # mallopt answers 1 when it took the setting (musl's stub answers 0).
    if mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) != 1:
        return None
    if mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) != 1:
        return None
    return libc
