"""Origin and Host checks: cross-site websockets, CORS, DNS rebinding."""

from __future__ import annotations

import socket

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.server.conftest import RunningServer, StartServer


def _kernel(server: RunningServer) -> str:
    with server.client() as client:
        kernel_id: str = client.post("api/kernels", json={"name": "python3"}).json()["id"]
    return kernel_id


def _channels(server: RunningServer, kernel_id: str) -> str:
    return server.url.replace("http", "ws", 1) + f"api/kernels/{kernel_id}/channels"


def test_websocket_from_a_foreign_origin_is_refused(server: RunningServer) -> None:
    url = _channels(server, _kernel(server))
    for origin in ("http://evil.example", "null", f"http://127.0.0.1:{server.port}.evil.example"):
        headers = {**server.auth_headers, "Origin": origin}
        with pytest.raises(InvalidStatus) as refused:
            connect(url, additional_headers=headers, open_timeout=5).__enter__()
        assert refused.value.response.status_code == 403, origin
    same = {**server.auth_headers, "Origin": f"http://127.0.0.1:{server.port}"}
    with connect(url, additional_headers=same, open_timeout=10):
        pass
    assert "Blocking websocket from foreign origin 'http://evil.example'" in server.output()


def test_api_requests_from_a_foreign_origin_are_refused(server: RunningServer) -> None:
    with server.client() as client:
        response = client.get("api/contents", headers={"Origin": "http://evil.example"})
        assert response.status_code == 403
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options(
            "api/contents",
            headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "PUT"},
        )
        assert preflight.status_code == 403
        assert "access-control-allow-origin" not in preflight.headers


def test_allow_origin_exact(start_server: StartServer) -> None:
    server = start_server(
        "--NotebookApp.allow_origin=https://app.example", "--NotebookApp.allow_credentials=True"
    )
    with server.client() as client:
        preflight = client.options(
            "api/contents",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "PUT",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 204
        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
        assert "PUT" in preflight.headers["access-control-allow-methods"]
        assert preflight.headers["access-control-allow-credentials"] == "true"
        got = client.get("api/contents", headers={"Origin": "https://app.example"})
        assert got.status_code == 200
        assert got.headers["access-control-allow-origin"] == "https://app.example"
        for near_miss in ("https://app.example.evil", "http://app.example", "https://xapp.example"):
            assert client.get("api/contents", headers={"Origin": near_miss}).status_code == 403
    url = _channels(server, _kernel(server))
    headers = {**server.auth_headers, "Origin": "https://app.example"}
    with connect(url, additional_headers=headers, open_timeout=10):
        pass


def test_allow_origin_pat_is_anchored(start_server: StartServer) -> None:
    server = start_server(r"--NotebookApp.allow_origin_pat=https://[a-z]+\.example\.org")
    with server.client() as client:
        ok = client.get("api/contents", headers={"Origin": "https://lab.example.org"})
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "https://lab.example.org"
        for evil in (
            "https://lab.example.org.evil.example",
            "https://evil.example/https://lab.example.org",
            "xhttps://lab.example.org",
        ):
            assert client.get("api/contents", headers={"Origin": evil}).status_code == 403, evil


def test_allow_origin_star(start_server: StartServer) -> None:
    server = start_server("--NotebookApp.allow_origin=*")
    with server.client() as client:
        got = client.get("api/contents", headers={"Origin": "https://anyone.example"})
        assert got.headers["access-control-allow-origin"] == "*"


def test_rebinding_host_header_is_refused(start_server: StartServer) -> None:
    server = start_server("--NotebookApp.local_hostnames=['localhost', 'box.internal']")
    base = f"http://127.0.0.1:{server.port}/api/status"
    for host in ("evil.example", "evil.example:80", "127.0.0.1.evil.example", "localhost.evil"):
        response = httpx.get(base, headers={**server.auth_headers, "Host": host}, timeout=5)
        assert response.status_code == 403, host
        assert "token" not in response.text
    for host in (
        f"localhost:{server.port}",
        f"127.0.0.1:{server.port}",
        "127.0.0.2",
        "[::1]:1",
        "box.internal",
    ):
        response = httpx.get(base, headers={**server.auth_headers, "Host": host}, timeout=5)
        assert response.status_code == 200, host
    assert "Blocking request with non-local 'Host' 'evil.example'" in server.output()
    # The rebound name resolves to the server: connect there, but say evil.example.
    path = _channels(server, _kernel(server)).split(str(server.port), 1)[1]
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    with pytest.raises(InvalidStatus):
        connect(
            f"ws://evil.example:{server.port}{path}",
            sock=sock,
            additional_headers=server.auth_headers,
            open_timeout=5,
        ).__enter__()
    sock.close()


def test_allow_remote_access_accepts_any_host(start_server: StartServer) -> None:
    server = start_server("--NotebookApp.allow_remote_access=True")
    response = httpx.get(
        f"http://127.0.0.1:{server.port}/api/status",
        headers={**server.auth_headers, "Host": "notebooks.example.com"},
        timeout=5,
    )
    assert response.status_code == 200
