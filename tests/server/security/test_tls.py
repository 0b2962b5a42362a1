"""HTTPS and WSS with a self-signed certificate; plain HTTP sent to the HTTPS port."""

from __future__ import annotations

import socket
import ssl
import subprocess
from pathlib import Path

import httpx
import websockets
from websockets.sync.client import connect

from tests.server.conftest import ServerDirs, StartServer

# The sync client's TLS argument: `ssl_context` until websockets 14 (the oldest lane has 12).
SSL_ARGUMENT = "ssl" if int(websockets.__version__.split(".")[0]) >= 14 else "ssl_context"


def _certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "tls.crt", directory / "tls.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-nodes", "-newkey", "rsa:2048",
            "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_https_wss_and_plain_http_on_the_tls_port(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    cert, key = _certificate(server_dirs.base)
    server = start_server(f"--certfile={cert}", f"--keyfile={key}")
    trust = ssl.create_default_context(cafile=str(cert))
    with server.client(authenticated=False, verify=trust) as client:
        login = client.get("tree", params={"token": server.token})
        assert "; Secure" in login.headers["set-cookie"]
        kernel = client.post(
            "api/kernels",
            json={"name": "python3"},
            headers={
                "X-XSRFToken": client.cookies.get("_xsrf") or client.get("login").cookies["_xsrf"]
            },
        )
        assert kernel.status_code == 201, kernel.text
        assert "; Secure" in client.get("logout").headers["set-cookie"]
    kernel_id = kernel.json()["id"]
    wss = f"wss://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels"
    options = {SSL_ARGUMENT: trust, "additional_headers": server.auth_headers}
    with connect(wss, open_timeout=10, **options) as ws:
        ws.ping().wait(5)
    # A browser typing http:// gets sent to https://, with one clear log line.
    plain = httpx.get(f"http://127.0.0.1:{server.port}/tree?x=1", timeout=5)
    assert plain.status_code == 307
    assert plain.headers["location"] == f"https://127.0.0.1:{server.port}/tree?x=1"
    # Not HTTP at all: closed without a reply.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"\x00garbage\r\n\r\n")
        assert raw.recv(100) == b""
    # Untrusted certificate: the client refuses, the server keeps serving.
    try:
        httpx.get(f"https://127.0.0.1:{server.port}/api", timeout=5)
        raise AssertionError("an untrusted certificate was accepted")
    except httpx.ConnectError:
        pass
    with server.client(verify=trust) as client:
        assert client.get("api/status").status_code == 200
    output = server.output()
    assert output.count("A plain HTTP request reached the HTTPS port") == 1
    assert f"use https://127.0.0.1:{server.port}/" in output
    assert "WRONG_VERSION_NUMBER" not in output and "Traceback" not in output
    assert output.count(server.token) == 1
