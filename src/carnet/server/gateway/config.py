"""GatewayConfig: the gateway options resolved and checked, as the gateway client reads them.

Timeouts follow Jupyter Server: request_timeout is at least KERNEL_LAUNCH_TIMEOUT plus
launch_timeout_pad, and a longer request_timeout raises the KERNEL_LAUNCH_TIMEOUT sent
to the gateway, so the gateway gives up on a kernel before we give up on the gateway.
"""

from __future__ import annotations

import base64
import json
import os
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from carnet.errors import ConfigError
from carnet.server.gateway.options import DEFAULT_LAUNCH_TIMEOUT, GatewayClient


@dataclass(frozen=True)
class GatewayConfig:
    url: str  # no trailing slash
    ws_url: str
    kernels_endpoint: str = "/api/kernels"
    kernelspecs_endpoint: str = "/api/kernelspecs"
    kernelspecs_resource_endpoint: str = "/kernelspecs"
    connect_timeout: float = 40.0
    request_timeout: float = 42.0
    launch_timeout: int = DEFAULT_LAUNCH_TIMEOUT
    # Every request's headers: auth, basic auth, the configured extras.
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    allowed_envs: tuple[str, ...] = ()
    validate_cert: bool = True
    client_cert: str = ""
    client_key: str = ""
    ca_certs: str = ""
    retry_interval: float = 1.0
    retry_interval_max: float = 30.0
    retry_max: int = 5

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context for an https/wss gateway (None for plain HTTP)."""
        if not self.url.startswith("https:"):
            return None
        context = ssl.create_default_context(cafile=self.ca_certs or None)
        if not self.validate_cert:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if self.client_cert:
            context.load_cert_chain(self.client_cert, self.client_key or None)
        return context


def _launch_timeout() -> int:
    try:
        return int(os.environ.get("KERNEL_LAUNCH_TIMEOUT", DEFAULT_LAUNCH_TIMEOUT))
    except ValueError:
        raise ConfigError("KERNEL_LAUNCH_TIMEOUT: not a number of seconds") from None


def _headers(options: GatewayClient) -> dict[str, str]:
    try:
        extra = json.loads(options.headers or "{}")
    except ValueError:
        raise ConfigError("GatewayClient.headers: not a JSON object") from None
    if not isinstance(extra, dict):
        raise ConfigError("GatewayClient.headers: not a JSON object")
    headers = {str(k): str(v) for k, v in extra.items()}
    if options.http_user or options.http_pwd:
        pair = f"{options.http_user}:{options.http_pwd}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    if options.auth_token:
        scheme = f"{options.auth_scheme} " if options.auth_scheme else ""
        headers[options.auth_header_key or "Authorization"] = scheme + options.auth_token
    return headers


def _names(*lists: str) -> tuple[str, ...]:
    found: list[str] = []
    for text in lists:
        found += [n.strip() for n in text.split(",") if n.strip() and n.strip() not in found]
    return tuple(found)


def gateway_config(options: GatewayClient) -> GatewayConfig | None:
    """The checked gateway configuration, None without a url, or ConfigError."""
    url = options.url.strip().rstrip("/")
    if not url:
        return None
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
        raise ConfigError(f"GatewayClient.url: not an http(s) URL: {options.url!r}")
    ws_url = options.ws_url.strip().rstrip("/") or "ws" + url[len("http") :]
    if urlsplit(ws_url).scheme not in ("ws", "wss"):
        raise ConfigError(f"GatewayClient.ws_url: not a ws(s) URL: {options.ws_url!r}")
    for name in ("client_cert", "client_key", "ca_certs"):
        value = getattr(options, name)
        if value and not Path(value).expanduser().is_file():
            raise ConfigError(f"GatewayClient.{name}: no such file: {value}")
    launch = _launch_timeout()
    request_timeout = options.request_timeout
    minimum = launch + options.launch_timeout_pad
    if request_timeout < minimum:
        request_timeout = minimum
    else:
        launch = int(request_timeout - options.launch_timeout_pad)
    return GatewayConfig(
        url=url,
        ws_url=ws_url,
        kernels_endpoint="/" + options.kernels_endpoint.strip("/"),
        kernelspecs_endpoint="/" + options.kernelspecs_endpoint.strip("/"),
        kernelspecs_resource_endpoint="/" + options.kernelspecs_resource_endpoint.strip("/"),
        connect_timeout=options.connect_timeout,
        request_timeout=request_timeout,
        launch_timeout=launch,
        headers=_headers(options),
        allowed_envs=_names(options.allowed_envs, options.env_whitelist),
        validate_cert=options.validate_cert,
        client_cert=str(Path(options.client_cert).expanduser()) if options.client_cert else "",
        client_key=str(Path(options.client_key).expanduser()) if options.client_key else "",
        ca_certs=str(Path(options.ca_certs).expanduser()) if options.ca_certs else "",
        retry_interval=max(0.01, options.gateway_retry_interval),
        retry_interval_max=max(0.01, options.gateway_retry_interval_max),
        retry_max=max(0, options.gateway_retry_max),
    )
