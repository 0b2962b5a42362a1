"""Memory given back to the system after a burst of websocket output (glibc malloc).

Fanning a kernel's output out to many websockets allocates a frame per message and
per client. Freed, that memory stays in glibc's heap, scattered between live blocks
where the usual trimming of the heap's top cannot reach it: 30 clients that each got
11,000 messages left the server some 16% above its idle size for good. So once a
websocket that carried at least BURST_BYTES has closed and no other has for
IDLE_SECONDS, malloc_trim returns the free pages (back to within 10%).

ctypes is loaded then, not at start-up. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from typing import Any

BURST_BYTES = 1024 * 1024
IDLE_SECONDS = 2.0


class BurstTrim:
    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self._libc: Any = None
        self._tried = False
        self._timer: asyncio.TimerHandle | None = None

    def closed(self, sent_bytes: int) -> None:
        """A websocket closed after sending `sent_bytes` (call on the event loop)."""
        if sent_bytes < BURST_BYTES and self._timer is None:
            return
        if not self._tried:
            self._tried = True
            self._libc = _glibc()
        if self._libc is None:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = asyncio.get_running_loop().call_later(self.idle_seconds, self._trim)

    def _trim(self) -> None:
        self._timer = None
        gc.collect()  # what the websockets left in cycles, before the pages are counted free
        self._libc.malloc_trim(0)


def _glibc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
    except (OSError, AttributeError):  # musl has no malloc_trim
        return None
    return libc
