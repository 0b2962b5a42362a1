"""The cookies `carnet singleuser` sets, with the Hub's JUPYTERHUB_COOKIE_OPTIONS applied.

The Hub passes its `Spawner.cookie_options` (tornado `set_cookie` keyword arguments)
as JSON. The ones that make sense for a cookie header are honoured on the login
cookie: `domain`, `path`, `expires_days` (or `max_age`; None for a session cookie),
`secure` and `samesite`. HttpOnly stays on whatever they say: the cookie holds a
Hub token that no script should read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from carnet.errors import ConfigError

_SAMESITE = {"lax": "Lax", "strict": "Strict", "none": "None"}


@dataclass(frozen=True)
class CookieOptions:
    domain: str = ""
    path: str = ""  # "" for the server's prefix
    max_age: int | None = None  # None: a session cookie
    secure: bool = False
    samesite: str = "Lax"


def parse_options(raw: str) -> CookieOptions:
    """JUPYTERHUB_COOKIE_OPTIONS, or ConfigError naming what is wrong."""
    if not raw.strip():
        return CookieOptions()
    try:
        options = json.loads(raw)
    except ValueError as exc:
        raise ConfigError(f"JUPYTERHUB_COOKIE_OPTIONS is not JSON: {exc}") from None
    if not isinstance(options, dict):
        raise ConfigError("JUPYTERHUB_COOKIE_OPTIONS must be a JSON object")
    options = {str(k).lower(): v for k, v in options.items()}
    max_age: int | None = None
    try:
        if options.get("max_age") is not None:
            max_age = int(options["max_age"])
        elif options.get("expires_days") is not None:
            max_age = int(float(options["expires_days"]) * 86400)
    except (TypeError, ValueError):
        raise ConfigError(
            "JUPYTERHUB_COOKIE_OPTIONS: expires_days/max_age must be numbers"
        ) from None
    samesite = _SAMESITE.get(str(options.get("samesite") or "lax").lower())
    if samesite is None:
        raise ConfigError("JUPYTERHUB_COOKIE_OPTIONS: samesite must be Lax, Strict or None")
    secure = bool(options.get("secure", False))
    if samesite == "None":
        secure = True  # browsers drop SameSite=None cookies that are not Secure
    return CookieOptions(
        domain=str(options.get("domain") or ""),
        path=str(options.get("path") or ""),
        max_age=max_age,
        secure=secure,
        samesite=samesite,
    )


def header(
    name: str,
    value: str,
    path: str,
    secure: bool,
    max_age: int | None,
    options: CookieOptions | None = None,
) -> bytes:
    """A Set-Cookie value; `options` (the Hub's) apply to the login cookie only.

    A cookie being cleared (max_age 0) keeps its domain and path, or it would not match."""
    options = options or CookieOptions()
    attributes = f"Path={options.path or path}; HttpOnly; SameSite={options.samesite}"
    if options.domain:
        attributes += f"; Domain={options.domain}"
    if max_age is None:
        max_age = options.max_age
    if max_age is not None:
        attributes += f"; Max-Age={max_age}"
    if secure or options.secure:
        attributes += "; Secure"
    return f"{name}={value}; {attributes}".encode("latin-1")
