"""Cross-site request forgery: a cookie alone never changes anything."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.server.conftest import RunningServer, StartServer
from tests.server.security.conftest import browser, login


@contextmanager
def _logged_in(server: RunningServer) -> Iterator[httpx.Client]:
    with browser(server) as client:
        assert login(client, server.token).status_code == 302
        yield client


def _altered(token: str) -> str:
    return token[:-1] + ("1" if token.endswith("0") else "0")


def test_cookie_authenticated_writes_need_the_xsrf_token(server: RunningServer) -> None:
    with _logged_in(server) as client:
        xsrf = client.cookies["_xsrf"]
        body = {"type": "directory"}
        missing = client.post("api/contents", json=body)
        assert missing.status_code == 403
        assert missing.json()["reason"] == "xsrf"
        wrong = client.post("api/contents", json=body, headers={"X-XSRFToken": _altered(xsrf)})
        assert wrong.status_code == 403
        for method in ("PUT", "PATCH", "DELETE"):
            assert client.request(method, "api/contents/x").status_code == 403, method
        assert not any(server.root_dir.iterdir())
        ok = client.post("api/contents", json=body, headers={"X-XSRFToken": xsrf})
        assert ok.status_code == 201
        also_ok = client.post("api/contents", params={"_xsrf": xsrf}, json=body)
        assert also_ok.status_code == 201


def test_a_planted_cookie_is_not_a_valid_token(server: RunningServer) -> None:
    # Cookie tossing: a neighbouring site sets _xsrf itself and repeats it in the header.
    with _logged_in(server) as client:
        client.cookies.set("_xsrf", "attacker-chosen.value", domain="127.0.0.1")
        response = client.post(
            "api/contents",
            json={"type": "directory"},
            headers={"X-XSRFToken": "attacker-chosen.value"},
        )
        assert response.status_code == 403
    assert not any(server.root_dir.iterdir())


def test_token_authenticated_requests_are_exempt(server: RunningServer) -> None:
    with server.client() as client:
        assert client.post("api/contents", json={"type": "directory"}).status_code == 201
    with server.client(authenticated=False) as client:
        response = client.post(
            "api/contents", params={"token": server.token}, json={"type": "directory"}
        )
        assert response.status_code == 201


def test_pages_issue_a_script_readable_xsrf_cookie(server: RunningServer) -> None:
    with _logged_in(server) as client:
        page = client.get("tree")
        assert client.cookies.get("_xsrf")
    with browser(server) as client:
        first = client.get("login")
        cookie = first.headers["set-cookie"]
        assert cookie.startswith("_xsrf=")
        assert "SameSite=Lax" in cookie and "HttpOnly" not in cookie
        assert client.get("login").headers.get("set-cookie") is None  # kept, not renewed
    assert page.status_code in (200, 503)  # 503 when the frontend is not built


def test_disable_check_xsrf(start_server: StartServer) -> None:
    server = start_server("--NotebookApp.disable_check_xsrf=True")
    with _logged_in(server) as client:
        assert client.post("api/contents", json={"type": "directory"}).status_code == 201


def test_without_authentication_writes_still_need_the_token(start_server: StartServer) -> None:
    server = start_server(token="")
    with browser(server) as client:
        assert client.post("api/contents", json={"type": "directory"}).status_code == 403
        client.get("tree")  # any page load issues the cookie
        xsrf = client.cookies["_xsrf"]
        response = client.post(
            "api/contents", json={"type": "directory"}, headers={"X-XSRFToken": xsrf}
        )
        assert response.status_code == 201
        assert client.get("api/me").json()["auth"]["enabled"] is False
