"""Ctrl-C for user code only, and never lost on its way there.

SIGINT (from the manager, or raised by an interrupt_request) becomes
KeyboardInterrupt while user code runs. While an execution is under way but
its user code has not started yet (IPython still importing, the cell being
compiled) it is held as pending, and the user code raises it the moment it
starts. While the kernel is between requests it is ignored, unless requests
are already waiting: then the shell loop hands it to the first waiting
execute_request (see KernelCore). Inside the kernel's own short critical
sections (sending a multipart message from the main thread) it is held back
until the section ends, so an interrupt never leaves half a message on a
socket. Python runs signal handlers on the main thread only, which is the
only thread that uses this.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType, TracebackType

# The kernel's own frames on the way of a KeyboardInterrupt carry
# `__tracebackhide__ = KERNEL_FRAME`: IPython hides such frames, and
# without_kernel_frames() removes them even where IPython would show them (last).
KERNEL_FRAME = "carnet-kernel"


def without_kernel_frames(
    tb: TracebackType | None, *, interrupted: bool = False
) -> TracebackType | None:
    """The traceback with the kernel's marked frames unlinked.

    An interrupt also loses every frame of the kernel's own package: Ctrl-C can land
    while user code is inside the kernel (a print() handing its text to the publisher,
    a display() being sent), and those frames say nothing to the user who pressed it.
    """
    kept: list[TracebackType] = []
    entry = tb
    while entry is not None:
        frame = entry.tb_frame
        marked = frame.f_locals.get("__tracebackhide__") == KERNEL_FRAME
        if not marked and not (interrupted and _in_kernel_package(frame)):
            kept.append(entry)
        entry = entry.tb_next
    if not kept:
        return tb  # nothing but the kernel: left to IPython, which skips its first frame
    for entry, following in zip(kept, [*kept[1:], None], strict=True):
        entry.tb_next = following
    return kept[0]


_KERNEL_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _in_kernel_package(frame: FrameType) -> bool:
    return os.path.abspath(frame.f_code.co_filename).startswith(_KERNEL_PACKAGE)


# The signals the kernel acts on, and only on its main thread.
KERNEL_SIGNALS = frozenset({signal.SIGINT, signal.SIGTERM})


@contextmanager
def main_thread_signals() -> Iterator[None]:
    """Threads started inside leave SIGINT and SIGTERM to the main thread.

    Linux hands a process's signal to any thread that does not block it. Taken by
    another thread, it cannot end a blocking call of the main thread (input()'s wait
    for its reply, a sleep in user code): the handler would only run once that call
    returned. Threads inherit the signal mask of the thread that starts them, so the
    kernel's own threads (and IPython's history thread) are started inside this block.
    """
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, KERNEL_SIGNALS)
    try:
        yield
    finally:
        # A signal that came meanwhile is delivered now, to this (the main) thread.
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class InterruptGate:
    def __init__(self) -> None:
        self.armed = False
        self._executing = False
        self._deferring = 0
        self._pending = False
        self._stray = False
        # Set each time the handler has run: an interrupt_request is answered after that.
        self.taken = threading.Event()
        # Set by the shell loop: whether requests wait to be served, and how to wake it.
        self.requests_waiting: Callable[[], bool] = lambda: False
        self.wake: Callable[[], None] = lambda: None

    def on_sigint(self, signum: int, frame: FrameType | None) -> None:
        __tracebackhide__ = KERNEL_FRAME
        self.taken.set()
        if self.armed and not self._deferring:
            raise KeyboardInterrupt
        if self.armed or self._executing:
            self._pending = True
        elif self.requests_waiting():
            self._stray = True
            self.wake()

    # -- the shell loop's side --------------------------------------------------------------

    def take_stray(self) -> bool:
        """Whether Ctrl-C came between executions while requests were waiting (and forget it)."""
        stray, self._stray = self._stray, False
        return stray

    @contextmanager
    def execution(self, interrupted: bool = False) -> Iterator[None]:
        """An execute request is being served: Ctrl-C from now on is meant for it."""
        self._pending = interrupted or self.take_stray()
        self._executing = True
        try:
            yield
        finally:
            self._executing = False
            self._pending = False

    # -- the interpreter's side -------------------------------------------------------------

    def take_pending(self) -> bool:
        """Whether Ctrl-C came before user code started (and forget it)."""
        pending, self._pending = self._pending, False
        return pending

    @contextmanager
    def user_code(self) -> Iterator[None]:
        """Arm the gate while user code runs: Ctrl-C raises KeyboardInterrupt at once."""
        self.armed = True
        try:
            yield
        finally:
            self.armed = False

    def deferred(self) -> _Deferred:
        """Hold an interrupt back until the block is done, then raise it."""
        return _Deferred(self)

    def _leave_deferred(self) -> None:
        __tracebackhide__ = KERNEL_FRAME
        self._deferring -= 1
        if not self._deferring and self._pending and self.armed:
            self._pending = False
            raise KeyboardInterrupt


class _Deferred:
    """A class, not a generator: its frames carry __tracebackhide__ for IPython."""

    def __init__(self, gate: InterruptGate) -> None:
        self._gate = gate

    def __enter__(self) -> None:
        self._gate._deferring += 1

    def __exit__(self, *exc: object) -> None:
        __tracebackhide__ = KERNEL_FRAME
        self._gate._leave_deferred()
