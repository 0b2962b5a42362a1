"""glibc malloc, tuned once and trimmed after bursts: the server's only process-wide memory knobs.

Tuning (the `NotebookApp.malloc_tuning` option, on by default, done once at start-up by the
runner). Saving or opening a 10 MB notebook allocates several buffers of its size: the
body, the file's bytes, its text, the JSON written. glibc maps each one fresh and unmaps it
when freed, so every such request paid some 15,000 page faults, a quarter of its CPU time.
Tuned, buffers under 32 MB come from the heap and up to 128 MB of freed heap stays mapped,
to be reused by the next request or message. A 27 MB display passes through three buffers of
its size on its way to a websocket (libzmq's, the frame, websockets' framing of it): with 64
MB kept, they were unmapped after each display and the next paid their page faults again
(from the kernel's send to the client's whole frame: 97-103 ms; 65-77 ms kept).

Trimming. Memory freed after a burst (those buffers; the frames of a kernel's output fanned
out to many websockets) stays in glibc's heap, scattered between live blocks where the usual
trimming of the heap's top cannot reach it: 30 clients that each got 11,000 messages left
the server some 16% above its idle size for good. So some seconds after the last burst,
malloc_trim gives the free pages back (a 10 MB notebook saved and opened five times leaves
the server at about 70 MB, against 112 MB just after the requests; the websocket burst comes
back within 10% of idle). Likewise some seconds after the last big frame to a websocket:
what its buffers kept mapped goes back once the big outputs stop (ws/channels.py).

ctypes is loaded with the first use, not at import. Elsewhere than glibc this does nothing.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import sys
from typing import Any

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest
TRIM_THRESHOLD = 128 * 1024 * 1024


@functools.cache
def glibc() -> Any:
    """The C library, when it is glibc (has malloc_trim), else None."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    except (OSError, AttributeError):  # musl has no malloc_trim
        return None
    return libc


def tune() -> bool:
    """Tune malloc for big buffers, for the whole process; False where it cannot."""
    libc = glibc()
    # mallopt answers 1 when it took the setting (musl's stub answers 0).
    return (
        libc is not None
        and libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
        and libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
    )


class Trimmer:
    """Gives freed heap pages back once no burst has ended for a while (one per process)."""

    def __init__(self) -> None:
        self._timer: asyncio.TimerHandle | None = None
        self._due = 0.0

    def after(self, seconds: float) -> None:
        """A burst just ended: trim `seconds` from now, unless a later burst moves it on.

        Call on the event loop. A trim already due later is not brought forward.
        """
        if glibc() is None:
            return
        loop = asyncio.get_running_loop()
        due = loop.time() + seconds
        if self._timer is not None:
            if self._due >= due:
                return
            self._timer.cancel()
        self._due = due
        self._timer = loop.call_at(due, self._trim)

    def _trim(self) -> None:
        self._timer = None
        gc.collect()  # what the bursts left in cycles, before the pages count as free
        glibc().malloc_trim(0)


TRIMMER = Trimmer()
