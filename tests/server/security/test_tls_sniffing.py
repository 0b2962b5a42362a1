"""The first-byte sniffer on each event loop the server may run on (asyncio's and uvloop)."""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import uvloop

from carnet.server import tls
from tests.server.security.test_tls import _certificate

LOOPS: dict[str, Callable[[], asyncio.AbstractEventLoop]] = {
    "asyncio": asyncio.new_event_loop,
    "uvloop": uvloop.new_event_loop,
}


class Echo(asyncio.Protocol):
    """Stands for uvicorn's protocol: made with keyword arguments, echoes what it reads."""

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: Any = transport

    def data_received(self, data: bytes) -> None:
        scheme = "https" if self.transport.get_extra_info("sslcontext") else "http"
        self.transport.write(f"{scheme} {self.kwargs['tag']}: ".encode() + data)


async def _exchange(port: int, data: bytes, context: ssl.SSLContext | None = None) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
    writer.write(data)
    reply = await asyncio.wait_for(reader.read(1000), 10)
    writer.close()
    return reply


@pytest.mark.parametrize("loop_name", sorted(LOOPS))
def test_tls_goes_to_the_inner_protocol_and_plain_http_is_redirected(
    tmp_path: Path, loop_name: str
) -> None:
    cert, key = _certificate(tmp_path)
    trust = ssl.create_default_context(cafile=str(cert))

    async def main() -> list[bytes]:
        sniffing = tls.sniffing_protocol(Echo, tls.server_context(str(cert), str(key), ""), 1)
        server = await asyncio.get_running_loop().create_server(
            lambda: sniffing(tag="uvicorn's arguments"), "127.0.0.1", 0
        )
        port = server.sockets[0].getsockname()[1]
        try:
            return [
                await _exchange(port, b"hello", trust),
                await _exchange(port, b"GET /tree?x=1 HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n"),
                await _exchange(port, b"\x00garbage\r\n\r\n"),
                await _exchange(port, b"hello again", trust),
            ]
        finally:
            server.close()

    with asyncio.Runner(loop_factory=LOOPS[loop_name]) as runner:
        secure, plain, garbage, again = runner.run(main())
    assert secure == b"https uvicorn's arguments: hello"
    assert plain.startswith(b"HTTP/1.1 307 Temporary Redirect\r\n")
    assert b"\r\nLocation: https://127.0.0.1:9/tree?x=1\r\n" in plain
    assert garbage == b""
    assert again == b"https uvicorn's arguments: hello again"
