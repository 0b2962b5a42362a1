"""HTTPS and WSS on the server's port, with a clear answer to plain HTTP sent to it.

Instead of handing uvicorn an SSL context (which makes a plain-HTTP request end in
a silent reset, or Jupyter's bare `SSL: WRONG_VERSION_NUMBER`), each connection
starts with a small protocol that looks at the first bytes. A TLS handshake
(record type 0x16) is handed to asyncio's TLS layer with uvicorn's HTTP
protocol on top, as `create_server(ssl=...)` would. A plain HTTP request gets
one log line saying what happened and a redirect to the same URL over https.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections.abc import Callable
from typing import Any

from carnet.server import logs

_TLS_HANDSHAKE = 0x16
# A connection that says nothing is closed after this long (no TLS timeout applies yet).
FIRST_BYTES_TIMEOUT = 30.0
HANDSHAKE_TIMEOUT = 30
_REQUEST_LINE = re.compile(rb"^([A-Z]{3,10}) (/[^ \r\n]*) HTTP/1\.[01]\r?\n")
_HOST_HEADER = re.compile(rb"\r?\nhost:[ \t]*([A-Za-z0-9.\-\[\]:]{1,300})[ \t]*\r?\n", re.I)


def server_context(certfile: str, keyfile: str, client_ca: str) -> ssl.SSLContext:
    """The server's TLS context: its certificate, and client certificates when client_ca."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile, keyfile or None)
    if client_ca:
        context.load_verify_locations(client_ca)
        context.verify_mode = ssl.CERT_REQUIRED
    context.set_alpn_protocols(["http/1.1"])
    return context


def sniffing_protocol(
    inner: Callable[..., asyncio.Protocol], context: ssl.SSLContext, port: int
) -> Callable[..., asyncio.Protocol]:
    """A uvicorn `http` protocol class: TLS to `inner` (uvicorn's own), plain HTTP redirected."""

    def factory(**kwargs: Any) -> asyncio.Protocol:
        return _FirstBytes(lambda: inner(**kwargs), context, port)

    return factory


class _FirstBytes(asyncio.Protocol):
    def __init__(
        self, make_inner: Callable[[], asyncio.Protocol], context: ssl.SSLContext, port: int
    ) -> None:
        self.make_inner = make_inner
        self.context = context
        self.port = port
        self.transport: Any = None  # uvloop's transports are not asyncio.Transport subclasses
        self.buffer = b""
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport
        loop = asyncio.get_running_loop()
        self.timer = loop.call_later(FIRST_BYTES_TIMEOUT, transport.close)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()

    def data_received(self, data: bytes) -> None:
        assert self.transport is not None
        self.buffer += data
        if self.buffer[0] == _TLS_HANDSHAKE:
            self._start_tls()
            return
        if b"\n" in self.buffer and (b"\r\n\r\n" in self.buffer or len(self.buffer) > 8192):
            self._answer_plain_http()
        elif len(self.buffer) > 8192:
            self.transport.close()

    def eof_received(self) -> bool | None:
        if self.buffer and self.buffer[0] != _TLS_HANDSHAKE:
            self._answer_plain_http()
        return None

    def _start_tls(self) -> None:
        from asyncio import sslproto

        assert self.transport is not None
        if self.timer is not None:
            self.timer.cancel()
        loop = asyncio.get_running_loop()
        tls = sslproto.SSLProtocol(
            loop,
            self.make_inner(),
            self.context,
            None,  # type: ignore[arg-type]  # no one awaits the handshake: uvicorn reacts to it
            server_side=True,
            ssl_handshake_timeout=HANDSHAKE_TIMEOUT,
        )
        self.transport.set_protocol(tls)
        tls.connection_made(self.transport)
        pending = memoryview(self.buffer)
        self.buffer = b""
        while len(pending):
            target = tls.get_buffer(len(pending))
            count = min(len(target), len(pending))
            target[:count] = pending[:count]
            tls.buffer_updated(count)
            pending = pending[count:]

    def _answer_plain_http(self) -> None:
        assert self.transport is not None
        if self.timer is not None:
            self.timer.cancel()
        request = _REQUEST_LINE.match(self.buffer)
        host = _HOST_HEADER.search(self.buffer)
        log = logs.server_log()
        if request is None or host is None:
            log.warning("A non-TLS connection reached the HTTPS port %d; closed it", self.port)
            self.transport.close()
            return
        location = b"https://" + host.group(1) + request.group(2)
        log.warning(
            "A plain HTTP request reached the HTTPS port %d: use https://%s/ (redirected it there)",
            self.port,
            host.group(1).decode("ascii"),
        )
        body = b"This server speaks HTTPS only: " + location.split(b"?")[0] + b"\n"
        head = (
            b"HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location + b"\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
        )
        self.transport.write(head + body)
        self.transport.close()
