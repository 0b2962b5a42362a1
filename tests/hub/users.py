"""Users of the test Hub (hubproc.py): spawning their servers, tokens, logging in."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import httpx

from tests.hub.hubproc import Hub, wait_until


def server(hub: Hub, user: str) -> dict[str, Any]:
    model = hub.api("GET", f"users/{user}").json()
    return dict(model.get("servers", {}).get("", {}))


def spawn(hub: Hub, user: str) -> dict[str, Any]:
    assert hub.api("POST", f"users/{user}").status_code in (201, 409)
    assert hub.api("POST", f"users/{user}/server").status_code in (201, 202, 400)
    return dict(
        wait_until(lambda: (s := server(hub, user)).get("ready") and s, 60, f"{user}'s server")
    )


def server_pid(hub: Hub, user: str) -> int:
    return int(hub.api("GET", f"users/{user}").json()["servers"][""]["state"]["pid"])


def token(hub: Hub, user: str) -> str:
    reply = hub.api("POST", f"users/{user}/tokens", json={"note": "test"})
    assert reply.status_code == 201, reply.text
    return str(reply.json()["token"])


def login(hub: Hub, user: str, path: str) -> httpx.Client:
    """A browser-like client logged in through the Hub's form, then sent to `path`."""
    browser = httpx.Client(base_url=hub.url, follow_redirects=True, timeout=30)
    form = browser.get("hub/login")
    xsrf = re.search(r'name="_xsrf"[^>]*value="([^"]+)"', form.text)
    data = {"username": user, "password": "any"}
    if xsrf:
        data["_xsrf"] = xsrf.group(1)
    browser.post(f"hub/login?next={path}", data=data)
    return browser


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "zombie" not in status.read_text()
