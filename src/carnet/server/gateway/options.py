"""`GatewayClient`: Jupyter Server's gateway options, same names and environment variables.

Each option's default comes from its JUPYTER_GATEWAY_* variable, as in Jupyter Server,
so existing configs and deployments work unchanged. An empty `url` means no gateway.
"""

from __future__ import annotations

import os

from traitlets import Bool, Float, Integer, Unicode, default
from traitlets.config import Configurable

# Jupyter Server's default when KERNEL_LAUNCH_TIMEOUT is not set.
DEFAULT_LAUNCH_TIMEOUT = 40


def _env(name: str, fallback: str = "") -> str:
    return os.environ.get(name, fallback)


def _env_float(name: str, fallback: float) -> float:
    try:
        return float(os.environ[name])
    except (KeyError, ValueError):
        return fallback


class GatewayClient(Configurable):
    """Where the kernel gateway is and how to talk to it."""

    url = Unicode(
        config=True,
        help="The gateway's base URL (http:// or https://). Set, kernels and kernelspecs "
        "come from the gateway; sessions and contents stay local. (JUPYTER_GATEWAY_URL)",
    )

    @default("url")
    def _url(self) -> str:
        return _env("JUPYTER_GATEWAY_URL")

    ws_url = Unicode(
        config=True,
        help="The gateway's websocket base URL; empty derives it from url. "
        "(JUPYTER_GATEWAY_WS_URL)",
    )

    @default("ws_url")
    def _ws_url(self) -> str:
        return _env("JUPYTER_GATEWAY_WS_URL")

    kernels_endpoint = Unicode(
        config=True, help="The gateway's kernels API path. (JUPYTER_GATEWAY_KERNELS_ENDPOINT)"
    )

    @default("kernels_endpoint")
    def _kernels_endpoint(self) -> str:
        return _env("JUPYTER_GATEWAY_KERNELS_ENDPOINT", "/api/kernels")

    kernelspecs_endpoint = Unicode(
        config=True,
        help="The gateway's kernelspecs API path. (JUPYTER_GATEWAY_KERNELSPECS_ENDPOINT)",
    )

    @default("kernelspecs_endpoint")
    def _kernelspecs_endpoint(self) -> str:
        return _env("JUPYTER_GATEWAY_KERNELSPECS_ENDPOINT", "/api/kernelspecs")

    kernelspecs_resource_endpoint = Unicode(
        config=True,
        help="The gateway's path of kernelspec resources (logos). "
        "(JUPYTER_GATEWAY_KERNELSPECS_RESOURCE_ENDPOINT)",
    )

    @default("kernelspecs_resource_endpoint")
    def _kernelspecs_resource_endpoint(self) -> str:
        return _env("JUPYTER_GATEWAY_KERNELSPECS_RESOURCE_ENDPOINT", "/kernelspecs")

    connect_timeout = Float(
        config=True,
        help="Seconds to wait for a connection to the gateway. (JUPYTER_GATEWAY_CONNECT_TIMEOUT)",
    )

    @default("connect_timeout")
    def _connect_timeout(self) -> float:
        return _env_float("JUPYTER_GATEWAY_CONNECT_TIMEOUT", 40.0)

    request_timeout = Float(
        config=True,
        help="Seconds to wait for the gateway's answer; raised to at least "
        "KERNEL_LAUNCH_TIMEOUT + launch_timeout_pad. (JUPYTER_GATEWAY_REQUEST_TIMEOUT)",
    )

    @default("request_timeout")
    def _request_timeout(self) -> float:
        return _env_float("JUPYTER_GATEWAY_REQUEST_TIMEOUT", 42.0)

    launch_timeout_pad = Float(
        config=True,
        help="Seconds request_timeout exceeds KERNEL_LAUNCH_TIMEOUT by. "
        "(JUPYTER_GATEWAY_LAUNCH_TIMEOUT_PAD)",
    )

    @default("launch_timeout_pad")
    def _launch_timeout_pad(self) -> float:
        return _env_float("JUPYTER_GATEWAY_LAUNCH_TIMEOUT_PAD", 2.0)

    client_key = Unicode(
        config=True, help="A client key file for TLS to the gateway. (JUPYTER_GATEWAY_CLIENT_KEY)"
    )

    @default("client_key")
    def _client_key(self) -> str:
        return _env("JUPYTER_GATEWAY_CLIENT_KEY")

    client_cert = Unicode(
        config=True,
        help="A client certificate file for TLS to the gateway. (JUPYTER_GATEWAY_CLIENT_CERT)",
    )

    @default("client_cert")
    def _client_cert(self) -> str:
        return _env("JUPYTER_GATEWAY_CLIENT_CERT")

    ca_certs = Unicode(
        config=True,
        help="The CA certificates that sign the gateway's certificate. (JUPYTER_GATEWAY_CA_CERTS)",
    )

    @default("ca_certs")
    def _ca_certs(self) -> str:
        return _env("JUPYTER_GATEWAY_CA_CERTS")

    validate_cert = Bool(
        config=True,
        help="Check the gateway's TLS certificate. (JUPYTER_GATEWAY_VALIDATE_CERT)",
    )

    @default("validate_cert")
    def _validate_cert(self) -> bool:
        return _env("JUPYTER_GATEWAY_VALIDATE_CERT", "true").lower() not in ("false", "0", "no")

    http_user = Unicode(
        config=True, help="The user name for HTTP basic auth. (JUPYTER_GATEWAY_HTTP_USER)"
    )

    @default("http_user")
    def _http_user(self) -> str:
        return _env("JUPYTER_GATEWAY_HTTP_USER")

    http_pwd = Unicode(
        config=True, help="The password for HTTP basic auth. (JUPYTER_GATEWAY_HTTP_PWD)"
    )

    @default("http_pwd")
    def _http_pwd(self) -> str:
        return _env("JUPYTER_GATEWAY_HTTP_PWD")

    headers = Unicode(
        config=True,
        help="Extra headers for every gateway request, as a JSON object. (JUPYTER_GATEWAY_HEADERS)",
    )

    @default("headers")
    def _headers(self) -> str:
        return _env("JUPYTER_GATEWAY_HEADERS", "{}")

    auth_token = Unicode(
        config=True,
        help="The token sent in the auth header, after auth_scheme. (JUPYTER_GATEWAY_AUTH_TOKEN)",
    )

    @default("auth_token")
    def _auth_token(self) -> str:
        return _env("JUPYTER_GATEWAY_AUTH_TOKEN")

    auth_header_key = Unicode(
        config=True,
        help="The header the token goes in. (JUPYTER_GATEWAY_AUTH_HEADER_KEY)",
    )

    @default("auth_header_key")
    def _auth_header_key(self) -> str:
        return _env("JUPYTER_GATEWAY_AUTH_HEADER_KEY", "Authorization")

    auth_scheme = Unicode(
        config=True,
        help="The word before the token ('token', 'Bearer'). (JUPYTER_GATEWAY_AUTH_SCHEME)",
    )

    @default("auth_scheme")
    def _auth_scheme(self) -> str:
        return _env("JUPYTER_GATEWAY_AUTH_SCHEME", "token")

    allowed_envs = Unicode(
        config=True,
        help="Comma-separated names of this server's environment variables sent to new "
        "kernels (KERNEL_* ones always are). (JUPYTER_GATEWAY_ALLOWED_ENVS)",
    )

    @default("allowed_envs")
    def _allowed_envs(self) -> str:
        return _env("JUPYTER_GATEWAY_ALLOWED_ENVS")

    env_whitelist = Unicode(
        config=True,
        help="Deprecated name of allowed_envs. (JUPYTER_GATEWAY_ENV_WHITELIST)",
    )

    @default("env_whitelist")
    def _env_whitelist(self) -> str:
        return _env("JUPYTER_GATEWAY_ENV_WHITELIST")

    gateway_retry_interval = Float(
        config=True,
        help="Seconds before the first reconnection of a dropped kernel websocket; "
        "doubled at each try. (JUPYTER_GATEWAY_RETRY_INTERVAL)",
    )

    @default("gateway_retry_interval")
    def _gateway_retry_interval(self) -> float:
        return _env_float("JUPYTER_GATEWAY_RETRY_INTERVAL", 1.0)

    gateway_retry_interval_max = Float(
        config=True,
        help="The longest wait between reconnections. (JUPYTER_GATEWAY_RETRY_INTERVAL_MAX)",
    )

    @default("gateway_retry_interval_max")
    def _gateway_retry_interval_max(self) -> float:
        return _env_float("JUPYTER_GATEWAY_RETRY_INTERVAL_MAX", 30.0)

    gateway_retry_max = Integer(
        config=True,
        help="How many reconnections before the page's websocket is closed. "
        "(JUPYTER_GATEWAY_RETRY_MAX)",
    )

    @default("gateway_retry_max")
    def _gateway_retry_max(self) -> int:
        return int(_env_float("JUPYTER_GATEWAY_RETRY_MAX", 5))
