"""Small ASGI helpers shared by the middleware (stdlib only: middleware loads early)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def header(scope: Scope, name: str) -> str:
    """A request header's value ('' when absent); the first one when repeated."""
    wanted = name.lower().encode("latin-1")
    for key, value in scope.get("headers", []):
        if key.lower() == wanted:
            return str(value.decode("latin-1"))
    return ""


def cookies(scope: Scope) -> dict[str, str]:
    """The request's cookies, parsed leniently (a malformed pair is skipped, not fatal)."""
    found: dict[str, str] = {}
    for pair in header(scope, "cookie").split(";"):
        name, sep, value = pair.strip().partition("=")
        if sep and name:
            found.setdefault(name, value.strip().strip('"'))
    return found


def query_params(scope: Scope) -> list[tuple[str, str]]:
    raw = scope.get("query_string", b"").decode("latin-1")
    return parse_qsl(raw, keep_blank_values=True)


def query_without(scope: Scope, name: str) -> str:
    """The query string with every `name` parameter removed."""
    return urlencode([(k, v) for k, v in query_params(scope) if k != name])


def relative_path(scope: Scope, base_url: str) -> str:
    """The request path relative to base_url ('/api/status'), or '' when outside it."""
    path = str(scope.get("path", ""))
    if base_url == "/":
        return path
    if path == base_url.rstrip("/"):
        return "/"
    return "/" + path[len(base_url) :] if path.startswith(base_url) else ""


def over_https(scope: Scope) -> bool:
    """Whether the client reached us over TLS: the scheme uvicorn set from the
    connection, or from X-Forwarded-Proto when proxy headers are trusted."""
    return scope.get("scheme") in ("https", "wss")


async def send_redirect(send: Send, location: str, extra: list[Any]) -> None:
    headers = [(b"location", location.encode("latin-1")), (b"content-length", b"0"), *extra]
    await send({"type": "http.response.start", "status": 302, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
