"""The heartbeat channel: a REQ socket that the kernel echoes."""

from __future__ import annotations

import os

import zmq
import zmq.asyncio


class Heartbeat:
    """Pings the kernel's heartbeat socket; a missed reply means unresponsive.

    A REQ socket that sent a ping without a reply cannot send again, so after a
    miss the socket is thrown away and a fresh one is made on the next beat.
    """

    def __init__(self, context: zmq.asyncio.Context, url: str) -> None:
        self._context = context
        self._url = url
        self._socket: zmq.asyncio.Socket | None = None

    def _connected(self) -> zmq.asyncio.Socket:
        if self._socket is None:
            sock = self._context.socket(zmq.REQ)
            sock.setsockopt(zmq.LINGER, 0)
            sock.connect(self._url)
            self._socket = sock
        return self._socket

    async def beat(self, timeout: float = 1.0) -> bool:
        """True when the kernel echoed a ping within `timeout` seconds."""
        sock = self._connected()
        ping = os.urandom(8)
        await sock.send(ping)
        if await sock.poll(int(timeout * 1000)):
            return bool(await sock.recv() == ping)
        self.close()
        return False

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close(linger=0)
            self._socket = None
