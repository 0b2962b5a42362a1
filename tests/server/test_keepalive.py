"""An idle keep-alive connection stays open as long as Jupyter's would.

uvicorn closes one 5 s after its last response: a client that reused it just then (one
of 20 parallel DELETEs in tests/reliability) got "Server disconnected without sending a
response", and a proxy in front with a longer idle timeout would answer 502."""

from __future__ import annotations

import select
import socket

from tests.server.conftest import RunningServer

# Past uvicorn's default (5 s): a wait for something that must not happen has to end.
PAST_UVICORN_DEFAULT = 6.5


def _request(sock: socket.socket, server: RunningServer) -> bytes:
    request = (
        f"GET /api/status HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Authorization: token {server.token}\r\n\r\n"
    )
    sock.sendall(request.encode())
    data = b""
    while b"\r\n\r\n" not in data:
        data += _received(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += _received(sock)
    return head


def _received(sock: socket.socket) -> bytes:
    chunk = sock.recv(65536)
    assert chunk, "the server closed the connection before its response was whole"
    return chunk


def test_an_idle_connection_is_kept_past_uvicorns_default(server: RunningServer) -> None:
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        assert _request(sock, server).startswith(b"HTTP/1.1 200")
        # Readable here means the server closed it (nothing else is owed).
        readable, _, _ = select.select([sock], [], [], PAST_UVICORN_DEFAULT)
        assert not readable, "the server closed an idle keep-alive connection"
        assert _request(sock, server).startswith(b"HTTP/1.1 200")
