"""Token authentication against the real server, written as an attacker would try it."""

from __future__ import annotations

import httpx

from tests.server.conftest import RunningServer, StartServer


def test_header_token_is_accepted(server: RunningServer) -> None:
    with server.client() as client:
        assert client.get("api/status").status_code == 200


def test_missing_or_wrong_credentials_are_refused(server: RunningServer) -> None:
    with server.client(authenticated=False) as client:
        wrong = [
            {},
            {"Authorization": "token nope"},
            {"Authorization": f"token {server.token}x"},
            {"Authorization": f"Bearer {server.token}"},
            {"Authorization": "token"},
            {"Cookie": f"carnet-login-{server.port}=forged"},
            {"Cookie": f"carnet-login-{server.port}={server.token}"},
        ]
        for headers in wrong:
            for path in ("api/status", "api/me", "api/spec.yaml", "api/contents"):
                response = client.get(path, headers=headers)
                assert response.status_code == 403, (path, headers)
                assert response.json()["message"] == "Forbidden"
            page = client.get("tree", headers=headers)
            assert page.status_code == 302
            assert page.headers["location"] == "/login?next=%2Ftree"
        assert client.get("api/status", params={"token": "nope"}).status_code == 403
        assert client.post("api/contents", json={"type": "directory"}).status_code == 403
        assert not any(server.root_dir.iterdir())


def test_api_version_needs_no_credentials(server: RunningServer) -> None:
    with server.client(authenticated=False) as client:
        response = client.get("api")
        assert response.status_code == 200
        assert response.json()["version"]


def test_query_token_on_a_page_sets_cookie_and_redirects_without_it(
    server: RunningServer,
) -> None:
    with server.client(authenticated=False) as client:
        response = client.get(f"tree/sub%20dir?a=1&token={server.token}&b=2")
        assert response.status_code == 302
        location = response.headers["location"]
        assert server.token not in location
        assert location == "/tree/sub%20dir?a=1&b=2"
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie
        assert "SameSite=Lax" in cookie
        assert server.token not in cookie
        # The client now holds the login cookie: the API accepts it.
        assert client.get("api/status").status_code == 200
        assert client.get("api/me").json()["identity"]["username"]


def test_query_token_on_the_api_authenticates_without_redirect(server: RunningServer) -> None:
    with server.client(authenticated=False) as client:
        response = client.get("api/status", params={"token": server.token})
        assert response.status_code == 200
        assert "set-cookie" not in response.headers


def test_logs_never_contain_the_token_after_start(server: RunningServer) -> None:
    at_start = server.output().count(server.token)
    assert at_start == 1  # the URL printed once at start
    with server.client(authenticated=False) as client:
        client.get("tree", params={"token": server.token})
        client.get("api/status", params={"token": server.token, "x": "1"})
        client.get("nowhere", params={"token": server.token})
        client.get("api/status", headers={"Authorization": f"token {server.token}"})
        client.get("api/status", params={"token": "wrong-" + server.token})
    assert server.stop() == 0
    output = server.output()
    assert output.count(server.token) == at_start
    assert "token=[secret]" in output


def test_empty_token_disables_auth_with_a_warning(start_server: StartServer) -> None:
    server = start_server(token="")
    with server.client(authenticated=False) as client:
        assert client.get("api/status").status_code == 200
    assert "authentication is disabled" in server.output()


def test_token_redirect_never_leaves_the_server(server: RunningServer) -> None:
    for raw in ("//evil.example/x", "/\\evil.example/x", "/\\/evil.example", "///evil.example"):
        request = httpx.Request("GET", f"http://127.0.0.1:{server.port}{raw}?token={server.token}")
        with httpx.Client(timeout=10) as client:
            response = client.send(request)
        assert response.status_code == 302, raw
        location = response.headers["location"]
        assert location.startswith("/"), location
        assert location[1:2] not in ("/", "\\"), location
        assert server.token not in location
