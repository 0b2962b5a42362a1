"""The main thread's wake pipe: the one fd its blocking waits poll beside their socket.

Python runs a signal handler on the main thread, between two bytecodes. A signal that
arrives while the main thread is in C code on its way into a blocking wait (zmq's
poll, a recv), or that another thread takes, ends no system call of the main thread:
the handler would wait for the next message. With `signal.set_wakeup_fd` the signal
also writes a byte here, and every wait of the main thread polls this pipe too, so it
returns at once and the handler runs. Other threads write a byte to make the shell loop
look at its flags (a shutdown, IPython imported).
"""

from __future__ import annotations

import contextlib
import os


class WakePipe:
    def __init__(self) -> None:
        self.reader, self.writer = os.pipe()
        os.set_blocking(self.reader, False)
        os.set_blocking(self.writer, False)

    def wake(self) -> None:
        """Thread-safe; a full pipe already wakes its reader."""
        with contextlib.suppress(BlockingIOError):
            os.write(self.writer, b"\0")

    def drain(self) -> None:
        """Called by the main thread once a poll has returned for it."""
        with contextlib.suppress(BlockingIOError):
            while os.read(self.reader, 4096):
                pass
