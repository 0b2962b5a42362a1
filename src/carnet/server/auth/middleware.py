"""Token authentication as ASGI middleware, the Jupyter way.

A request is authenticated by an `Authorization: token <t>` header, a `?token=<t>`
parameter, or the login cookie. A page (not /api) fetched with a valid `?token=`
gets the cookie and a redirect to the same URL without the token, so the token
does not linger in the address bar, history or Referer. Unauthenticated requests
get 403, as jupyter_server answers them; websockets are refused before accepting.

The authenticated user goes to scope["user"] (Starlette's request.user) and how
it was proven to scope["auth"] ("header", "query", "cookie", "none" when auth is
disabled, "anonymous" on a public path without credentials), which a
cross-site request forgery check needs. Password login and host/origin checks are
separate middleware around this one.
"""

from __future__ import annotations

from carnet.server import asgi
from carnet.server.auth.credentials import Credentials

# Reachable without credentials: clients probe the API version before logging in.
PUBLIC_PATHS = frozenset({"/api"})


class TokenAuthMiddleware:
    """Rejects unauthenticated requests; records who the others are."""

    def __init__(self, app: asgi.ASGIApp, credentials: Credentials, base_url: str, secure: bool):
        self.app = app
        self.credentials = credentials
        self.base_url = base_url
        self.secure = secure
        self.public_paths = set(PUBLIC_PATHS)

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        method = self._authenticate(scope)
        relative = asgi.relative_path(scope, self.base_url)
        if method is None and relative not in self.public_paths:
            await self._refuse(scope, send)
            return
        if method is not None:
            scope["user"] = self.credentials.owner
        scope["auth"] = method or "anonymous"
        if method == "query" and self._is_page_view(scope, relative):
            await self._strip_token(scope, send)
            return
        await self.app(scope, receive, send)

    def _authenticate(self, scope: asgi.Scope) -> str | None:
        creds = self.credentials
        if not creds.enabled:
            return "none"
        scheme, _, value = asgi.header(scope, "authorization").partition(" ")
        if scheme.lower() == "token" and creds.token_matches(value.strip()):
            return "header"
        for name, value in asgi.query_params(scope):
            if name == "token" and creds.token_matches(value):
                return "query"
        if creds.cookie_matches(asgi.cookies(scope).get(creds.cookie_name, "")):
            return "cookie"
        return None

    @staticmethod
    def _is_page_view(scope: asgi.Scope, relative: str) -> bool:
        api = relative == "/api" or relative.startswith("/api/")
        return scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and not api

    def login_cookie_header(self) -> tuple[bytes, bytes]:
        attributes = f"Path={self.base_url}; HttpOnly; SameSite=Lax"
        if self.secure:
            attributes += "; Secure"
        value = f"{self.credentials.cookie_name}={self.credentials.cookie_value()}; {attributes}"
        return (b"set-cookie", value.encode("latin-1"))

    async def _strip_token(self, scope: asgi.Scope, send: asgi.Send) -> None:
        raw_path = scope.get("raw_path") or str(scope["path"]).encode()
        query = asgi.query_without(scope, "token")
        location = raw_path.decode("latin-1") + (f"?{query}" if query else "")
        # Browsers read //evil.example and /\evil.example as another host: keep it on ours.
        location = "/" + location.lstrip("/\\")
        await asgi.send_redirect(send, location, [self.login_cookie_header()])

    async def _refuse(self, scope: asgi.Scope, send: asgi.Send) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        body = {"message": "Forbidden", "reason": "authentication required"}
        await asgi.send_json(send, 403, body, [])
