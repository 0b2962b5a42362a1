"""The OAuth dance with the Hub: off to its authorize page, back on /oauth_callback.

An unauthenticated page view is sent to the Hub's authorize endpoint with a random
`state`; the same state, with where the user was going, sits in a signed, httponly
cookie. The callback accepts only that state, trades the code for an access token at
the Hub, keeps the token in the login cookie and sends the user on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
import time
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from carnet.server import asgi
from carnet.server.hub import client, cookies

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.hub.identity import HubIdentity

log = logging.getLogger("carnet.server.hub")

STATE_MAX_AGE = 600
PENDING_MAX = 1000  # logins in progress remembered (their PKCE verifiers)
STATE_PURPOSE = "hub-oauth-state"


def same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def is_page_view(scope: asgi.Scope, relative: str) -> bool:
    api = relative == "/api" or relative.startswith("/api/")
    return scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and not api


def cookie_header(name: str, value: str, path: str, secure: bool, max_age: int | None) -> bytes:
    return cookies.header(name, value, path, secure, max_age)


def state_cookie_name(identity: HubIdentity) -> str:
    return f"{identity.env.cookie_name}-oauth-state"


def _safe_next(identity: HubIdentity, target: str) -> str:
    """Only a path under this server's prefix: never another site (//evil, /\\evil)."""
    prefix = identity.env.prefix
    if target.startswith(prefix) and not target.startswith(("//", "/\\")):
        return target
    return prefix


def _pkce_challenge(identity: HubIdentity, state: str) -> str:
    """A new PKCE challenge for this login; its verifier stays here, never in a cookie."""
    now = time.monotonic()
    pending = identity.verifiers
    if len(pending) >= PENDING_MAX:
        for key in [k for k, (expiry, _) in pending.items() if expiry < now]:
            del pending[key]
        if len(pending) >= PENDING_MAX:
            pending.pop(next(iter(pending)))  # the oldest
    verifier = secrets.token_urlsafe(48)
    pending[state] = (now + STATE_MAX_AGE, verifier)
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _pkce_verifier(identity: HubIdentity, state: str) -> str:
    """The verifier of a login in progress ('' if unknown, say after a restart)."""
    expiry, verifier = identity.verifiers.pop(state, (0.0, ""))
    return verifier if expiry > time.monotonic() else ""


def authorize_redirect(
    identity: HubIdentity, target: str, secure: bool = False
) -> tuple[str, bytes]:
    """The Hub's authorize URL for a new login, and the state cookie that goes with it."""
    env = identity.env
    state = secrets.token_urlsafe(24)
    encoded = base64.urlsafe_b64encode(_safe_next(identity, target).encode()).decode()
    mac = identity.credentials.sign(STATE_PURPOSE, f"{state}|{encoded}")
    query = urlencode(
        {
            "client_id": env.client_id,
            "redirect_uri": env.oauth_callback_url,
            "response_type": "code",
            "state": state,
            # The Hub checks it when it supports PKCE (oauthlib ignores it otherwise).
            "code_challenge": _pkce_challenge(identity, state),
            "code_challenge_method": "S256",
        }
    )
    cookie = cookie_header(
        state_cookie_name(identity),
        f"{state}|{encoded}|{mac}",
        env.prefix,
        secure,
        STATE_MAX_AGE,
    )
    return f"{env.authorize_url}?{query}", cookie


async def send_to_hub(
    scope: asgi.Scope, send: asgi.Send, identity: HubIdentity, target: str
) -> None:
    """A redirect to the Hub's authorize page, setting the state cookie."""
    location, cookie = authorize_redirect(identity, target, identity.secure_cookies(scope))
    await asgi.send_redirect(send, location, [(b"set-cookie", cookie)])


def _checked_next(identity: HubIdentity, request: Request) -> str | None:
    """Where the user was going, when the callback's state matches the state cookie."""
    state = request.query_params.get("state", "")
    cookie = request.cookies.get(state_cookie_name(identity), "")
    parts = cookie.split("|")
    if len(parts) != 3 or not same(parts[0], state):
        return None
    expected = identity.credentials.sign(STATE_PURPOSE, f"{parts[0]}|{parts[1]}")
    if not same(parts[2], expected):
        return None
    try:
        target = base64.urlsafe_b64decode(parts[1].encode()).decode()
    except ValueError:
        return None
    return _safe_next(identity, target)


async def _token_for_code(identity: HubIdentity, code: str, verifier: str) -> str | None:
    env = identity.env
    fields = {
        "client_id": env.client_id,
        "client_secret": env.api_token,
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": env.oauth_callback_url,
    }
    if verifier:
        fields["code_verifier"] = verifier
    form = urlencode(fields).encode()
    try:
        reply = await client.request(
            "POST",
            env.token_url,
            env.api_token,
            body=form,
            content_type="application/x-www-form-urlencoded",
            env=env,
        )
    except client.HubUnreachable as exc:
        log.error("Cannot reach the Hub for a login: %s", exc)
        return None
    answer = reply.json() if reply.status == 200 else None
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str):
        log.error("The Hub refused an OAuth code: %d", reply.status)
        return None
    return token


async def oauth_callback(request: Request) -> Response:
    """The end of a login at the Hub.
    ---
    summary: Finish a JupyterHub OAuth login (state check, code for token, login cookie)
    tags: [hub]
    security: []
    responses:
      302:
        description: Logged in; on to where the user was going
      403:
        description: A state or code that does not check out
    """
    from starlette.responses import RedirectResponse, Response

    identity: HubIdentity = request.app.state.hub_identity
    target = _checked_next(identity, request)
    code = request.query_params.get("code", "")
    if target is None or not code:
        return Response("OAuth state mismatch: log in again through JupyterHub", 403)
    verifier = _pkce_verifier(identity, request.query_params.get("state", ""))
    token = await _token_for_code(identity, code, verifier)
    user = await identity.user_for_token(token) if token else None
    if token is None or user is None:
        return Response("JupyterHub did not authorize this login for this server", 403)
    response = RedirectResponse(target, 302)
    env = identity.env
    secure = identity.secure_cookies(request.scope)
    login = cookies.header(
        env.cookie_name, identity.cookie_value(token), env.prefix, secure, None, env.cookie_options
    )
    gone = cookie_header(state_cookie_name(identity), "", env.prefix, secure, 0)
    response.raw_headers += [(b"set-cookie", login), (b"set-cookie", gone)]
    return response


async def logout(request: Request) -> Response:
    """Log out of this server and of the Hub.
    ---
    summary: Clear the JupyterHub login cookie and go to the Hub's logout
    tags: [hub]
    security: []
    responses:
      302:
        description: On to the Hub's logout page
    """
    from starlette.responses import RedirectResponse

    identity: HubIdentity = request.app.state.hub_identity
    env = identity.env
    response = RedirectResponse(env.logout_url, 302)
    secure = identity.secure_cookies(request.scope)
    gone = cookies.header(env.cookie_name, "", env.prefix, secure, 0, env.cookie_options)
    response.raw_headers.append((b"set-cookie", gone))
    return response


async def login(request: Request) -> Response:
    """Logging in happens at the Hub.
    ---
    summary: Send the browser to the Hub's login (OAuth authorize)
    tags: [hub]
    security: []
    responses:
      302:
        description: On to the Hub's authorize page
    """
    from starlette.responses import RedirectResponse

    identity: HubIdentity = request.app.state.hub_identity
    target = request.query_params.get("next", "") or identity.env.prefix
    location, cookie = authorize_redirect(identity, target, identity.secure_cookies(request.scope))
    response = RedirectResponse(location, 302)
    response.raw_headers.append((b"set-cookie", cookie))
    return response


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        Route("/oauth_callback", oauth_callback, methods=["GET"]),
        Route("/logout", logout, methods=["GET", "POST"]),
        Route("/login", login, methods=["GET"]),
    ]
