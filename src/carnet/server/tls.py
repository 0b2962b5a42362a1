"""HTTPS and WSS on the server's port, with a clear answer to plain HTTP sent to it.

Instead of handing uvicorn an SSL context (which makes a plain-HTTP request end in
a silent reset, or Jupyter's bare `SSL: WRONG_VERSION_NUMBER`), uvicorn's `http`
protocol is a small class that takes each accepted connection over and peeks at its
first byte, leaving it in the socket. A TLS handshake (record type 0x16) goes to
`loop.connect_accepted_socket(ssl=...)` with uvicorn's HTTP protocol on top, as
`create_server(ssl=...)` would have done. A plain HTTP request gets one log line
saying what happened and a redirect to the same URL over https.

Taking over is a duplicate of the connection's descriptor and the close of the
transport uvicorn's server made: pausing that transport until the byte is known
would be simpler, but uvloop starts reading after `connection_made` whatever the
protocol asked, and the bytes it reads cannot be handed to the TLS layer publicly.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
from typing import Any, ClassVar

from carnet.server import logs

_TLS_HANDSHAKE = 0x16
# A connection that says nothing is closed after this long (no TLS timeout applies yet).
FIRST_BYTES_TIMEOUT = 30.0
HANDSHAKE_TIMEOUT = 30
_REQUEST_LINE = re.compile(rb"^([A-Z]{3,10}) (/[^ \r\n]*) HTTP/1\.[01]\r?\n")
_OPENSSL_NOISE = re.compile(r"^\[[^\]]*\]\s*|\s*\(_ssl\.c:\d+\)$")
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
    inner: type[asyncio.Protocol], context: ssl.SSLContext, port: int
) -> type[asyncio.Protocol]:
    """A uvicorn `http` protocol class: TLS to `inner` (uvicorn's own), plain HTTP redirected."""

    class Sniffing(_FirstBytes):
        pass

    Sniffing.inner, Sniffing.context, Sniffing.port = inner, context, port
    return Sniffing


class _FirstBytes(asyncio.Protocol):
    """Made by uvicorn for each connection; hands it to TLS or answers plain HTTP."""

    inner: type[asyncio.Protocol]
    context: ssl.SSLContext
    port: int
    routing: ClassVar[set[asyncio.Task[None]]] = set()  # tasks are weakly held by the loop

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs  # for uvicorn's protocol, made if the client speaks TLS

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        lent = transport.get_extra_info("socket")
        own = socket.fromfd(lent.fileno(), lent.family, lent.type)
        own.setblocking(False)
        transport.close()  # closes its descriptor only: the connection lives on in `own`
        task = asyncio.get_running_loop().create_task(self._route(own))
        self.routing.add(task)
        task.add_done_callback(self.routing.discard)

    async def _route(self, own: socket.socket) -> None:
        peer = _address(own)
        try:
            async with asyncio.timeout(FIRST_BYTES_TIMEOUT):
                first = await _peek(own)
        except (OSError, TimeoutError):
            own.close()
            return
        if first != bytes([_TLS_HANDSHAKE]):
            await _answer_plain_http(own, self.port)
            return
        loop = asyncio.get_running_loop()
        inner = self.inner(**self.kwargs)
        try:
            await loop.connect_accepted_socket(
                lambda: inner, own, ssl=self.context, ssl_handshake_timeout=HANDSHAKE_TIMEOUT
            )
        except ssl.SSLError as exc:
            own.close()
            # Not one word from the event loop: without this line a client the server
            # turns away (say, a proxy whose certificate its CA did not sign, under
            # JupyterHub's internal_ssl) would be a mystery. Tornado logs it too.
            logs.server_log().warning("TLS handshake with %s failed: %s", peer, _why(exc))
        except (OSError, TimeoutError):
            own.close()  # a reset or a silent client: its own business


def _address(own: socket.socket) -> str:
    try:
        host, port, *_ = own.getpeername()
    except (OSError, ValueError):
        return "a client"
    return f"{host}:{port}"


def _why(exc: ssl.SSLError) -> str:
    """The reason, without OpenSSL's bracketed code and source line."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"client certificate not trusted ({exc.verify_message})"
    text = _OPENSSL_NOISE.sub("", str(exc.strerror or exc)).strip()
    return text or str(exc.reason or exc)


async def _peek(own: socket.socket) -> bytes:
    """The first byte the client sent, left unread (b"" when it closed)."""
    loop = asyncio.get_running_loop()
    while True:
        try:
            return own.recv(1, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            pass
        readable: asyncio.Future[None] = loop.create_future()
        loop.add_reader(own.fileno(), _set_once, readable)
        try:
            await readable
        finally:
            loop.remove_reader(own.fileno())


def _set_once(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def _answer_plain_http(own: socket.socket, port: int) -> None:
    loop = asyncio.get_running_loop()
    buffer = b""
    try:
        async with asyncio.timeout(FIRST_BYTES_TIMEOUT):
            while b"\r\n\r\n" not in buffer and len(buffer) <= 8192:
                chunk = await loop.sock_recv(own, 8192)
                if not chunk:
                    break
                buffer += chunk
            if buffer and (b"\n" in buffer or len(buffer) <= 8192):
                reply = _plain_http_reply(buffer, port)
                if reply:
                    await loop.sock_sendall(own, reply)
    except (OSError, TimeoutError):
        pass
    finally:
        own.close()


def _plain_http_reply(buffer: bytes, port: int) -> bytes:
    """A redirect to https for a request, with one log line; b"" for anything else."""
    request = _REQUEST_LINE.match(buffer)
    host = _HOST_HEADER.search(buffer)
    log = logs.server_log()
    if request is None or host is None:
        log.warning("A non-TLS connection reached the HTTPS port %d; closed it", port)
        return b""
    location = b"https://" + host.group(1) + request.group(2)
    log.warning(
        "A plain HTTP request reached the HTTPS port %d: use https://%s/ (redirected it there)",
        port,
        host.group(1).decode("ascii"),
    )
    body = b"This server speaks HTTPS only: " + location.split(b"?")[0] + b"\n"
    head = (
        b"HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location + b"\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n"
    )
    return head + body
