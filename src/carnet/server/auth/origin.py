"""Host and Origin checks, and CORS, as ASGI middleware (before authentication).

* DNS rebinding: while listening on loopback only, a request whose Host header
  names another host is refused (403) unless `allow_remote_access` is set. A
  page on evil.example that rebinds its name to 127.0.0.1 sends
  `Host: evil.example`, so it never reaches the server's data.
* Origin: a browser names the page that made a request in the Origin header.
  Websockets (which browsers open cross-site without any preflight) and API
  or state-changing requests from an origin other than the server's own are
  refused unless `allow_origin` ('*' or the exact origin) or `allow_origin_pat`
  (a regular expression matched against the whole origin) allows it.
* CORS: an allowed foreign origin gets Access-Control-Allow-* headers, and its
  preflight requests (OPTIONS, sent without credentials) are answered here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from carnet.server import asgi, http_errors, logs
from carnet.server.auth.hosts import is_local_host

_METHODS = b"GET, POST, PUT, PATCH, DELETE, OPTIONS"
_DEFAULT_ALLOWED_HEADERS = b"Authorization, Content-Type, X-XSRFToken, X-Requested-With"
_PREFLIGHT_MAX_AGE = b"600"


@dataclass(frozen=True)
class OriginPolicy:
    """Which foreign origins may use the server, from allow_origin / allow_origin_pat."""

    allow_origin: str = ""
    allow_origin_pat: str = ""
    allow_credentials: bool = False

    def allows(self, origin: str) -> bool:
        if self.allow_origin:
            return self.allow_origin == "*" or origin == self.allow_origin
        if self.allow_origin_pat:
            return re.fullmatch(self.allow_origin_pat, origin) is not None
        return False

    def cors_headers(self, origin: str) -> list[tuple[bytes, bytes]]:
        value = self.allow_origin if self.allow_origin else origin
        headers = [(b"access-control-allow-origin", value.encode("latin-1"))]
        if value != "*":
            headers.append((b"vary", b"Origin"))
        if self.allow_credentials:
            headers.append((b"access-control-allow-credentials", b"true"))
        return headers


def same_origin(origin: str, host_header: str) -> bool:
    """Whether an Origin ("https://host:port") names the host the request was sent to."""
    _, sep, netloc = origin.partition("://")
    return bool(sep) and bool(host_header) and netloc.lower() == host_header.strip().lower()


class HostOriginMiddleware:
    """Refuses rebinding Host headers and foreign origins; answers CORS preflights."""

    def __init__(
        self,
        app: asgi.ASGIApp,
        policy: OriginPolicy,
        base_url: str,
        check_host: bool,
        local_hostnames: tuple[str, ...],
    ) -> None:
        self.app = app
        self.policy = policy
        self.base_url = base_url
        self.check_host = check_host
        self.local_hostnames = local_hostnames
        self.log = logs.server_log()

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = asgi.header(scope, "host")
        if self.check_host and not is_local_host(host, self.local_hostnames):
            self.log.warning("Blocking request with non-local 'Host' %r", host[:100])
            await _deny(scope, send, "non-local Host header (set allow_remote_access to allow)")
            return
        origin = asgi.header(scope, "origin")
        if not origin or same_origin(origin, host):
            await self.app(scope, receive, send)
            return
        allowed = self.policy.allows(origin)
        if scope["type"] == "websocket":
            if not allowed:
                self.log.warning("Blocking websocket from foreign origin %r", origin[:100])
                await _deny(scope, send, "cross-origin websocket not allowed")
                return
            await self.app(scope, receive, send)
            return
        if scope["method"] == "OPTIONS" and asgi.header(scope, "access-control-request-method"):
            await self._preflight(scope, send, origin, allowed)
            return
        if not allowed and self._guarded(scope):
            self.log.warning("Blocking cross-origin request from %r", origin[:100])
            await _deny(scope, send, "cross-origin request not allowed")
            return
        if not allowed:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _adding(send, self.policy.cors_headers(origin)))

    def _guarded(self, scope: asgi.Scope) -> bool:
        relative = asgi.relative_path(scope, self.base_url)
        api = relative == "/api" or relative.startswith("/api/")
        return api or scope["method"] not in ("GET", "HEAD")

    async def _preflight(
        self, scope: asgi.Scope, send: asgi.Send, origin: str, allowed: bool
    ) -> None:
        if not allowed:
            await http_errors.send_error(send, 403, "Forbidden", "origin not allowed")
            return
        requested = asgi.header(scope, "access-control-request-headers").encode("latin-1")
        headers = [
            *self.policy.cors_headers(origin),
            (b"access-control-allow-methods", _METHODS),
            (b"access-control-allow-headers", requested or _DEFAULT_ALLOWED_HEADERS),
            (b"access-control-max-age", _PREFLIGHT_MAX_AGE),
            (b"content-length", b"0"),
        ]
        await send({"type": "http.response.start", "status": 204, "headers": headers})
        await send({"type": "http.response.body", "body": b""})


def _adding(send: asgi.Send, extra: list[tuple[bytes, bytes]]) -> asgi.Send:
    async def send_with_headers(message: asgi.Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [*message.get("headers", []), *extra]
        await send(message)

    return send_with_headers


async def _deny(scope: asgi.Scope, send: asgi.Send, reason: str) -> None:
    if scope["type"] == "websocket":
        if "websocket.http.response" in scope.get("extensions", {}):
            payload = http_errors.error_body("Forbidden", reason)
            headers = [(b"content-type", b"application/json")]
            start = {"type": "websocket.http.response.start", "status": 403, "headers": headers}
            await send(start)
            await send({"type": "websocket.http.response.body", "body": payload})
        else:
            await send({"type": "websocket.close", "code": 1008})
        return
    await http_errors.send_error(send, 403, "Forbidden", reason)
