"""The IOPub publisher: one thread owns the XPUB socket, every other thread queues.

zmq sockets are not thread-safe, yet output comes from the shell loop, the
control thread, the fd-capture readers and timers. Producers append ready
frames to a deque and poke an os.pipe() that the owner polls next to the
socket; the owner also sends `iopub_welcome` when a subscription arrives
(JEP 65) and runs the few delayed callbacks the stream writers ask for.
"""

from __future__ import annotations

import collections
import contextlib
import heapq
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence

import zmq

from carnet.protocol import Message, Session
from carnet.protocol.content import ExecutionState, Status
from carnet.protocol.messages import Content, JsonDict

log = logging.getLogger("carnet.kernel")

_STOP = object()
# Messages that need not wait for buffered stream text: the text itself, and status
# (idle is preceded by a full sync; busy/idle of control requests must not split a cell's text).
_UNORDERED = frozenset({"stream", "status"})


class IOPub:
    """Publish messages on IOPub from any thread, in the order they were sent."""

    def __init__(self, socket: zmq.Socket[bytes], session: Session) -> None:
        self.session = session
        # The request whose output is being produced; set by the shell loop only.
        self.parent: Message | None = None
        # Sends the text the stream writers hold (set by streams.Capture): called before
        # any other output, so that printed text stays ahead of what follows it.
        self.before_output: Callable[[], None] | None = None
        self._socket = socket
        self._queue: collections.deque[object] = collections.deque()
        self._timers: collections.deque[tuple[float, Callable[[], None]]] = collections.deque()
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_r, False)
        os.set_blocking(self._wake_w, False)
        self._wake_pending = False
        self._thread = threading.Thread(target=self._run, name="carnet-iopub", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def send(
        self,
        msg_type: str,
        content: Content,
        parent: Message | None = None,
        metadata: JsonDict | None = None,
        buffers: Sequence[bytes] = (),
        topic: bytes | None = None,
    ) -> None:
        """Queue one message; `parent` defaults to the request being served."""
        if self.before_output is not None and msg_type not in _UNORDERED:
            self.before_output()
        msg = self.session.msg(
            msg_type,
            content,
            parent if parent is not None else self.parent,
            metadata,
            buffers,
            identities=(topic or b"kernel." + msg_type.encode(),),
        )
        self._push(self.session.serialize(msg))

    def status(self, state: ExecutionState, parent: Message | None) -> None:
        content: Status = {"execution_state": state}
        self.send("status", content, parent)

    def call_later(self, delay: float, callback: Callable[[], None]) -> None:
        """Run `callback` on the publisher thread after `delay` seconds."""
        self._timers.append((time.monotonic() + delay, callback))
        self._wake()

    def stop(self, timeout: float = 2.0) -> None:
        """Send everything queued so far, then close the socket."""
        if not self._thread.is_alive():
            return
        self._push(_STOP)
        self._thread.join(timeout)

    def _push(self, item: object) -> None:
        self._queue.append(item)
        self._wake()

    def _wake(self) -> None:
        # One byte per burst, not per message: the owner clears the flag before draining.
        if not self._wake_pending:
            self._wake_pending = True
            try:
                os.write(self._wake_w, b"\0")
            except BlockingIOError:
                pass  # the pipe is full: the owner is awake anyway
            except BaseException:
                # A KeyboardInterrupt from Ctrl-C can land in write(); a flag left set
                # would silence IOPub for good.
                self._wake_pending = False
                raise

    def _run(self) -> None:
        poller = zmq.Poller()
        poller.register(self._socket, zmq.POLLIN)
        poller.register(self._wake_r, zmq.POLLIN)
        timers: list[tuple[float, int, Callable[[], None]]] = []
        order = itertools.count()
        try:
            while True:
                timeout: int | None = None
                if timers:
                    timeout = max(0, int((timers[0][0] - time.monotonic()) * 1000) + 1)
                events = dict(poller.poll(timeout))
                if self._socket in events:
                    self._read_subscriptions()
                if self._wake_r in events:
                    with contextlib.suppress(BlockingIOError):
                        os.read(self._wake_r, 4096)
                self._wake_pending = False
                while self._timers:
                    when, callback = self._timers.popleft()
                    heapq.heappush(timers, (when, next(order), callback))
                now = time.monotonic()
                while timers and timers[0][0] <= now:
                    _, _, callback = heapq.heappop(timers)
                    try:
                        callback()
                    except Exception:
                        log.exception("iopub timer callback failed")
                if self._drain():
                    return
        finally:
            self._socket.close(linger=1000)
            os.close(self._wake_r)

    def _drain(self) -> bool:
        """Send queued frames; True once the stop marker is reached."""
        while self._queue:
            item = self._queue.popleft()
            if item is _STOP:
                return True
            frames: list[bytes] = item  # type: ignore[assignment]
            try:
                # Not copied into zmq (frames are immutable bytes): a 27 MB display costs
                # no second buffer. Small frames are copied anyway (zmq's copy_threshold).
                self._socket.send_multipart(frames, copy=False)
            except zmq.ZMQError as exc:
                log.warning("iopub send failed: %s", exc)
        return False

    def _read_subscriptions(self) -> None:
        while True:
            try:
                frames = self._socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return
            event = frames[0] if frames else b""
            # XPUB delivers b"\x01topic" on subscribe and b"\x00topic" on unsubscribe.
            if event[:1] == b"\x01":
                topic = event[1:]
                welcome = self.session.msg(
                    "iopub_welcome",
                    {"subscription": topic.decode("utf-8", "replace")},
                    identities=(topic,),
                )
                self._socket.send_multipart(self.session.serialize(welcome))
