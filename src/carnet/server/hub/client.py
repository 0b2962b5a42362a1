"""Requests to the Hub's REST API: the standard library's HTTP client, in a thread.

Hub calls are few (one per new token, one per login, one per activity report), so a
thread each costs nothing and adds no dependency.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any

from carnet.server.http_reply import Reply

if TYPE_CHECKING:
    from carnet.server.hub.env import HubEnv

TIMEOUT_SECONDS = 20.0


class HubUnreachable(Exception):
    """No HTTP answer from the Hub (refused, reset, timed out)."""


def tls_context(env: HubEnv) -> ssl.SSLContext | None:
    """Under internal TLS: this server's certificate as a client certificate, and the
    Hub's CA (JUPYTERHUB_SSL_CLIENT_CA) to check the Hub with."""
    if not env.ssl_certfile and not env.ssl_client_ca:
        return None
    return _context(env.ssl_certfile, env.ssl_keyfile, env.ssl_client_ca)


@functools.lru_cache(maxsize=4)
def _context(certfile: str, keyfile: str, cafile: str) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=cafile or None)
    if certfile:
        context.load_cert_chain(certfile, keyfile or None)
    return context


def _request(
    method: str,
    url: str,
    token: str,
    body: bytes | None,
    content_type: str,
    timeout: float,
    context: ssl.SSLContext | None,
) -> Reply:
    headers = {"Authorization": f"token {token}", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as response:
            return Reply(response.status, response.read(), _lower(response.headers.items()))
    except urllib.error.HTTPError as exc:
        with exc:
            return Reply(exc.code, exc.read(), _lower(exc.headers.items()))
    except (OSError, ValueError) as exc:  # URLError is an OSError
        raise HubUnreachable(f"{method} {url}: {exc}") from None


def _lower(items: Any) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in items}


async def request(
    method: str,
    url: str,
    token: str,
    *,
    body: bytes | None = None,
    content_type: str = "application/json",
    timeout: float = TIMEOUT_SECONDS,
    env: HubEnv | None = None,
) -> Reply:
    """One request with `Authorization: token <token>`; HubUnreachable without an answer.

    `env`: the Hub's settings, for internal TLS."""
    context = tls_context(env) if env is not None else None
    return await asyncio.to_thread(
        _request, method, url, token, body, content_type, timeout, context
    )
