"""Helpers for attacking the real server: password hashes, browser-like logins."""

from __future__ import annotations

import re

import httpx

from carnet.server.auth.passwords import legacy_hash
from tests.server.conftest import RunningServer

PASSWORD = "correct horse battery staple"
# Made like Jupyter's passwd(algorithm="sha1"): sha1(password + salt), hex.
SHA1_HASH = legacy_hash(PASSWORD, "sha1", "2c8f09e1a4b7")


def browser(server: RunningServer, **kwargs: object) -> httpx.Client:
    """A client holding cookies like a browser, with no token."""
    return server.client(authenticated=False, **kwargs)  # type: ignore[arg-type]


def xsrf_of(client: httpx.Client) -> str:
    """Load the login page (which issues the _xsrf cookie); the token it embeds."""
    page = client.get("login")
    found = re.search(r"name='_xsrf' value='([^']*)'", page.text)
    assert found, page.text
    assert client.cookies.get("_xsrf") == found.group(1)
    return found.group(1)


def login(client: httpx.Client, secret: str, next_url: str = "", **extra: str) -> httpx.Response:
    """Post the login form the way a browser does."""
    xsrf = xsrf_of(client)
    data = {"_xsrf": xsrf, "password": secret, "next": next_url, **extra}
    return client.post("login", data=data)
