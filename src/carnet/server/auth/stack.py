"""The security middleware in order, and the credentials, for create_app.

Outermost first: response headers (on refusals too), a bound on request headers,
Host/Origin/CORS checks (before credentials are even looked at), authentication,
XSRF, read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carnet.server import logs
from carnet.server.auth.cookie_secret import load_secret
from carnet.server.auth.credentials import Credentials
from carnet.server.auth.hosts import listens_on_loopback_only
from carnet.server.auth.identity import server_owner
from carnet.server.auth.limits import HeaderLimitMiddleware
from carnet.server.auth.middleware import IdentityProvider, TokenAuthMiddleware
from carnet.server.auth.origin import HostOriginMiddleware, OriginPolicy
from carnet.server.auth.readonly import ReadOnlyMiddleware
from carnet.server.auth.xsrf import XsrfMiddleware
from carnet.server.headers import HeadersMiddleware

if TYPE_CHECKING:
    from starlette.middleware import Middleware

    from carnet.server.config.settings import ServerSettings


def make_credentials(settings: ServerSettings) -> Credentials:
    """The server's credentials, signing with the configured or persisted cookie secret."""
    secret = load_secret(settings.cookie_secret, settings.cookie_secret_file, logs.server_log())
    return Credentials(
        token=settings.token,
        password_hash=settings.password,
        owner=server_owner(),
        port=settings.port,
        read_only_token=settings.read_only_token,
        read_only_password_hash=settings.read_only_password,
        secret=secret,
    )


def checks_host(settings: ServerSettings) -> bool:
    """Whether the DNS rebinding check applies: loopback-only TCP, not allowed remote."""
    if settings.allow_remote_access or settings.sock:
        return False
    return listens_on_loopback_only(settings.ip)


def security_middleware(
    settings: ServerSettings,
    credentials: Credentials,
    provider: IdentityProvider | None = None,
    frame_ancestors: str = "'self'",
) -> list[Middleware]:
    from starlette.middleware import Middleware

    base = settings.base_url
    policy = OriginPolicy(
        allow_origin=settings.allow_origin,
        allow_origin_pat=settings.allow_origin_pat,
        allow_credentials=settings.allow_credentials,
    )
    return [
        Middleware(
            HeadersMiddleware,
            configured=settings.headers,
            base_url=base,
            frame_ancestors=frame_ancestors,
        ),
        Middleware(HeaderLimitMiddleware),
        Middleware(
            HostOriginMiddleware,
            policy=policy,
            base_url=base,
            check_host=checks_host(settings),
            local_hostnames=settings.local_hostnames,
        ),
        Middleware(
            TokenAuthMiddleware,
            credentials=credentials,
            base_url=base,
            secure=settings.secure,
            provider=provider,
        ),
        Middleware(
            XsrfMiddleware,
            credentials=credentials,
            base_url=base,
            secure=settings.secure,
            disabled=settings.disable_check_xsrf,
        ),
        Middleware(ReadOnlyMiddleware, base_url=base),
    ]
