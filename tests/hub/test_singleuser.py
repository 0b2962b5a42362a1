"""`carnet singleuser` under a real JupyterHub (hubproc.py): spawn, OAuth, auth, stop."""

from __future__ import annotations

import time
from datetime import datetime
from types import SimpleNamespace

import httpx
import pytest

from tests.hub import users
from tests.hub.hubproc import PROXY, Hub, wait_until
from tests.server.kernels.wsclient import KernelSocket
from tests.support.procs import descendants

pytestmark = [
    pytest.mark.skipif(not PROXY.exists(), reason="configurable-http-proxy: make install-test"),
    pytest.mark.timeout(300),
]


def test_spawn_auth_and_stop(hub: Hub) -> None:
    server = users.spawn(hub, "alice")
    base = f"{hub.url}user/alice/"
    assert server["url"] == "/user/alice/"

    # The Hub's readiness probe and a user's first visit, unauthenticated.
    probe = httpx.get(f"{base}api", timeout=30)
    assert probe.status_code < 500
    assert probe.headers["x-jupyterhub-version"] == hub.api("GET", "").json()["version"]
    page = httpx.get(f"{base}tree", timeout=30)
    assert page.status_code == 302
    assert page.headers["location"].startswith("/hub/api/oauth2/authorize?")
    assert "client_id=jupyterhub-user-alice" in page.headers["location"]
    state = page.headers["set-cookie"]
    assert state.startswith("jupyterhub-user-alice-oauth-state=")
    assert "Path=/user/alice/; HttpOnly" in state
    api = httpx.get(f"{base}api/contents", timeout=30)
    assert api.status_code == 403
    assert "set-cookie" not in api.headers

    # A token of the user's own works; another user's does not.
    alice_token = users.token(hub, "alice")
    alice = {"Authorization": f"token {alice_token}"}
    assert httpx.get(f"{base}api/contents", headers=alice, timeout=30).status_code == 200
    # Not in a URL, where it would leak (JUPYTERHUB_ALLOW_TOKEN_IN_URL is off by default).
    in_url = httpx.get(f"{base}api/contents?token={alice_token}", timeout=30)
    assert in_url.status_code == 403
    assert hub.api("POST", "users/bob").status_code in (201, 409)
    bob = {"Authorization": f"bearer {users.token(hub, 'bob')}"}
    assert httpx.get(f"{base}api/contents", headers=bob, timeout=30).status_code == 403

    # A callback whose state is not the one this browser was given.
    forged = httpx.get(f"{base}oauth_callback?code=x&state=forged", timeout=30)
    assert forged.status_code == 403

    # Logging in through the Hub's form ends at the user's tree, with our cookie.
    browser = users.login(hub, "alice", "/user/alice/tree")
    try:
        tree = browser.get(f"{base}tree")
        assert tree.status_code == 200, tree.url
        assert str(tree.url) == f"{base}tree"
        assert browser.cookies.get("jupyterhub-user-alice", path="/user/alice/")
        kernel = httpx.post(f"{base}api/kernels", headers=alice, json={}, timeout=60).json()
        cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies.jar)
        target = SimpleNamespace(
            url=base, auth_headers={"Cookie": cookie, "Origin": hub.url.rstrip("/")}
        )
        with KernelSocket(target, kernel["id"]) as ws:
            results = [m for m in ws.execute("1+1") if m.msg_type == "execute_result"]
            assert results[0].content["data"]["text/plain"] == "2"
        assert browser.get(f"{base}api/contents").status_code == 200

        # Logging out clears our cookie and the Hub's login.
        assert browser.get(f"{base}logout").url.path.startswith("/hub/")
        assert not browser.cookies.get("jupyterhub-user-alice", path="/user/alice/")
        assert browser.get(f"{base}api/contents").status_code == 403

        # Logged-in bob is not alice.
        other = users.login(hub, "bob", "/hub/home")
        try:
            assert other.get(f"{base}api/contents").status_code == 403
            assert other.get(f"{base}tree").status_code == 403  # the Hub will not authorize
        finally:
            other.close()
    finally:
        browser.close()

    # Stopping the server leaves nothing behind.
    pid = users.server_pid(hub, "alice")
    family = {pid, *descendants(pid)}
    assert len(family) > 1  # the kernel
    assert hub.api("DELETE", "users/alice/server").status_code in (202, 204)
    wait_until(lambda: not users.server(hub, "alice"), 30, "the server to stop")
    wait_until(lambda: not any(users.alive(p) for p in family), 15, "its processes to exit")


def _last_activity(hub: Hub, user: str) -> float:
    stamp = users.server(hub, user).get("last_activity") or "1970-01-01T00:00:00Z"
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def test_kernel_messages_are_activity(hub: Hub) -> None:
    """A kernel busy over a websocket, with no HTTP request, keeps the server active."""
    users.spawn(hub, "carol")  # reporting every second (hubproc's JUPYTERHUB_ACTIVITY_INTERVAL)
    base = f"{hub.url}user/carol/"
    carol = {"Authorization": f"token {users.token(hub, 'carol')}"}
    kernel = httpx.post(f"{base}api/kernels", headers=carol, json={}, timeout=60).json()
    with KernelSocket(SimpleNamespace(url=base, auth_headers=carol), kernel["id"]) as ws:
        sent = time.time()
        # Silent for 3 s, then the kernel's idle status: the only thing that happens then.
        msg_id = ws.send("shell", "execute_request", {"code": "import time; time.sleep(3)"})
        ws.collect(msg_id, timeout=60)
        wait_until(lambda: _last_activity(hub, "carol") >= sent + 2.5, 30, "the idle report")
    assert hub.api("DELETE", "users/carol/server").status_code in (202, 204)
    wait_until(lambda: not users.server(hub, "carol"), 30, "the server to stop")
