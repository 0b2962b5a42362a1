"""Leaving the served directory, as raw requests (no client-side URL clean-up).

tests/server/contents/test_security.py covers each contents operation in depth;
here the attack strings go over a raw socket, byte for byte, so that no HTTP
client normalizes `..` or backslashes away before the server sees them.
"""

from __future__ import annotations

import os
import socket

from tests.server.conftest import RunningServer, StartServer

SECRET = "TOP SECRET 7f3a"


def _raw_get(server: RunningServer, target: str) -> tuple[int, bytes]:
    request = (
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
        f"Authorization: token {server.token}\r\nConnection: close\r\n\r\n"
    ).encode("latin-1")
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    response = b"".join(chunks)
    return int(response.split(b" ", 2)[1]), response


def test_traversal_symlinks_and_hidden_files_stay_out_of_reach(start_server: StartServer) -> None:
    server = start_server()
    outside = server.root_dir.parent / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET)
    (server.root_dir / "sub").mkdir()
    os.symlink(outside, server.root_dir / "link-dir")
    os.symlink(outside / "secret.txt", server.root_dir / "link-file.txt")
    (server.root_dir / ".hidden").mkdir()
    (server.root_dir / ".hidden" / "key").write_text(SECRET)
    (server.root_dir / ".env").write_text(SECRET)
    targets = []
    for prefix in ("/api/contents/", "/files/"):
        for path in (
            "../outside/secret.txt",
            "sub/../../outside/secret.txt",
            "%2e%2e/outside/secret.txt",
            "%2e%2e%2foutside%2fsecret.txt",
            "%252e%252e/outside/secret.txt",
            "..%5coutside%5csecret.txt",
            "..\\outside\\secret.txt",
            f"{outside}/secret.txt",
            f"%2f{str(outside).lstrip('/')}/secret.txt",
            "link-dir/secret.txt",
            "link-file.txt",
            ".hidden/key",
            ".env",
            "sub/%2e%2e/.env",
            "secret.txt%00.ipynb",
        ):
            targets.append(prefix + path)
    targets += ["/api/contents/link-dir", "/api/contents/.hidden", "/tree/../../outside"]
    for target in targets:
        status, response = _raw_get(server, target)
        assert status in (400, 403, 404), (target, status)
        assert SECRET.encode() not in response, target
    listing = _raw_get(server, "/api/contents/")[1]
    assert b".env" not in listing and b".hidden" not in listing
    assert (outside / "secret.txt").read_text() == SECRET
