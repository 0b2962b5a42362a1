"""`/login` and `/logout`: the password (or token) form, the login cookie, safe redirects.

A successful login sets the login cookie and redirects to `next` when `next` is a
path on this server; anything a browser could read as another site (`//host`,
`/\\host`, `https://host`, control characters, their percent-encoded forms) is
replaced by the default page. Failed logins are throttled per client address.
With `allow_password_change`, logging in with the token may set a new password:
it is written to the config directory and every existing login cookie stops
working at once.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, unquote, urlsplit

from carnet.errors import ConfigError
from carnet.server import logs
from carnet.server.auth.credentials import Credentials
from carnet.server.auth.login_page import logged_out_page, login_page
from carnet.server.auth.middleware import login_cookie, logout_cookie
from carnet.server.auth.throttle import LoginThrottle

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.config.settings import ServerSettings

_MAX_FORM_BYTES = 64 * 1024


def safe_next(candidate: str, base_url: str, default: str) -> str:
    """`candidate` when it is a path under base_url on this server, else `default`."""
    for form in (candidate, unquote(candidate), unquote(unquote(candidate))):
        if not form.startswith(base_url) or not form.startswith("/"):
            return default
        if form.startswith("//") or "\\" in form:
            return default
        if any(ord(char) < 0x20 or ord(char) == 0x7F for char in form):
            return default
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return default
        if any(segment in (".", "..") for segment in parts.path.split("/")):
            return default  # resolving dot segments could make "//host" of the rest
    return candidate


def _state(request: Request) -> tuple[ServerSettings, Credentials]:
    return request.app.state.settings, request.app.state.credentials


def _default_next(settings: ServerSettings) -> str:
    return settings.base_url + settings.default_url.lstrip("/")


async def login_get(request: Request) -> Response:
    """The login page.
    ---
    summary: The login form (password or token)
    tags: [pages]
    security: []
    parameters:
      - {name: next, in: query, required: false, schema: {type: string}}
    responses:
      200: {description: The login form}
      302: {description: Already logged in (or no authentication); a redirect to next}
    """
    from starlette.responses import RedirectResponse

    settings, _ = _state(request)
    target = safe_next(request.query_params.get("next", ""), settings.base_url, "")
    if "user" in request.scope:
        return RedirectResponse(target or _default_next(settings), 302)
    return await _form(request, target, "", 200)


async def _form(
    request: Request, next_url: str, error: str, status: int, **values: object
) -> Response:
    """The login form, in the request's language; `error` is English, {name}s from values."""
    from starlette.responses import HTMLResponse

    from carnet.server.i18n import request_language, translate

    settings, credentials = _state(request)
    language, _ = await request_language(request)
    body = login_page(
        action=settings.base_url + "login",
        next_url=next_url,
        xsrf_token=request.scope.get("xsrf_token", ""),
        has_password=bool(credentials.password_hash or credentials.read_only_password_hash),
        allow_password_change=settings.allow_password_change and bool(credentials.token),
        error=translate(language, error, **values) if error else "",
        language=language,
    )
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


async def login_post(request: Request) -> Response:
    """Log in.
    ---
    summary: Log in with the password or the token (form fields password, next, _xsrf)
    tags: [pages]
    security: []
    responses:
      302: {description: 'Logged in; the login cookie is set, redirect to next'}
      401: {description: Wrong password or token}
      403: {description: XSRF token missing or wrong}
      429: {description: Too many failed attempts from this address; retry later}
    """
    from starlette.responses import RedirectResponse

    settings, credentials = _state(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    form = await _form_fields(request)
    # Jupyter's form posts to /login?next=...; Carnet's sends next as a field.
    wanted = form.get("next") or request.query_params.get("next", "")
    target = safe_next(wanted, settings.base_url, "")
    address = request.client.host if request.client else "-"
    wait = throttle.retry_after(address)
    if wait > 0:
        response = await _form(
            request,
            target,
            "Too many failed attempts; retry in {seconds} s.",
            429,
            seconds=f"{wait:.0f}",
        )
        response.headers["Retry-After"] = str(max(1, round(wait)))
        return response
    secret = form.get("password", "")
    user = await asyncio.to_thread(credentials.user_for_password, secret) if secret else None
    if user is None:
        delay = throttle.failed(address)
        logs.server_log().warning(
            "Failed login from %s%s", address, f" (locked out for {delay:.0f} s)" if delay else ""
        )
        return await _form(request, target, "Invalid password or token.", 401)
    throttle.succeeded(address)
    new_password = form.get("new_password", "")
    if new_password and settings.allow_password_change and not user.read_only:
        if credentials.user_for_token(secret) is None:
            return await _form(request, target, "Log in with the token to set a new password.", 401)
        error = await _change_password(credentials, new_password)
        if error:
            return await _form(request, target, error, 500)
    logs.server_log().info("User %s logged in from %s", user.username, address)
    response = RedirectResponse(target or _default_next(settings), 302)
    name, value = login_cookie(credentials, user, settings.base_url, settings.secure)
    response.raw_headers.append((name, value))
    return response


async def _change_password(credentials: Credentials, new_password: str) -> str:
    """Store and apply a new password; an error message, or '' on success."""
    from carnet.server.auth.password_store import store_password
    from carnet.server.auth.passwords import hash_password

    hashed = await asyncio.to_thread(hash_password, new_password)
    try:
        path = await asyncio.to_thread(store_password, hashed)
    except (ConfigError, OSError) as exc:
        logs.server_log().error("Cannot store the new password: %s", exc)
        return "The new password could not be saved (see the server log)."
    credentials.set_password(hashed)
    logs.server_log().info("Wrote hashed password to %s", path)
    return ""


async def _form_fields(request: Request) -> dict[str, str]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > _MAX_FORM_BYTES:
            return {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))


async def logout(request: Request) -> Response:
    """Log out.
    ---
    summary: Log out (removes the login cookie)
    tags: [pages]
    security: []
    responses:
      200: {description: The logged-out page}
    """
    from starlette.responses import HTMLResponse

    settings, credentials = _state(request)
    if "user" in request.scope:
        logs.server_log().info("User %s logged out", request.scope["user"].username)
    from carnet.server.i18n import request_language

    language, _ = await request_language(request)
    response = HTMLResponse(logged_out_page(settings.base_url + "login", language))
    name, value = logout_cookie(credentials, settings.base_url, settings.secure)
    response.raw_headers.append((name, value))
    return response


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        Route("/login", login_get, methods=["GET"]),
        Route("/login", login_post, methods=["POST"]),
        Route("/logout", logout, methods=["GET", "POST"]),
    ]
