"""The websocket client of gateway mode keeps what the gateway sent before it closed.

The relay (carnet.server.gateway.ws) reads the gateway's frames while it writes the
previous one to the page; a gateway that sends a kernel's last messages and closes (a
shutdown, a restart) must not lose them. websockets 14.0 dropped the messages buffered
when the close frame arrived (fixed in 14.1, hence our floor): this test fails with it.
"""

from __future__ import annotations

import asyncio

from websockets.asyncio.server import ServerConnection, serve

from carnet.server.gateway import wsclient

MESSAGES = [f"message {i}" for i in range(5)]


async def _send_all_then_close(connection: ServerConnection) -> None:
    for message in MESSAGES:
        await connection.send(message)
    await connection.close(1000)


async def _received_after_close() -> list[str]:
    async with serve(_send_all_then_close, "127.0.0.1", 0) as server:
        port = server.sockets[0].getsockname()[1]
        upstream = await wsclient.connect(
            f"ws://127.0.0.1:{port}/", headers={}, subprotocols=[], ssl_context=None, timeout=10
        )
        # Not read while the gateway sends and closes, as when the relay is busy writing.
        await asyncio.wait_for(upstream.wait_closed(), 10)
        return [frame async for frame in upstream]


def test_messages_sent_before_the_close_are_all_read() -> None:
    assert asyncio.run(_received_after_close()) == MESSAGES
