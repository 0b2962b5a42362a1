"""stdout/stderr as IOPub `stream` messages, at the Python and at the fd level.

`OutStream` replaces sys.stdout/sys.stderr: writes are buffered and sent
coalesced, as ipykernel does: one message per flush window (FLUSH_INTERVAL after
the first write, at once past a size, before any other output of the kernel, and
at the end of a request), so 200,000 print() calls become a handful of messages
and the lines of one cell one message. `FdCapture` points file descriptors 1 and 2 at
pipes read by a thread, so output from C code, os.write() and subprocesses
arrives too. `Capture.sync()` is the barrier before a request's idle status.
"""

from __future__ import annotations

import codecs
import collections
import fcntl
import functools
import io
import os
import select
import struct
import termios
import threading
from collections.abc import Callable
from typing import Any, Literal

from carnet.kernel.iopub import IOPub
from carnet.protocol.content import Stream

# ipykernel's flush_interval: text written within it is one message (a %time's
# report and the line printed before it), yet a slow loop's progress still shows.
FLUSH_INTERVAL = 0.2
# Past this much text a send is asked of the publisher thread at once (it serialises
# while the writer goes on); past MAX_PENDING the writer sends itself.
MAX_BUFFERED = 1 << 16
MAX_PENDING = 1 << 20


class OutStream(io.TextIOBase):
    """A text stream whose writes become IOPub `stream` messages."""

    encoding = "utf-8"
    errors = "strict"
    # Slots, not the instance dict io.TextIOBase gives: write() reads five of these per
    # call, and a dict attribute of an io subclass is a slow lookup (a 200,000-line
    # print() loop in the kernel took 0.61-0.64 s, 0.38-0.47 s with slots). Other
    # attributes, a library's own, still go to the dict.
    __slots__ = (
        "_append",
        "_fd",
        "_forked",
        "_hurried",
        "_iopub",
        "_name",
        "_parts",
        "_scheduled",
        "_send_lock",
        "_sends",
        "_size",
        "_topic",
        "history",
    )

    def __init__(
        self, name: Literal["stdout", "stderr"], iopub: IOPub, fd: int | None = None
    ) -> None:
        super().__init__()
        self._name = name
        self._iopub = iopub
        self._fd = fd
        self._topic = b"stream." + name.encode()
        # Writers append without a lock (deque.append is atomic under the GIL): a
        # lock per write made print() in a loop 3x slower. Senders take the lock,
        # so two of them never interleave chunks.
        self._send_lock = threading.Lock()
        self._parts: collections.deque[str] = collections.deque()
        self._append = self._parts.append
        self._size = 0
        self._scheduled = False
        # A send is asked of the publisher thread now (size reached, or flush()).
        self._hurried = False
        # Counts sends: a timer set before the last send (which took its text) must
        # not fire into the next window and split it.
        self._sends = 0
        self._forked = False
        # While a cell runs under IPython 9, each write's text is also recorded in its
        # output history (see outhistory.py); None otherwise.
        self.history: Callable[[str], None] | None = None
        os.register_at_fork(after_in_child=self._after_fork)

    @property
    def name(self) -> str:
        return f"<{self._name}>"

    def isatty(self) -> bool:
        return False

    def readable(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        # The fd is captured too, so subprocess(stdout=sys.stdout) still reaches the client.
        if self._fd is None:
            raise io.UnsupportedOperation("this stream has no file descriptor")
        return self._fd

    def write(self, text: Any) -> int:
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        size = len(text)
        if not size:
            return 0
        if self._forked:
            return self._write_from_child(text)
        self._append(text)
        # Racy by design: a lost update only moves an early send to the timer's.
        buffered = self._size = self._size + size
        if buffered >= MAX_BUFFERED:
            if buffered >= MAX_PENDING:
                self.send_buffered()  # the publisher thread falls behind
            else:
                self._hurry()
        elif not self._scheduled:
            # Checked after the append and cleared by the sender before it drains,
            # so text appended after a drain always has a send scheduled.
            self._scheduled = True
            self._iopub.call_later(FLUSH_INTERVAL, functools.partial(self._on_timer, self._sends))
        history = self.history
        if history is not None:
            history(text)
        return size

    def _on_timer(self, sends: int) -> None:
        if sends == self._sends:
            self.send_buffered()

    def _hurry(self) -> None:
        # Set after the append and cleared by the sender before it drains (as _scheduled).
        if not self._hurried:
            self._hurried = True
            self._iopub.call_later(0, self.send_buffered)

    def _after_fork(self) -> None:
        # A forked child (multiprocessing) has no publisher thread: its output goes to
        # the captured fd, which the parent reads. What the parent buffered is its own.
        self._forked = True
        self._send_lock = threading.Lock()
        self._parts = collections.deque()
        self._append = self._parts.append
        self._size = 0

    def _write_from_child(self, text: str) -> int:
        # Line-buffered, so print() (text, then "\n") is one write(): children printing
        # at once do not mix their lines (pipe writes up to PIPE_BUF are atomic).
        self._append(text)
        if "\n" in text:
            self._write_child_buffer()
        return len(text)

    def _write_child_buffer(self) -> None:
        data = "".join(self._parts).encode("utf-8", "replace")
        self._parts.clear()
        fd = self._fd if self._fd is not None else (1 if self._name == "stdout" else 2)
        while data:
            data = data[os.write(fd, data) :]

    def flush(self) -> None:
        """Deliver soon, from the publisher thread.

        Not at once: print(..., flush=True) in a loop must not become one message
        per line. The kernel's own ordering points call send_buffered() instead.
        """
        if self._forked:
            self._write_child_buffer()  # multiprocessing flushes at the child's exit
            return
        if self._parts:
            self._hurry()

    def send_buffered(self) -> None:
        """Queue what is buffered as one stream message, now."""
        if self._forked:
            self._write_child_buffer()
            return
        # Held while queueing, so two senders cannot reorder chunks.
        with self._send_lock:
            # Counted before _scheduled is cleared: a writer that then schedules a timer
            # reads the new count, so its timer is live.
            self._sends += 1
            self._scheduled = False
            self._hurried = False
            self._size = 0
            parts = self._parts
            # Only what is there now: a concurrent append lands after these, in order.
            chunks = [parts.popleft() for _ in range(len(parts))]
            if not chunks:
                return
            text = "".join(chunks)
            content: Stream = {"name": self._name, "text": text}
            self._iopub.send("stream", content, topic=self._topic)


class FdCapture:
    """Redirect a file descriptor into a pipe whose reader feeds an OutStream."""

    def __init__(self, fd: int, stream: OutStream) -> None:
        self.fd = fd
        self._stream = stream
        self.saved = os.dup(fd)
        read_end, write_end = os.pipe()
        os.dup2(write_end, fd)
        os.close(write_end)
        self._read_end = read_end
        self._lock = threading.Lock()
        # Notified each time the reader has handed data to the stream (see sync()).
        self._consumed_changed = threading.Condition(self._lock)
        self._consumed = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._thread = threading.Thread(target=self._run, name=f"carnet-fd{fd}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        poller = select.poll()
        poller.register(self._read_end, select.POLLIN | select.POLLHUP)
        while True:
            poller.poll()
            with self._lock:
                try:
                    data = os.read(self._read_end, 1 << 16)
                except OSError:
                    return
                if not data:
                    return
                self._consumed += len(data)
                text = self._decoder.decode(data)
                if text:
                    self._stream.write(text)
                self._consumed_changed.notify_all()

    def pending(self) -> int:
        buf = fcntl.ioctl(self._read_end, termios.FIONREAD, b"\0\0\0\0")
        count: int = struct.unpack("i", buf)[0]
        return count

    def sync(self, timeout: float) -> None:
        """Wait until everything written to the fd so far has reached the stream.

        Only what is in the pipe now: a background process that keeps writing
        must not hold up the request's idle status.
        """
        # Under the lock, every byte consumed so far has been handed to the stream.
        with self._consumed_changed:
            target = self._consumed + self.pending()
            self._consumed_changed.wait_for(lambda: self._consumed >= target, timeout)

    def restore(self) -> None:
        os.dup2(self.saved, self.fd)


class Capture:
    """The kernel's stdout and stderr, Python-level and fd-level."""

    def __init__(self, iopub: IOPub, capture_fds: bool = True) -> None:
        self.stdout = OutStream("stdout", iopub, 1 if capture_fds else None)
        self.stderr = OutStream("stderr", iopub, 2 if capture_fds else None)
        self._fds: list[FdCapture] = []
        if capture_fds:
            self._fds = [FdCapture(1, self.stdout), FdCapture(2, self.stderr)]
        iopub.before_output = self.flush

    @property
    def saved_stderr(self) -> int | None:
        """A dup of the original fd 2, for the kernel's own log lines."""
        return self._fds[1].saved if self._fds else None

    def flush(self) -> None:
        """Send what Python-level writers hold (before display and error messages)."""
        self.stdout.send_buffered()
        self.stderr.send_buffered()

    def sync(self, timeout: float = 1.0) -> None:
        """Flush fd-level output, then the writers: nothing of a request is left behind."""
        for capture in self._fds:
            capture.sync(timeout)
        self.flush()

    def restore(self) -> None:
        for capture in self._fds:
            capture.restore()
