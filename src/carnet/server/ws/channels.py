"""The kernel websocket endpoint: /api/kernels/{kernel_id}/channels?session_id=...

Speaks the v1.kernel.websocket.jupyter.org subprotocol when the client offers
it, else the legacy JSON protocol. Each websocket gets a bounded send queue
drained by its own task, so a slow browser never blocks the kernel or the
other clients; a websocket that falls too far behind is closed and what it had
not received is kept for its session's reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from typing import TYPE_CHECKING

from carnet.errors import KernelNotFound, ProtocolError
from carnet.protocol import PackedMessage
from carnet.server import malloc
from carnet.server.kernels.msgqueue import MessageQueue
from carnet.server.kernels.ratelimit import IOPubRateLimiter
from carnet.server.kernels.replay import SentRing
from carnet.server.ws.formats import (
    V1_SUBPROTOCOL,
    WsMessage,
    decode_legacy,
    decode_v1,
    encode_legacy,
    encode_v1,
)

if TYPE_CHECKING:
    from starlette.websockets import WebSocket

    from carnet.server.kernels.hub import KernelHub

log = logging.getLogger("carnet.server")

# Messages (or bytes) queued for one websocket before it counts as stuck and is closed.
MAX_QUEUED = 20_000
# A websocket that sent this much leaves freed memory to give back, 2 s after it closed.
BURST_BYTES = 1024 * 1024
TRIM_AFTER_BURST = 2.0
# A frame this big leaves buffers of its size free once sent; kept mapped for the next big
# one (malloc.TRIM_THRESHOLD), they are given back 2 s after the last.
BIG_FRAME = 1024 * 1024
MAX_QUEUED_BYTES = 64 * 1024 * 1024
# Channels a client may send on (iopub and hb are kernel-to-client only).
CLIENT_CHANNELS = frozenset({"shell", "control", "stdin"})
# 1013: "try again later"; the client reconnects and gets the backlog replayed.
CLOSE_LAGGING = 1013
# A client's close frame with these codes (normal closure, going away: a closed tab) means
# it left on purpose; anything else (1006: no close frame) may be a blip it comes back from.
CLEAN_CLOSE_CODES = frozenset({1000, 1001})


class WebSocketConnection:
    """One browser tab's websocket, as the KernelHub sees it."""

    def __init__(
        self,
        websocket: WebSocket,
        session_id: str,
        v1: bool,
        limiter: IOPubRateLimiter | None = None,
    ) -> None:
        self.websocket = websocket
        self.session_id = session_id
        self.v1 = v1
        self.limiter = limiter if limiter is not None and limiter.enabled else None
        # Not a deque of (channel, message) tuples: msgqueue.py says why.
        self.queue = MessageQueue()
        self._wakeup = asyncio.Event()
        self.closing = False
        # The client closed it on purpose (its close frame said so): not coming back.
        self.closed_cleanly = False
        self.sent_bytes = 0
        # What it wrote last: a resuming client is sent again what it did not get of it.
        self.sent = SentRing()

    def deliver(self, channel: str, msg: PackedMessage) -> None:
        if self.closing:
            return
        if self.limiter is not None and channel == "iopub":
            for item in self.limiter.filter(msg, time.monotonic()):
                self.queue.append(channel, item)
        else:
            self.queue.append(channel, msg)
        self._wakeup.set()
        # One big output alone is fine; a backlog of them means the client is stuck.
        lagging = len(self.queue) > 1 and self.queue.size > MAX_QUEUED_BYTES
        if len(self.queue) > MAX_QUEUED or lagging:
            log.warning(
                "websocket of session %s is too slow (%d messages, %d MiB queued); closing it",
                self.session_id,
                len(self.queue),
                self.queue.size >> 20,
            )
            self.close()

    def close(self) -> None:
        self.closing = True
        self._wakeup.set()

    async def write_forever(self) -> None:
        try:
            await self._write_queued()
        except _ClientGone as gone:
            # The client left while we were sending (closed tab, dropped network): a normal
            # end, not an error, so one debug line and no traceback.
            self.closing = True
            log.debug("websocket of session %s left mid-send (%r)", self.session_id, gone.cause)
            return
        code = CLOSE_LAGGING if self.queue else 1000
        with contextlib.suppress(Exception):
            await self.websocket.close(code)

    async def _write_queued(self) -> None:
        while not self.closing:
            await self._wakeup.wait()
            self._wakeup.clear()
            while self.queue and not self.closing:
                channel, msg = self.queue.first()
                wire = WsMessage(channel, msg.parts, msg.buffers)
                frame = encode_v1(wire) if self.v1 else encode_legacy(wire, msg.header)
                try:
                    await self._send(frame)
                except asyncio.CancelledError:
                    # Maybe written: a resuming client says whether it got it.
                    self._written(channel, msg)
                    raise
                # A send that failed left it queued: never written, it goes to the backlog.
                self._written(channel, msg)

    def _written(self, channel: str, msg: PackedMessage) -> None:
        self.queue.popleft()
        self.sent.add(channel, msg)

    async def _send(self, frame: str | bytes) -> None:
        from starlette.websockets import WebSocketDisconnect

        self.sent_bytes += len(frame)
        try:
            if isinstance(frame, str):
                await self.websocket.send_text(frame)
            else:
                await self.websocket.send_bytes(frame)
        except (WebSocketDisconnect, OSError, RuntimeError) as exc:
            # How a send on a closed connection fails: WebSocketDisconnect (Starlette >= 0.38),
            # uvicorn's ClientDisconnected (an OSError), or uvicorn < 0.30's RuntimeError
            # "Unexpected ASGI message 'websocket.send', after sending 'websocket.close'".
            raise _ClientGone(exc) from None
        if len(frame) >= BIG_FRAME:
            malloc.TRIMMER.after(TRIM_AFTER_BURST)


class _ClientGone(Exception):
    """A send found the websocket closed by the client."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(cause)
        self.cause = cause


def _decode(v1: bool, data: str | bytes) -> WsMessage:
    if v1:
        if isinstance(data, str):
            raise ProtocolError("text frame on a v1 websocket")
        return decode_v1(data)
    return decode_legacy(data)


class DropLog:
    """Logs dropped client messages, at most `burst` lines per `window` seconds.

    A client sending garbage in a loop must not fill the disk with log lines:
    past the burst, drops are counted and summed up in one line per window.
    """

    def __init__(self, session_id: str, burst: int = 10, window: float = 60.0) -> None:
        self.session_id = session_id
        self.burst = burst
        self.window = window
        self._window_start = time.monotonic()
        self._logged = 0
        self._suppressed = 0

    def dropped(self, reason: object) -> None:
        now = time.monotonic()
        if now - self._window_start > self.window:
            self.flush()
            self._window_start, self._logged = now, 0
        if self._logged < self.burst:
            self._logged += 1
            log.warning("dropped a websocket message from session %s: %s", self.session_id, reason)
        else:
            self._suppressed += 1

    def flush(self) -> None:
        if self._suppressed:
            log.warning(
                "dropped %d more websocket messages from session %s (not logged one by one)",
                self._suppressed,
                self.session_id,
            )
            self._suppressed = 0


async def _read_forever(conn: WebSocketConnection, hub: KernelHub) -> None:
    drops = DropLog(conn.session_id)
    try:
        await _read_messages(conn, hub, drops)
    finally:
        drops.flush()


async def _read_messages(conn: WebSocketConnection, hub: KernelHub, drops: DropLog) -> None:
    ws = conn.websocket
    while True:
        event = await ws.receive()
        if event["type"] == "websocket.disconnect":
            conn.closed_cleanly = event.get("code") in CLEAN_CLOSE_CODES
            return
        data = event.get("bytes")
        if data is None:
            data = event.get("text") or ""
        try:
            wire = _decode(conn.v1, data)
            if wire.channel not in CLIENT_CHANNELS:
                raise ProtocolError(f"clients may not send on {wire.channel}")
            msg = wire.decode()
        except ProtocolError as exc:
            drops.dropped(exc)
            continue
        hub.send(conn, wire.channel, msg)


async def kernel_channels(websocket: WebSocket) -> None:
    from carnet.server.http_errors import json_error

    kernel_id = websocket.path_params["kernel_id"]
    service = websocket.app.state.kernels
    if getattr(service, "remote", False):  # gateway mode: relayed to the gateway
        from carnet.server.gateway.ws import gateway_channels

        await gateway_channels(websocket, service)
        return
    try:
        hub = service.hub(kernel_id)
    except KernelNotFound:
        if "websocket.http.response" in websocket.scope.get("extensions", {}):
            await websocket.send_denial_response(
                json_error(404, f"no kernel with id {kernel_id!r}", "not found")
            )
        else:
            await websocket.close(code=1008)
        return
    offered = websocket.scope.get("subprotocols", [])
    v1 = V1_SUBPROTOCOL in offered
    await websocket.accept(subprotocol=V1_SUBPROTOCOL if v1 else None)
    session_id = websocket.query_params.get("session_id") or str(uuid.uuid4())
    settings = websocket.app.state.settings
    limiter = IOPubRateLimiter(
        settings.iopub_data_rate_limit, settings.iopub_msg_rate_limit, settings.rate_limit_window
    )
    conn = WebSocketConnection(websocket, session_id, v1, limiter)
    activity = websocket.app.state.activity
    activity.connection_opened()
    writer = asyncio.create_task(conn.write_forever())
    try:
        # Sent by Carnet's page after a drop: the last message it got (replay.py).
        hub.attach(conn, websocket.query_params.get("last_msg_id", ""))
        reader = asyncio.create_task(_read_forever(conn, hub))
        await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
        for task in (reader, writer):
            # Both may have ended together: each one's outcome is collected, so none is
            # left for asyncio to report as "never retrieved".
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                try:
                    await task
                except Exception:  # a bug, not a disconnect (write_forever takes those)
                    log.exception("websocket of session %s failed", session_id)
    finally:
        conn.closing = True
        hub.detach(conn, conn.queue.items(), conn.closed_cleanly)
        # What it held is the backlog's now, or nobody's: the connection object itself may
        # outlive this (a reference cycle waiting for the collector) and must not keep it.
        conn.queue.clear()
        conn.sent = SentRing()
        activity.connection_closed()
        if conn.sent_bytes >= BURST_BYTES:
            malloc.TRIMMER.after(TRIM_AFTER_BURST)
        if not writer.done():
            writer.cancel()
