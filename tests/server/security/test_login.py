"""The login page, attacked: wrong secrets, open redirects, brute force, stale cookies."""

from __future__ import annotations

import httpx
import pytest
from jupyter_server.auth.security import passwd

from carnet.server.auth import throttle
from carnet.server.auth.passwords import hash_password, legacy_hash
from tests.server.conftest import RunningServer, StartServer
from tests.server.security.conftest import PASSWORD, SHA1_HASH, browser, login, xsrf_of
from tests.support.waiting import wait_until


@pytest.fixture
def password_server(start_server: StartServer) -> RunningServer:
    """A server with only a password, no token (sha1: quick to check; argon2 is tested below)."""
    return start_server(f"--NotebookApp.password={SHA1_HASH}", token="")


def test_pages_redirect_to_login_and_api_refuses(password_server: RunningServer) -> None:
    with browser(password_server) as client:
        page = client.get("tree/sub", params={"a": "1"})
        assert page.status_code == 302
        assert page.headers["location"] == "/login?next=%2Ftree%2Fsub%3Fa%3D1"
        api = client.get("api/contents")
        assert api.status_code == 403
        assert api.json()["reason"] == "authentication required"
        form = client.get("login")
        assert form.status_code == 200
        assert "Password or token" in form.text
        assert "<script" not in form.text  # plain HTML, works under the strictest CSP


def test_argon2_password_login_sets_a_safe_cookie_and_follows_next(
    start_server: StartServer,
) -> None:
    password_server = start_server(f"--NotebookApp.password={hash_password(PASSWORD)}", token="")
    with browser(password_server) as client:
        response = login(client, PASSWORD, next_url="/tree/sub?x=1")
        assert response.status_code == 302
        assert response.headers["location"] == "/tree/sub?x=1"
        cookie = response.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Secure" not in cookie  # plain HTTP here; tests/server/security/test_tls.py
        assert PASSWORD not in cookie
        me = client.get("api/me").json()
        assert me["identity"]["username"]
        assert me["auth"] == {"enabled": True, "read_only": False}
        out = client.get("logout")
        assert out.status_code == 200
        assert "Max-Age=0" in out.headers["set-cookie"]
        assert client.get("api/me").status_code == 403
    assert PASSWORD not in password_server.output()


def test_wrong_passwords_and_tokens_are_refused(password_server: RunningServer) -> None:
    # Three tries: the throttle's free allowance (test_brute_force_is_slowed goes beyond).
    for wrong in ("", PASSWORD.upper(), SHA1_HASH):
        with browser(password_server) as client:
            response = login(client, wrong)
            assert response.status_code == 401, wrong
            assert "Invalid password or token" in response.text
            assert "carnet-login" not in response.headers.get("set-cookie", "")
            assert client.get("api/me").status_code == 403


EVIL_NEXT = [
    "//evil.example/",
    "https://evil.example/",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "%2F%5Cevil.example",
    "/%5Cevil.example",
    "%252F%252Fevil.example",
    "https%3A%2F%2Fevil.example",
    "javascript:alert(1)",
    "/login/../..//evil.example",
]


def test_next_never_leaves_the_server(start_server: StartServer) -> None:
    server = start_server(f"--NotebookApp.password={SHA1_HASH}", token="")
    for evil in EVIL_NEXT:
        with browser(server) as client:
            response = login(client, PASSWORD, next_url=evil)
            assert response.status_code == 302
            assert response.headers["location"] == "/tree", evil
            # Already logged in: GET /login?next=... redirects too, just as safely.
            again = client.get("login", params={"next": evil})
            assert again.headers["location"] == "/tree", evil
        with browser(server) as client:
            # Jupyter's form posts to /login?next=... instead of sending a field.
            data = {"_xsrf": xsrf_of(client), "password": PASSWORD}
            response = client.post("login", params={"next": evil}, data=data)
            assert response.headers["location"] == "/tree", evil
    with browser(server) as client:
        data = {"_xsrf": xsrf_of(client), "password": PASSWORD}
        response = client.post("login", params={"next": "/tree/a b"}, data=data)
        assert response.headers["location"] == "/tree/a%20b"


def test_token_works_on_the_login_page(server: RunningServer) -> None:
    with browser(server) as client:
        assert client.get("tree").headers["location"] == "/login?next=%2Ftree"
        assert "Token" in client.get("login").text
        response = login(client, server.token, next_url="/tree")
        assert response.status_code == 302
        assert client.get("api/status").status_code == 200


def test_login_form_needs_the_xsrf_field(password_server: RunningServer) -> None:
    with browser(password_server) as client:
        xsrf_of(client)
        refused = client.post("login", data={"password": PASSWORD})
        assert refused.status_code == 403
        assert refused.json()["reason"] == "xsrf"
        assert client.get("api/me").status_code == 403


def test_brute_force_is_slowed(password_server: RunningServer) -> None:
    with browser(password_server) as client:
        for attempt in range(throttle.FREE_FAILURES):
            assert login(client, f"guess-{attempt}").status_code == 401
        assert login(client, "one more guess").status_code == 401  # earns a lock-out
        locked = login(client, PASSWORD)  # even the right password waits
        assert locked.status_code == 429
        assert int(locked.headers["retry-after"]) >= 1
        assert client.get("api/me").status_code == 403

        # Attempts are refused unchecked until the lock-out ends: retried until then.
        def after_lock_out() -> httpx.Response | None:
            response = login(client, PASSWORD)
            return None if response.status_code == 429 else response

        answered = wait_until(after_lock_out, throttle.BASE_DELAY + 20, "the lock-out to end")
        assert answered.status_code == 302
    assert "Failed login from 127.0.0.1 (locked out for 1 s)" in password_server.output()


def test_legacy_and_jupyter_made_hashes_are_accepted(start_server: StartServer) -> None:
    hashes = [
        SHA1_HASH,
        legacy_hash(PASSWORD, "sha256"),
        passwd(PASSWORD, "sha1"),  # jupyter_server's own hashes
        passwd(PASSWORD, "argon2"),
    ]
    for stored in hashes:
        server = start_server(f"--NotebookApp.password={stored}", token="")
        with browser(server) as client:
            assert login(client, "not it").status_code == 401, stored
            assert login(client, PASSWORD).status_code == 302, stored
        server.stop()


def test_the_documented_sha1_hash_is_understood(start_server: StartServer) -> None:
    # Jupyter's docs show this hash without its password: it must load and refuse guesses.
    documented = "sha1:67c9e60bb8b6:9ffede0825894254b2e042ea597d771089e11aed"
    server = start_server(f"--NotebookApp.password={documented}", token="")
    with browser(server) as client:
        assert login(client, "password").status_code == 401


def test_a_malformed_hash_is_a_one_line_error(start_server: StartServer) -> None:
    server = start_server("--NotebookApp.password=hunter2", wait=False)
    assert server.process.wait(20) == 2
    output = server.output()
    assert "NotebookApp.password: not a password hash" in output
    assert "Traceback" not in output


def test_new_password_from_the_login_page_invalidates_cookies(server: RunningServer) -> None:
    with browser(server) as old, browser(server) as attacker:
        assert login(old, server.token).status_code == 302
        assert old.get("api/status").status_code == 200
        changed = login(attacker, server.token, new_password="n3w-passw0rd")
        assert changed.status_code == 302
        assert old.get("api/status").status_code == 403  # the old cookie died
        assert attacker.get("api/status").status_code == 200
    with browser(server) as fresh:
        assert login(fresh, "n3w-passw0rd").status_code == 302
    stored = (server.dirs.config / "jupyter_notebook_config.json").read_text()
    assert '"password": "argon2:$argon2' in stored
    assert (server.dirs.config / "jupyter_notebook_config.json").stat().st_mode & 0o777 == 0o600


def test_restart_with_a_new_password_invalidates_cookies(start_server: StartServer) -> None:
    first = start_server(f"--NotebookApp.password={SHA1_HASH}", token="")
    with browser(first) as client:
        login(client, PASSWORD)
        cookies = dict(client.cookies)
    port = first.port
    first.stop()
    second = start_server(
        f"--port={port}", f"--NotebookApp.password={legacy_hash('other', 'sha1')}", token=""
    )
    with browser(second) as client:
        client.cookies.update(cookies)
        assert client.get("api/status").status_code == 403
