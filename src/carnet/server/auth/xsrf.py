"""Cross-site request forgery protection with Jupyter's `_xsrf` cookie.

Page loads (GET outside /api) set a `_xsrf` cookie readable by JavaScript (not
HttpOnly, as in Jupyter) and put its value in scope["xsrf_token"] for the page
to embed. Every state-changing request (POST, PUT, PATCH, DELETE) that is not
authenticated by a token in the Authorization header or the URL must repeat the
cookie's value in an `X-XSRFToken` (or `X-CSRFToken`) header, an `_xsrf` form
field or an `_xsrf` query parameter. Another site can make a browser send the
cookie but cannot read it, so it cannot repeat it.

The value is a random nonce and an HMAC of it under the server's secret, so a
cookie planted by a neighbouring site (cookie tossing) is not accepted either.
"""

from __future__ import annotations

import secrets
from urllib.parse import parse_qsl

from carnet.server import asgi, http_errors
from carnet.server.auth.credentials import Credentials

COOKIE = "_xsrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Proven by a secret no other site can know: no forgery possible.
_EXEMPT_AUTH = frozenset({"header", "query"})
_FORM_TYPE = "application/x-www-form-urlencoded"
# A login form is tiny; a larger urlencoded body is not searched for the field.
_MAX_FORM_BYTES = 64 * 1024


class XsrfMiddleware:
    """Issues the `_xsrf` cookie on page loads and checks it on state-changing requests."""

    def __init__(
        self,
        app: asgi.ASGIApp,
        credentials: Credentials,
        base_url: str,
        secure: bool,
        disabled: bool,
    ) -> None:
        self.app = app
        self.credentials = credentials
        self.base_url = base_url
        self.secure = secure
        self.disabled = disabled

    def new_token(self) -> str:
        nonce = secrets.token_hex(16)
        return f"{nonce}.{self.credentials.sign('xsrf', nonce)}"

    def is_valid(self, token: str) -> bool:
        nonce, _, mac = token.partition(".")
        return bool(nonce) and secrets.compare_digest(
            mac.encode(), self.credentials.sign("xsrf", nonce).encode()
        )

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = asgi.cookies(scope).get(COOKIE, "")
        method = scope["method"]
        if self._must_check(scope):
            submitted, receive = await self._submitted(scope, receive)
            if not (
                cookie
                and submitted
                and secrets.compare_digest(cookie.encode(), submitted.encode())
                and self.is_valid(cookie)
            ):
                reason = "missing" if not (cookie and submitted) else "wrong"
                message = (
                    f"XSRF token {reason}: send the _xsrf cookie's value in an X-XSRFToken header"
                )
                await http_errors.send_error(send, 403, message, "xsrf")
                return
        if cookie and self.is_valid(cookie):
            scope["xsrf_token"] = cookie
            await self.app(scope, receive, send)
            return
        if method not in ("GET", "HEAD") or self._is_api(scope):
            await self.app(scope, receive, send)
            return
        token = self.new_token()
        scope["xsrf_token"] = token
        await self.app(scope, receive, self._setting_cookie(scope, send, token))

    def _must_check(self, scope: asgi.Scope) -> bool:
        if self.disabled or scope["method"] in SAFE_METHODS:
            return False
        return scope.get("auth") not in _EXEMPT_AUTH

    def _is_api(self, scope: asgi.Scope) -> bool:
        relative = asgi.relative_path(scope, self.base_url)
        return relative == "/api" or relative.startswith("/api/")

    def _setting_cookie(self, scope: asgi.Scope, send: asgi.Send, token: str) -> asgi.Send:
        # Secure only when the browser is on https too (not behind a plain-HTTP proxy).
        secure = self.secure and asgi.over_https(scope)
        attributes = f"Path={self.base_url}; SameSite=Lax" + ("; Secure" if secure else "")
        header = (b"set-cookie", f"{COOKIE}={token}; {attributes}".encode("latin-1"))

        async def send_with_cookie(message: asgi.Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        return send_with_cookie

    async def _submitted(
        self, scope: asgi.Scope, receive: asgi.Receive
    ) -> tuple[str, asgi.Receive]:
        """The token the request repeats, and a receive that still yields the whole body."""
        for name in ("x-xsrftoken", "x-csrftoken"):
            value = asgi.header(scope, name)
            if value:
                return value, receive
        for name, value in asgi.query_params(scope):
            if name == COOKIE:
                return value, receive
        content_type = asgi.header(scope, "content-type").split(";")[0].strip().lower()
        if content_type != _FORM_TYPE:
            return "", receive
        body, more, replay = await _read_prefix(receive, _MAX_FORM_BYTES)
        if more:
            return "", replay
        fields = parse_qsl(body.decode("latin-1"), keep_blank_values=True)
        return next((v for k, v in fields if k == COOKIE), ""), replay


async def _read_prefix(receive: asgi.Receive, limit: int) -> tuple[bytes, bool, asgi.Receive]:
    """Read up to `limit` body bytes; (body, whether more follows, a replaying receive)."""
    chunks: list[asgi.Message] = []
    size = 0
    more = True
    while more and size <= limit:
        message = await receive()
        chunks.append(message)
        if message["type"] != "http.request":
            break
        size += len(message.get("body", b""))
        more = bool(message.get("more_body", False))
    pending = list(chunks)

    async def replay() -> asgi.Message:
        if pending:
            return pending.pop(0)
        return await receive()

    body = b"".join(m.get("body", b"") for m in chunks if m["type"] == "http.request")
    return body, more, replay
