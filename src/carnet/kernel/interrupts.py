"""Ctrl-C for user code only.

SIGINT (from the manager, or raised by an interrupt_request) becomes
KeyboardInterrupt while user code runs and is ignored while the kernel is
idle. Inside the kernel's own short critical sections (sending a multipart
message from the main thread) it is held back until the section ends, so an
interrupt never leaves half a message on a socket. Python runs signal
handlers on the main thread only, which is the only thread that uses this.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class InterruptGate:
    def __init__(self) -> None:
        self.armed = False
        self._deferring = 0
        self._pending = False

    def on_sigint(self, signum: int, frame: FrameType | None) -> None:
        if not self.armed:
            return
        if self._deferring:
            self._pending = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def user_code(self) -> Iterator[None]:
        """Arm the gate while user code runs."""
        self._pending = False
        self.armed = True
        try:
            yield
        finally:
            self.armed = False
            self._pending = False

    @contextmanager
    def deferred(self) -> Iterator[None]:
        """Hold an interrupt back until the block is done, then raise it."""
        self._deferring += 1
        try:
            yield
        finally:
            self._deferring -= 1
            if not self._deferring and self._pending and self.armed:
                self._pending = False
                raise KeyboardInterrupt
