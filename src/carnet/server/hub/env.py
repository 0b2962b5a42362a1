"""The JUPYTERHUB_* environment a Spawner gives its single-user server, parsed and checked."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from carnet.errors import ConfigError
from carnet.server.hub.cookies import CookieOptions, parse_options

REQUIRED = (
    "JUPYTERHUB_SERVICE_URL",
    "JUPYTERHUB_API_URL",
    "JUPYTERHUB_API_TOKEN",
    "JUPYTERHUB_USER",
)
DEFAULT_ACTIVITY_INTERVAL = 300.0


@dataclass(frozen=True)
class HubEnv:
    """What the Hub told this server about itself, the Hub and its user."""

    ip: str
    port: int
    prefix: str  # the server's base_url, with slashes at both ends
    api_url: str  # with a trailing slash, so that relative joins stay under it
    api_token: str
    user: str
    server_name: str
    client_id: str
    oauth_callback_url: str
    access_scopes: frozenset[str]
    base_url: str  # the Hub's own base URL ("/" by default)
    host: str  # the Hub's public host when it is on another domain, else ""
    activity_url: str
    activity_interval: float
    root_dir: str
    default_url: str
    allow_token_in_url: bool = False  # ?token= on pages and API calls (always on websockets)
    disable_user_config: bool = False  # no config files from the user's home directory
    cookie_options: CookieOptions = field(default_factory=CookieOptions)
    # Internal TLS (JupyterHub.internal_ssl): this server's certificate and key, and the
    # CA that signed the Hub's and the proxy's (they present client certificates).
    ssl_keyfile: str = ""
    ssl_certfile: str = ""
    ssl_client_ca: str = ""

    @property
    def cookie_name(self) -> str:
        return self.client_id

    @property
    def authorize_url(self) -> str:
        """The Hub's OAuth authorization endpoint, as the user's browser reaches it."""
        return f"{self.host}{self.base_url}hub/api/oauth2/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.api_url}oauth2/token"

    @property
    def logout_url(self) -> str:
        return f"{self.host}{self.base_url}hub/logout"

    def allows(self, scopes: list[str] | frozenset[str]) -> bool:
        """Whether a token with these scopes may use this server."""
        return bool(self.access_scopes.intersection(scopes))


def _slashed(path: str) -> str:
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _access_scopes(raw: str, user: str, server_name: str) -> frozenset[str]:
    # The unscoped and per-user forms always give access, whatever the Hub listed.
    scopes = {"access:servers", f"access:servers!user={user}"}
    scopes.add(f"access:servers!server={user}/{server_name}")
    if raw:
        try:
            listed = json.loads(raw)
        except ValueError as exc:
            raise ConfigError(f"JUPYTERHUB_OAUTH_ACCESS_SCOPES is not JSON: {exc}") from None
        if not isinstance(listed, list) or not all(isinstance(s, str) for s in listed):
            raise ConfigError("JUPYTERHUB_OAUTH_ACCESS_SCOPES must be a JSON list of strings")
        scopes.update(listed)
    return frozenset(scopes)


def _flag(raw: str) -> bool:
    return raw.strip().lower() not in ("", "0", "false", "no")


def _interval(raw: str) -> float:
    if not raw:
        return DEFAULT_ACTIVITY_INTERVAL
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"JUPYTERHUB_ACTIVITY_INTERVAL is not a number: {raw!r}") from None
    if value <= 0:
        raise ConfigError("JUPYTERHUB_ACTIVITY_INTERVAL must be positive")
    return value


def parse(environ: Mapping[str, str]) -> HubEnv:
    """The Hub's settings from an environment, or ConfigError naming what is wrong."""
    missing = [name for name in REQUIRED if not environ.get(name)]
    if missing:
        raise ConfigError(
            f"{', '.join(missing)} not set: `carnet singleuser` must be started by JupyterHub"
        )
    service = urlsplit(environ["JUPYTERHUB_SERVICE_URL"])
    if service.scheme not in ("http", "https") or not service.hostname:
        raise ConfigError(
            f"JUPYTERHUB_SERVICE_URL is not an http URL: {environ['JUPYTERHUB_SERVICE_URL']!r}"
        )
    try:
        port = service.port or (443 if service.scheme == "https" else 80)
    except ValueError:
        raise ConfigError("JUPYTERHUB_SERVICE_URL has an invalid port") from None
    user = environ["JUPYTERHUB_USER"]
    server_name = environ.get("JUPYTERHUB_SERVER_NAME", "")
    prefix = _slashed(environ.get("JUPYTERHUB_SERVICE_PREFIX") or service.path or "/")
    client_id = environ.get("JUPYTERHUB_CLIENT_ID") or f"jupyterhub-user-{user}"
    host = environ.get("JUPYTERHUB_HOST", "").rstrip("/")
    keyfile, certfile = _tls_files(environ)
    return HubEnv(
        ip=service.hostname,
        port=port,
        prefix=prefix,
        api_url=environ["JUPYTERHUB_API_URL"].rstrip("/") + "/",
        api_token=environ["JUPYTERHUB_API_TOKEN"],
        user=user,
        server_name=server_name,
        client_id=client_id,
        oauth_callback_url=environ.get("JUPYTERHUB_OAUTH_CALLBACK_URL")
        or f"{prefix}oauth_callback",
        access_scopes=_access_scopes(
            environ.get("JUPYTERHUB_OAUTH_ACCESS_SCOPES", ""), user, server_name
        ),
        base_url=_slashed(environ.get("JUPYTERHUB_BASE_URL", "/")),
        host=host,
        activity_url=environ.get("JUPYTERHUB_ACTIVITY_URL", ""),
        activity_interval=_interval(environ.get("JUPYTERHUB_ACTIVITY_INTERVAL", "")),
        root_dir=environ.get("JUPYTERHUB_ROOT_DIR", ""),
        default_url=environ.get("JUPYTERHUB_DEFAULT_URL", ""),
        allow_token_in_url=_flag(environ.get("JUPYTERHUB_ALLOW_TOKEN_IN_URL", "")),
        disable_user_config=_flag(environ.get("JUPYTERHUB_DISABLE_USER_CONFIG", "")),
        cookie_options=parse_options(environ.get("JUPYTERHUB_COOKIE_OPTIONS", "")),
        ssl_keyfile=keyfile,
        ssl_certfile=certfile,
        ssl_client_ca=environ.get("JUPYTERHUB_SSL_CLIENT_CA", ""),
    )


def _tls_files(environ: Mapping[str, str]) -> tuple[str, str]:
    keyfile = environ.get("JUPYTERHUB_SSL_KEYFILE", "")
    certfile = environ.get("JUPYTERHUB_SSL_CERTFILE", "")
    if bool(keyfile) != bool(certfile):
        raise ConfigError("JUPYTERHUB_SSL_KEYFILE and JUPYTERHUB_SSL_CERTFILE go together")
    return keyfile, certfile
