"""Internal TLS (JupyterHub.internal_ssl), at Carnet's level: `carnet singleuser` serves
with the certificate the Hub gave it, admits only clients whose certificates the Hub's
CA signed, and shows its own certificate when it calls the Hub's API.

The Hub here is a stand-in (a TLS HTTP server on loopback answering the two calls the
single-user server makes), quick and precise about what the server shows the Hub;
test_internal_tls_hub.py runs the same under the real Hub, its certificates and proxy.
"""

from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.hub.certs import Authority
from tests.hub.hubproc import wait_until
from tests.support.ports import free_port

pytestmark = pytest.mark.timeout(120)

USER_TOKEN = "alice-token"


class _HubAPI(BaseHTTPRequestHandler):
    """GET /hub/api/ (the start-up check) and /hub/api/user (a token's owner)."""

    seen_clients: list[str]  # the common names of the client certificates shown

    def do_GET(self) -> None:
        peer: Any = self.connection.getpeercert()  # type: ignore[attr-defined]
        subject = dict(item[0] for item in peer["subject"]) if peer else {}
        self.seen_clients.append(str(subject.get("commonName", "")))
        if self.path == "/hub/api/":
            self._reply(200, {"version": "6.0.0"})
        elif self.path == "/hub/api/user" and self.headers["Authorization"] == (
            f"token {USER_TOKEN}"
        ):
            self._reply(200, {"name": "alice", "scopes": ["access:servers!user=alice"]})
        else:
            self._reply(403, {"message": "no"})

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-JupyterHub-Version", "6.0.0")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def hub_api(tmp_path: Path) -> Iterator[tuple[ThreadingHTTPServer, Authority, list[str]]]:
    authority = Authority(tmp_path)
    cert, key = authority.issue("hub")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    context.load_verify_locations(authority.ca_file)
    context.verify_mode = ssl.CERT_REQUIRED  # the Hub wants to know who calls it
    seen: list[str] = []
    handler = type("Handler", (_HubAPI,), {"seen_clients": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, authority, seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _client(
    authority: Authority, cert: Path | None = None, key: Path | None = None
) -> httpx.Client:
    context = ssl.create_default_context(cafile=str(authority.ca_file))
    if cert is not None:
        context.load_cert_chain(cert, key)
    return httpx.Client(verify=context, timeout=30)


def test_internal_tls(
    tmp_path: Path, hub_api: tuple[ThreadingHTTPServer, Authority, list[str]]
) -> None:
    server, authority, seen = hub_api
    own_cert, own_key = authority.issue("alice-server")
    proxy_cert, proxy_key = authority.issue("proxy")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    env.update(
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTER_DATA_DIR=str(tmp_path / "data"),
        JUPYTERHUB_SERVICE_URL=f"https://127.0.0.1:{port}/user/alice/",
        JUPYTERHUB_API_URL=f"https://127.0.0.1:{server.server_address[1]}/hub/api",
        JUPYTERHUB_API_TOKEN="server-token",
        JUPYTERHUB_USER="alice",
        JUPYTERHUB_SSL_CERTFILE=str(own_cert),
        JUPYTERHUB_SSL_KEYFILE=str(own_key),
        JUPYTERHUB_SSL_CLIENT_CA=str(authority.ca_file),
    )
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "carnet", "singleuser"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"https://127.0.0.1:{port}/user/alice/"
    proxy = _client(authority, proxy_cert, proxy_key)
    try:

        def ready() -> bool:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            try:
                return proxy.get(f"{base}api").status_code == 200
            except httpx.TransportError:
                return False

        wait_until(ready, 60, "the server over TLS")
        # The Hub saw this server's own certificate at its start-up check.
        assert "alice-server" in seen
        # A client with a certificate of the Hub's CA, and a token the Hub vouches for.
        auth = {"Authorization": f"token {USER_TOKEN}"}
        assert proxy.get(f"{base}api/contents", headers=auth).status_code == 200
        assert seen.count("alice-server") >= 2  # the token check, with the same certificate
        # The login's state cookie is Secure when the browser is on https, not when the
        # proxy in front says it is on plain HTTP (it would be dropped: no login).
        page = proxy.get(f"{base}tree")
        assert page.status_code == 302
        assert "; Secure" in page.headers["set-cookie"]
        page = proxy.get(f"{base}tree", headers={"X-Forwarded-Proto": "http"})
        assert page.status_code == 302
        assert "alice-oauth-state=" in page.headers["set-cookie"]
        assert "Secure" not in page.headers["set-cookie"]
        # Without a client certificate, or with one from another CA: no TLS session.
        (tmp_path / "other").mkdir()
        other_cert, other_key = Authority(tmp_path / "other", "other-ca").issue("intruder")
        for refused in (_client(authority), _client(authority, other_cert, other_key)):
            with refused, pytest.raises(httpx.TransportError):
                refused.get(f"{base}api")
        # The server says why it turned them away.
        output = tmp_path / "server.log"
        wait_until(
            lambda: (
                "failed: peer did not return a certificate" in output.read_text()
                and "failed: client certificate not trusted" in output.read_text()
            ),
            30,
            "the log lines about the refused clients",
        )
    finally:
        proxy.close()
        proc.terminate()
        proc.wait(30)
        log.close()
