"""uvicorn's websocket protocol, imported with the first websocket, not at start-up.

The websockets package is 1 MB of resident memory that a server nobody has opened a
notebook on does not need. uvicorn takes a protocol class for `ws` and makes one
instance per upgraded connection; this class makes uvicorn's own ("auto") then and
passes every asyncio.Protocol callback on to it.
"""

from __future__ import annotations

import asyncio
from typing import Any


class LazyWebSocketsProtocol(asyncio.Protocol):
    def __init__(self, **kwargs: Any) -> None:
        from uvicorn.protocols.websockets.auto import AutoWebSocketsProtocol

        if AutoWebSocketsProtocol is None:
            raise RuntimeError("neither websockets nor wsproto is installed")
        self.inner = AutoWebSocketsProtocol(**kwargs)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()
