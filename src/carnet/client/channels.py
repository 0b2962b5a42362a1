"""The I/O of a kernel client: its sockets, with replies matched by msg_id.

Every message is made and read by a carnet.protocol.Session; this module only
moves frames. One reader task per channel resolves the future of the request
a reply answers (by parent msg_id) and hands iopub and stdin messages to the
registered handlers. A message with a bad signature is logged and dropped.
Handlers take the message decoded, or packed (`on_packed`: header and parent
header decoded, the content left as the kernel's bytes), which is how the server
relays a kernel's output without reading it; a message is decoded once, and
only when a request or a handler wants it decoded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import zmq
import zmq.asyncio

from carnet.client.heartbeat import Heartbeat
from carnet.errors import KernelError, KernelTimeout, ProtocolError
from carnet.protocol import Message, PackedMessage, Session
from carnet.protocol.connection_file import ConnectionInfo
from carnet.protocol.messages import Content

log = logging.getLogger("carnet.client")

Handler = Callable[[Message], None]
PackedHandler = Callable[[PackedMessage], None]
# Channels that carry requests and their replies (stdin carries kernel requests).
# Messages read from one socket in one turn of the event loop, at most.
MAX_BATCH = 64
_SOCKET_TYPES = {"shell": zmq.DEALER, "control": zmq.DEALER, "stdin": zmq.DEALER, "iopub": zmq.SUB}
# Milliseconds between attempts to reach a kernel that is not listening yet. zmq's
# default, 100 plus up to 100 of jitter, made the first reply of a kernel just launched
# (bound within a few tens of ms) wait for the next attempt. Doubled after each failed
# attempt up to zmq's usual 100, so a dead kernel is not knocked on more often than before.
RECONNECT_IVL_MS = 10
RECONNECT_IVL_MAX_MS = 100


@dataclass(frozen=True)
class Pending:
    """A request that was sent: its msg_id and the future of its reply."""

    msg_id: str
    reply: asyncio.Future[Message]


class KernelChannels:
    """Moves messages to and from one kernel. Start with `start_channels()`."""

    def __init__(
        self,
        info: ConnectionInfo,
        *,
        session: Session | None = None,
        context: zmq.asyncio.Context | None = None,
    ) -> None:
        self.info = info
        # No replay window: a client's sockets connect to the kernel's, so only the kernel
        # can write to them, and it holds the key anyway. (The kernel, whose sockets anyone
        # on the host can connect to, keeps one.) A window is 65,536 signatures held for the
        # kernel's lifetime: megabytes of a server that runs many kernels, kept for nothing.
        self.session = session or Session(info.key_bytes, info.signature_scheme, check_replay=False)
        self._context = context or zmq.asyncio.Context.instance()
        self._sockets: dict[str, zmq.asyncio.Socket] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._pending: dict[str, asyncio.Future[Message]] = {}
        # In the order they were added; True marks a handler of packed messages.
        self._handlers: dict[str, list[tuple[Handler | PackedHandler, bool]]] = {
            channel: [] for channel in _SOCKET_TYPES
        }
        self.heartbeat = Heartbeat(self._context, info.url("hb"))
        # Messages read from each socket, signed or not: what a failed start reports.
        self.received: dict[str, int] = dict.fromkeys(_SOCKET_TYPES, 0)

    @property
    def channels_running(self) -> bool:
        return bool(self._sockets)

    async def start_channels(self) -> None:
        if self._sockets:
            return
        self._open_sockets()

    async def stop_channels(self) -> None:
        await self._close_sockets()
        self.heartbeat.close()
        self.abort_pending(KernelError("kernel client channels were closed"))

    async def reconnect_channels(self) -> None:
        """Replace every socket with a fresh one: new connections to the same kernel.

        For a connection that carries nothing (what wait_for_ready meets when a kernel
        that runs and binds its ports never answers on it). Requests still waiting keep
        waiting: the identity is the same, so a reply the kernel sends later comes in on
        the new connection.
        """
        if not self._sockets:
            return
        await self._close_sockets()
        self.heartbeat.close()
        self._open_sockets()

    def _open_sockets(self) -> None:
        # Shell and stdin share one identity: the kernel routes input_request to
        # the stdin socket whose identity sent the execute_request.
        identity = self.session.session_id.encode()
        for channel, kind in _SOCKET_TYPES.items():
            sock = self._context.socket(kind)
            sock.setsockopt(zmq.LINGER, 0)
            sock.setsockopt(zmq.RECONNECT_IVL, RECONNECT_IVL_MS)
            sock.setsockopt(zmq.RECONNECT_IVL_MAX, RECONNECT_IVL_MAX_MS)
            if kind == zmq.SUB:
                sock.setsockopt(zmq.SUBSCRIBE, b"")
            else:
                sock.setsockopt(zmq.IDENTITY, identity)
            sock.connect(self.info.url(channel))
            self._sockets[channel] = sock
            self._tasks.append(asyncio.create_task(self._read(channel, sock)))

    async def _close_sockets(self) -> None:
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        sockets, self._sockets = self._sockets, {}
        for sock in sockets.values():
            sock.close(linger=0)

    def abort_pending(self, error: BaseException) -> None:
        """Fail every request still waiting for a reply (e.g. the kernel died)."""
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(error)
                future.exception()  # awaiters still get it; nobody awaiting is not an error

    # --- handlers -----------------------------------------------------------

    def on_channel(self, channel: str, handler: Handler) -> Callable[[], None]:
        """Call `handler` with each message from `channel` that no request awaits.

        On shell and control that means replies sent with expect_reply=False or
        no longer awaited (how the server forwards replies to websockets).
        Returns a function that removes the handler.
        """
        return self._add_handler(channel, handler, False)

    def on_packed(self, channel: str, handler: PackedHandler) -> Callable[[], None]:
        """As `on_channel`, with the message as it came (its content not decoded)."""
        return self._add_handler(channel, handler, True)

    def _add_handler(
        self, channel: str, handler: Handler | PackedHandler, packed: bool
    ) -> Callable[[], None]:
        entry = (handler, packed)
        self._handlers[channel].append(entry)

        def remove() -> None:
            with contextlib.suppress(ValueError):
                self._handlers[channel].remove(entry)

        return remove

    def on_iopub(self, handler: Handler) -> Callable[[], None]:
        """Call `handler` with every iopub message; returns a function that removes it."""
        return self.on_channel("iopub", handler)

    def on_stdin(self, handler: Handler) -> Callable[[], None]:
        """Call `handler` with every stdin request (input_request) from the kernel."""
        return self.on_channel("stdin", handler)

    def on_unmatched_reply(self, handler: Handler) -> Callable[[], None]:
        """Replies on shell or control that no request awaits (see `on_channel`)."""
        removers = [self.on_channel(channel, handler) for channel in ("shell", "control")]

        def remove() -> None:
            for remover in removers:
                remover()

        return remove

    # --- sending ------------------------------------------------------------

    def send_message(self, channel: str, msg: Message, expect_reply: bool = True) -> Pending:
        """Send a ready message; when a reply is expected, it resolves `Pending.reply`.

        Messages without a reply (comm messages, input_reply) get a future that
        is already cancelled.
        """
        sock = self._sockets.get(channel)
        if sock is None:
            raise KernelError("kernel client channels are not started")
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        if expect_reply and channel in ("shell", "control"):
            self._pending[msg.msg_id] = future
        else:
            future.cancel()
        sock.send_multipart(self.session.serialize(msg), copy=False)
        return Pending(msg.msg_id, future)

    def send_request(self, channel: str, msg_type: str, content: Content | None = None) -> Pending:
        return self.send_message(channel, self.session.msg(msg_type, content or {}))

    def forget(self, pending: Pending) -> None:
        """Stop waiting for a reply (it will go to the channel's handlers)."""
        self._pending.pop(pending.msg_id, None)

    async def wait_reply(self, pending: Pending, timeout: float | None = None) -> Message:
        try:
            return await asyncio.wait_for(asyncio.shield(pending.reply), timeout)
        except TimeoutError:
            self._pending.pop(pending.msg_id, None)
            raise KernelTimeout(f"no reply to request {pending.msg_id} in {timeout}s") from None

    async def request(
        self,
        channel: str,
        msg_type: str,
        content: Content | None = None,
        timeout: float | None = None,
    ) -> Message:
        return await self.wait_reply(self.send_request(channel, msg_type, content), timeout)

    # --- receiving ----------------------------------------------------------

    async def _read(self, channel: str, sock: zmq.asyncio.Socket) -> None:
        while True:
            self._receive(channel, await sock.recv_multipart(copy=True))
            # What else is queued already is taken without waiting (a non-blocking recv
            # resolves at once), not one trip through the poller per message...
            for _ in range(MAX_BATCH - 1):
                ready = cast("asyncio.Future[list[bytes]]", sock.recv_multipart(zmq.DONTWAIT))
                try:
                    frames = ready.result()
                except zmq.Again:
                    break
                self._receive(channel, frames)
            # ...but a kernel flooding output must not keep the other tasks (HTTP
            # requests, other kernels, websocket writers) from running.
            await asyncio.sleep(0)

    def _receive(self, channel: str, frames: list[bytes]) -> None:
        self.received[channel] += 1
        try:
            packed = self.session.parse(frames).packed()
        except ProtocolError as exc:
            log.warning("dropped a message on %s from the kernel: %s", channel, exc)
            return
        self._dispatch(channel, packed)

    def _dispatch(self, channel: str, packed: PackedMessage) -> None:
        if channel in ("shell", "control"):
            future = self._pending.pop(packed.parent_msg_id, None)
            if future is not None and not future.done():
                msg = self._decode(channel, packed)
                if msg is not None:
                    future.set_result(msg)
                return
        handlers = list(self._handlers[channel])
        # Decoded once, for every handler that wants it so (none does on the server's relay).
        msg = None
        if not all(wants_packed for _, wants_packed in handlers):
            msg = self._decode(channel, packed)
        for handler, wants_packed in handlers:
            try:
                if wants_packed:
                    cast(PackedHandler, handler)(packed)
                elif msg is not None:
                    cast(Handler, handler)(msg)
            except Exception:
                log.exception("%s handler failed on %s", channel, packed.msg_type)

    @staticmethod
    def _decode(channel: str, packed: PackedMessage) -> Message | None:
        try:
            return packed.decode()
        except ProtocolError as exc:
            log.warning("dropped a message on %s from the kernel: %s", channel, exc)
            return None
