"""Under a real Hub: the user's own config (and JUPYTERHUB_DISABLE_USER_CONFIG), the
default frame-ancestors policy, and one signal stopping the server and its kernels."""

from __future__ import annotations

import json
import os
import signal

import httpx
import pytest

from tests.hub import users
from tests.hub.hubproc import PROXY, Hub, wait_until
from tests.support.procs import descendants

pytestmark = [
    pytest.mark.skipif(not PROXY.exists(), reason="configurable-http-proxy: make install-test"),
    pytest.mark.timeout(300),
]

USER_CSP = "frame-ancestors 'self' https://lms.example"
# The Hub's 10 s between its stop signal and SIGKILL.
HUB_STOP_WINDOW = 10.0


@pytest.mark.parametrize(
    ("user", "stop_signal"),
    [("cfg-on", signal.SIGINT), ("cfg-off-user", signal.SIGTERM)],
    ids=["user-config-sigint", "no-user-config-sigterm"],
)
def test_user_config_csp_and_stop(hub: Hub, user: str, stop_signal: signal.Signals) -> None:
    # hubproc's pre-spawn hook: cfg-* keep their config in ~/.jupyter; cfg-off-* are
    # spawned with Spawner.disable_user_config.
    config_dir = hub.log.parent / "home" / user / ".jupyter"
    config_dir.mkdir(parents=True)
    headers = {"X-User-Config": "loaded", "Content-Security-Policy": USER_CSP}
    config = {"NotebookApp": {"headers": headers}}
    (config_dir / "jupyter_notebook_config.json").write_text(json.dumps(config))
    user_config = not user.startswith("cfg-off-")

    users.spawn(hub, user)
    base = f"{hub.url}user/{user}/"
    auth = {"Authorization": f"token {users.token(hub, user)}"}
    tree = httpx.get(f"{base}tree", headers=auth, timeout=30)
    assert tree.status_code == 200
    probe = httpx.get(f"{base}api", timeout=30)
    if user_config:
        assert tree.headers["x-user-config"] == "loaded"
        assert tree.headers["content-security-policy"] == USER_CSP
    else:
        assert "x-user-config" not in tree.headers
        # Not framed by anyone by default, as with jupyterhub-singleuser.
        assert "frame-ancestors 'none'" in tree.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in probe.headers["content-security-policy"]
        assert "frame-ancestors 'self'" not in tree.headers["content-security-policy"]

    # One signal, as the Hub sends when it stops a server: kernels and server gone in time.
    reply = httpx.post(f"{base}api/kernels", headers=auth, json={}, timeout=60)
    assert reply.status_code == 201
    pid = users.server_pid(hub, user)
    family = {pid, *descendants(pid)}
    assert len(family) > 1  # the kernel
    os.kill(pid, stop_signal)
    wait_until(
        lambda: not any(users.alive(p) for p in family),
        HUB_STOP_WINDOW,
        "the server and its kernel to exit",
    )


def test_cookie_options(hub: Hub) -> None:
    """The Hub's Spawner.cookie_options (hubproc's hook) shape the login cookie."""
    users.spawn(hub, "cookie-fan")
    browser = users.login(hub, "cookie-fan", "/hub/home")  # logged in at the Hub only
    try:
        tree = browser.get(f"{hub.url}user/cookie-fan/tree")
        assert tree.status_code == 200
        callback = [r for r in tree.history if r.url.path.endswith("/oauth_callback")]
        login = [
            c
            for c in callback[0].headers.get_list("set-cookie")
            if c.startswith("jupyterhub-user-cookie-fan=")
        ]
        assert "Path=/user/cookie-fan/; HttpOnly; SameSite=Strict; Max-Age=172800" in login[0]
    finally:
        browser.close()
    assert hub.api("DELETE", "users/cookie-fan/server").status_code in (202, 204)
    wait_until(lambda: not users.server(hub, "cookie-fan"), 30, "the server to stop")
