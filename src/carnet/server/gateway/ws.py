"""The kernel websocket in gateway mode: relayed both ways between the page and the gateway.

Each page's websocket gets its own websocket to the gateway, with the gateway's auth
headers, asking for the page's subprotocol. Frames pass untouched when both sides
speak the same protocol and are converted (v1 <-> legacy JSON) when the gateway
accepted another. When the gateway drops its side, the page's stays open while we
reconnect, waiting gateway_retry_interval, doubled each time up to
gateway_retry_interval_max (with jitter, so pages cut off together do not come back
together), at most gateway_retry_max times; then the page's websocket is closed
(1011) and its client reconnects through the REST API as after any server restart.
A kernel the gateway no longer has (404) ends the relay at once. Reconnections carry the
page's session_id: the gateway replays what that session missed meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from carnet.errors import KernelNotFound, ProtocolError
from carnet.server.gateway import wsclient
from carnet.server.ws.formats import (
    V1_SUBPROTOCOL,
    decode_legacy,
    decode_v1,
    encode_legacy,
    encode_v1,
)

if TYPE_CHECKING:
    from starlette.websockets import WebSocket

    from carnet.server.gateway.kernels import GatewayKernelService

log = logging.getLogger("carnet.server")
CLOSE_GATEWAY_LOST = 1011


def convert(frame: str | bytes, from_v1: bool, to_v1: bool) -> str | bytes:
    """A frame in the other side's protocol (untouched when both speak the same)."""
    if from_v1 == to_v1:
        return frame
    if from_v1:
        if isinstance(frame, str):
            raise ProtocolError("text frame on a v1 websocket")
        return encode_legacy(decode_v1(frame))
    return encode_v1(decode_legacy(frame))


class Relay:
    def __init__(
        self, page: WebSocket, service: GatewayKernelService, kernel_id: str, v1: bool
    ) -> None:
        self.page = page
        self.service = service
        self.kernel_id = kernel_id
        self.page_v1 = v1
        self.upstream: Any = None
        self.upstream_v1 = v1
        self._ready = asyncio.Event()
        session_id = page.query_params.get("session_id", "")
        query = "?" + urlencode({"session_id": session_id}) if session_id else ""
        config = service.config
        kernel = quote(kernel_id, safe="")
        self.url = f"{config.ws_url}{config.kernels_endpoint}/{kernel}/channels{query}"

    async def connect(self) -> None:
        """Open the gateway's side (raises wsclient.Refused or wsclient.Unreachable)."""
        config = self.service.config
        self.upstream = await wsclient.connect(
            self.url,
            headers=config.headers,
            subprotocols=[V1_SUBPROTOCOL] if self.page_v1 else [],
            ssl_context=config.ssl_context() if self.url.startswith("wss:") else None,
            timeout=config.connect_timeout,
        )
        self.upstream_v1 = wsclient.subprotocol(self.upstream) == V1_SUBPROTOCOL
        self._ready.set()

    async def page_to_gateway(self) -> None:
        while True:
            event = await self.page.receive()
            if event["type"] == "websocket.disconnect":
                return
            frame = event.get("bytes")
            if frame is None:
                frame = event.get("text") or ""
            try:
                await self._to_gateway(frame)
            except ProtocolError as exc:
                log.warning("dropped a websocket message for kernel %s: %s", self.kernel_id, exc)

    async def _to_gateway(self, frame: str | bytes) -> None:
        """Send, holding the frame while the gateway's side reconnects."""
        while True:
            await self._ready.wait()
            upstream = self.upstream
            try:
                await upstream.send(convert(frame, self.page_v1, self.upstream_v1))
                return
            except wsclient.ConnectionClosed:
                if self.upstream is upstream:  # not reconnected yet: wait for it
                    self._ready.clear()

    async def gateway_to_page(self) -> None:
        while True:
            try:
                async for frame in self.upstream:
                    await self._to_page(convert(frame, self.upstream_v1, self.page_v1))
            except wsclient.ConnectionClosed:
                pass
            except ProtocolError as exc:
                log.warning("dropped a gateway message for kernel %s: %s", self.kernel_id, exc)
                continue
            self._ready.clear()
            if not await self._reconnect():
                return

    async def _to_page(self, frame: str | bytes) -> None:
        if isinstance(frame, str):
            await self.page.send_text(frame)
        else:
            await self.page.send_bytes(frame)

    async def _reconnect(self) -> bool:
        config = self.service.config
        delay = config.retry_interval
        for attempt in range(1, config.retry_max + 1):
            await asyncio.sleep(delay * random.uniform(0.8, 1.2))
            delay = min(delay * 2, config.retry_interval_max)
            try:
                await self.connect()
            except wsclient.Refused as exc:
                if exc.status == 404:
                    log.info("Kernel %s is gone from the gateway", self.kernel_id)
                    return False
                log.info("Gateway refused kernel %s's websocket: %s", self.kernel_id, exc)
            except wsclient.Unreachable as exc:
                log.info(
                    "Reconnecting kernel %s to the gateway, try %d of %d: %s",
                    self.kernel_id,
                    attempt,
                    config.retry_max,
                    exc,
                )
            else:
                log.info("Kernel %s's websocket is back on the gateway", self.kernel_id)
                return True
        log.warning("Gave up reconnecting kernel %s to the gateway", self.kernel_id)
        return False


async def gateway_channels(websocket: WebSocket, service: GatewayKernelService) -> None:
    """The /api/kernels/{id}/channels endpoint of gateway mode."""
    from carnet.server.http_errors import json_error

    kernel_id = websocket.path_params["kernel_id"]
    v1 = V1_SUBPROTOCOL in websocket.scope.get("subprotocols", [])
    relay = Relay(websocket, service, kernel_id, v1)
    try:
        await service.model(kernel_id)  # a 404 for a kernel the gateway culled
        await relay.connect()
    except Exception as exc:
        status, message = _refusal(exc, service)
        log.warning("Kernel websocket for %s refused: %s", kernel_id, message)
        if "websocket.http.response" in websocket.scope.get("extensions", {}):
            await websocket.send_denial_response(json_error(status, message, "gateway"))
        else:
            await websocket.close(code=1008 if status == 404 else CLOSE_GATEWAY_LOST)
        return
    await websocket.accept(subprotocol=V1_SUBPROTOCOL if v1 else None)
    activity = websocket.app.state.activity
    activity.connection_opened()
    tasks = {
        asyncio.create_task(relay.page_to_gateway()),
        asyncio.create_task(relay.gateway_to_page()),
    }
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        activity.connection_closed()
        with contextlib.suppress(Exception):
            await relay.upstream.close()
        with contextlib.suppress(Exception):
            await websocket.close(CLOSE_GATEWAY_LOST)


def _refusal(exc: Exception, service: GatewayKernelService) -> tuple[int, str]:
    from carnet.server.http_errors import status_for

    if isinstance(exc, KernelNotFound):
        return 404, str(exc)
    if isinstance(exc, wsclient.Refused):
        return (404 if exc.status == 404 else 502), str(exc)
    if isinstance(exc, wsclient.Unreachable):
        return 503, f"Kernel gateway {service.config.url} is unreachable: {exc}"
    mapped = status_for(exc)
    if mapped is None:
        raise exc
    return mapped[0], str(exc)
