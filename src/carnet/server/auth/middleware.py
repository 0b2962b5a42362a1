"""Authentication as ASGI middleware, the Jupyter way.

A request is authenticated by an `Authorization: token <t>` header, a `?token=<t>`
parameter, or the login cookie (set by /login or by a page opened with `?token=`).
A page (not /api) fetched with a valid `?token=` gets the cookie and a redirect to
the same URL without the token, so the token does not linger in the address bar,
history or Referer. Unauthenticated page views are redirected to the login page;
other unauthenticated requests get 403 JSON, as jupyter_server answers them;
websockets are refused before accepting.

The authenticated user goes to scope["user"] (Starlette's request.user) and how
it was proven to scope["auth"] ("header", "query", "cookie", "none" when auth is
disabled, "anonymous" on a public path without credentials), which the
cross-site request forgery check needs.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import quote

from carnet.server import asgi, http_errors
from carnet.server.auth.credentials import Credentials
from carnet.server.auth.identity import User

# Reachable without credentials: clients probe the API version before logging in.
PUBLIC_PATHS = frozenset({"/api", "/login", "/logout"})


class IdentityProvider(Protocol):
    """Another way to know who a request is (JupyterHub's, in carnet.server.hub)."""

    public_paths: frozenset[str]

    async def authenticate(self, scope: asgi.Scope) -> tuple[User | None, str]: ...

    async def refuse(
        self, scope: asgi.Scope, send: asgi.Send, relative: str, method: str
    ) -> None: ...


class TokenAuthMiddleware:
    """Rejects unauthenticated requests; records who the others are.

    With a provider, the provider decides who a request is and how a refusal looks;
    what happens around that (public paths, scope["user"] and scope["auth"]) is the same.
    """

    def __init__(
        self,
        app: asgi.ASGIApp,
        credentials: Credentials,
        base_url: str,
        secure: bool,
        provider: IdentityProvider | None = None,
    ):
        self.app = app
        self.credentials = credentials
        self.base_url = base_url
        self.secure = secure
        self.provider = provider
        self.public_paths = set(provider.public_paths if provider else PUBLIC_PATHS)

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if self.provider is not None:
            user, method = await self.provider.authenticate(scope)
        else:
            user, method = self._authenticate(scope)
        relative = asgi.relative_path(scope, self.base_url)
        if user is None and relative not in self.public_paths:
            if self.provider is not None:
                await self.provider.refuse(scope, send, relative, method)
            else:
                await self._refuse(scope, send, relative)
            return
        if user is not None:
            scope["user"] = user
        scope["auth"] = method
        # The provider's own cookie is not the credentials' login cookie: no swap for it.
        swap = method == "query" and self.provider is None and self._is_page_view(scope, relative)
        if swap and user is not None:
            await self._strip_token(scope, send, user)
            return
        await self.app(scope, receive, send)

    def _authenticate(self, scope: asgi.Scope) -> tuple[User | None, str]:
        creds = self.credentials
        if not creds.enabled:
            return creds.owner, "none"
        scheme, _, value = asgi.header(scope, "authorization").partition(" ")
        if scheme.lower() == "token":
            user = creds.user_for_token(value.strip())
            if user is not None:
                return user, "header"
        for name, value in asgi.query_params(scope):
            if name == "token":
                user = creds.user_for_token(value)
                if user is not None:
                    return user, "query"
        user = creds.user_for_cookie(asgi.cookies(scope).get(creds.cookie_name, ""))
        if user is not None:
            return user, "cookie"
        return None, "anonymous"

    @staticmethod
    def _is_page_view(scope: asgi.Scope, relative: str) -> bool:
        api = relative == "/api" or relative.startswith("/api/")
        return scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and not api

    def login_cookie_header(self, user: User) -> tuple[bytes, bytes]:
        return login_cookie(self.credentials, user, self.base_url, self.secure)

    async def _strip_token(self, scope: asgi.Scope, send: asgi.Send, user: User) -> None:
        raw_path = scope.get("raw_path") or str(scope["path"]).encode()
        query = asgi.query_without(scope, "token")
        location = raw_path.decode("latin-1") + (f"?{query}" if query else "")
        # Browsers read //evil.example and /\evil.example as another host: keep it on ours.
        location = "/" + location.lstrip("/\\")
        await asgi.send_redirect(send, location, [self.login_cookie_header(user)])

    async def _refuse(self, scope: asgi.Scope, send: asgi.Send, relative: str) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        if self._is_page_view(scope, relative) and relative:
            raw_path = scope.get("raw_path") or str(scope["path"]).encode()
            target = raw_path.decode("latin-1")
            if scope.get("query_string"):
                target += "?" + asgi.query_without(scope, "token")
            location = f"{self.base_url}login?next={quote(target, safe='')}"
            await asgi.send_redirect(send, location, [])
            return
        await http_errors.send_error(send, 403, "Forbidden", "authentication required")


def login_cookie(
    credentials: Credentials, user: User, base_url: str, secure: bool
) -> tuple[bytes, bytes]:
    """The Set-Cookie header that logs a user in: HttpOnly, SameSite=Lax, Secure under TLS."""
    attributes = f"Path={base_url}; HttpOnly; SameSite=Lax"
    if secure:
        attributes += "; Secure"
    value = f"{credentials.cookie_name}={credentials.cookie_value(user)}; {attributes}"
    return (b"set-cookie", value.encode("latin-1"))


def logout_cookie(credentials: Credentials, base_url: str, secure: bool) -> tuple[bytes, bytes]:
    """The Set-Cookie header that removes the login cookie."""
    attributes = f"Path={base_url}; HttpOnly; SameSite=Lax; Max-Age=0"
    if secure:
        attributes += "; Secure"
    return (b"set-cookie", f"{credentials.cookie_name}=; {attributes}".encode("latin-1"))
