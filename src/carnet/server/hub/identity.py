"""Who a request is under JupyterHub: tokens and the login cookie, checked with the Hub.

Plugged into TokenAuthMiddleware as its identity provider. A token comes from an
`Authorization: token|bearer` header, from `?token=` on a websocket (browsers cannot
set headers there; elsewhere only with JUPYTERHUB_ALLOW_TOKEN_IN_URL), or from the
login cookie the OAuth callback set (named after the client id, signed with the
server's secret, holding the Hub's access token). The Hub says whose token it is
(`GET {API_URL}/user`, with the token itself) and with which scopes; the answer is
cached for a while so that a page's many requests cost one Hub call.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from carnet.server import asgi, http_errors
from carnet.server.auth.credentials import Credentials
from carnet.server.auth.identity import User
from carnet.server.hub import client, oauth
from carnet.server.hub.env import HubEnv

log = oauth.log

CACHE_SECONDS = 300.0
CACHE_MAX = 1000
COOKIE_PURPOSE = "hub-login"


class HubIdentity:
    """The identity provider of `carnet singleuser`."""

    # /api answers the Hub's readiness probe; the OAuth routes run before any login.
    public_paths = frozenset({"/api", "/oauth_callback", "/login", "/logout"})

    def __init__(self, env: HubEnv, credentials: Credentials, secure: bool) -> None:
        self.env = env
        self.credentials = credentials
        self.secure = secure
        self._cache: dict[str, tuple[float, User | None]] = {}
        # state -> (expiry, PKCE verifier) of the logins in progress (oauth.py).
        self.verifiers: dict[str, tuple[float, str]] = {}

    async def authenticate(self, scope: asgi.Scope) -> tuple[User | None, str]:
        """(the user, how they proved it); (None, "anonymous") or (None, "forbidden")."""
        scheme, _, value = asgi.header(scope, "authorization").partition(" ")
        found: list[tuple[str, str]] = []
        if scheme.lower() in ("token", "bearer") and value.strip():
            found.append((value.strip(), "header"))
        if scope["type"] == "websocket" or self.env.allow_token_in_url:
            found += [(v, "query") for k, v in asgi.query_params(scope) if k == "token" and v]
        cookie = self.token_from_cookie(asgi.cookies(scope).get(self.env.cookie_name, ""))
        if cookie:
            found.append((cookie, "cookie"))
        for token, method in found:
            user = await self.user_for_token(token)
            if user is not None:
                return user, method
        return None, "forbidden" if found else "anonymous"

    async def user_for_token(self, token: str) -> User | None:
        """The user a Hub token stands for when it may use this server, else None."""
        key = hashlib.sha256(token.encode()).hexdigest()
        now = time.monotonic()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        user = await self._ask_hub(token)
        if len(self._cache) >= CACHE_MAX:
            self._cache = {k: v for k, v in self._cache.items() if v[0] > now}
            if len(self._cache) >= CACHE_MAX:
                self._cache.clear()
        self._cache[key] = (now + CACHE_SECONDS, user)
        return user

    async def _ask_hub(self, token: str) -> User | None:
        try:
            reply = await client.request("GET", f"{self.env.api_url}user", token, env=self.env)
        except client.HubUnreachable as exc:
            log.error("Cannot check a token with the Hub: %s", exc)
            return None
        if reply.status != 200:
            if reply.status not in (401, 403, 404):
                log.error("The Hub answered %d to a token check", reply.status)
            return None
        model: Any = reply.json()
        if not isinstance(model, dict) or not isinstance(model.get("name"), str):
            return None
        scopes = model.get("scopes") or []
        if not self.env.allows(scopes):
            log.warning("%s may not use this server (scopes: %s)", model["name"], scopes)
            return None
        return _user(model["name"])

    def secure_cookies(self, scope: asgi.Scope) -> bool:
        """Whether this request's cookies get `Secure`: when the server speaks TLS and
        the browser did too. Under internal_ssl the TLS is the proxy's, and a browser on
        the Hub's plain-HTTP public port would drop a Secure cookie (no login at all)."""
        return self.secure and asgi.over_https(scope)

    def cookie_value(self, token: str) -> str:
        return f"{token}|{self.credentials.sign(COOKIE_PURPOSE, token)}"

    def token_from_cookie(self, value: str) -> str:
        token, _, mac = value.rpartition("|")
        if token and oauth.same(mac, self.credentials.sign(COOKIE_PURPOSE, token)):
            return token
        return ""

    async def refuse(self, scope: asgi.Scope, send: asgi.Send, relative: str, method: str) -> None:
        """Websockets closed, API calls 403 (no cookie set), pages sent to the Hub's login."""
        if scope["type"] == "websocket" or self.env.allow_token_in_url:
            await send({"type": "websocket.close", "code": 1008})
            return
        if method != "forbidden" and oauth.is_page_view(scope, relative):
            raw_path = scope.get("raw_path") or str(scope["path"]).encode()
            target = raw_path.decode("latin-1")
            if scope.get("query_string"):
                target += "?" + asgi.query_without(scope, "token")
            await oauth.send_to_hub(scope, send, self, target)
            return
        await http_errors.send_error(send, 403, "Forbidden", "not authorized by JupyterHub")


def _user(name: str) -> User:
    initials = "".join(part[0] for part in name.replace(".", " ").split()[:2]).upper() or None
    return User(username=name, name=name, display_name=name, initials=initials)
