"""Gateway options: Jupyter Server's names, variables and timeout rule; what a kernel gets."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from carnet.errors import ConfigError
from carnet.protocol import Session
from carnet.server.config.resolve import settings_from_argv
from carnet.server.gateway.config import GatewayConfig
from carnet.server.gateway.kernels import GatewayKernelService
from carnet.server.gateway.ws import convert
from carnet.server.ws.formats import WsMessage, decode_legacy, decode_v1, encode_legacy, encode_v1


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("JUPYTER_", "KERNEL_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)


def gateway(*argv: str) -> GatewayConfig:
    config = settings_from_argv(list(argv)).gateway
    assert config is not None
    return config


def test_no_url_no_gateway() -> None:
    assert settings_from_argv([]).gateway is None


def test_url_from_flag_config_or_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert gateway("--gateway-url=http://127.0.0.1:8889/").url == "http://127.0.0.1:8889"
    assert gateway("--gateway-url=https://gw:1/x").ws_url == "wss://gw:1/x"
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "jupyter_notebook_config.py").write_text(
        "c.GatewayClient.url = 'http://from-file:1'\n"
        "c.GatewayClient.gateway_token_renewer_class = 'x.Y'\n"  # Jupyter's, ignored
    )
    assert gateway().url == "http://from-file:1"
    assert gateway("--GatewayClient.url=http://cli:2").url == "http://cli:2"
    (tmp_path / "config" / "jupyter_notebook_config.py").unlink()
    monkeypatch.setenv("JUPYTER_GATEWAY_URL", "http://env:3")
    monkeypatch.setenv("JUPYTER_GATEWAY_WS_URL", "ws://other:4")
    monkeypatch.setenv("JUPYTER_GATEWAY_KERNELS_ENDPOINT", "/gw/kernels/")
    config = gateway()
    assert (config.url, config.ws_url, config.kernels_endpoint) == (
        "http://env:3",
        "ws://other:4",
        "/gw/kernels",
    )
    with pytest.raises(ConfigError, match=r"GatewayClient\.url"):
        settings_from_argv(["--gateway-url=ftp://nope"])
    with pytest.raises(ConfigError, match=r"GatewayClient\.ca_certs"):
        settings_from_argv(["--GatewayClient.ca_certs=/no/such/file"])


def test_request_timeout_covers_the_kernel_launch_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = "--gateway-url=http://gw:1"
    default = gateway(url)
    assert (default.request_timeout, default.launch_timeout) == (42.0, 40)
    # Too short for KERNEL_LAUNCH_TIMEOUT + pad: raised to it.
    raised = gateway(url, "--GatewayClient.request_timeout=10")
    assert (raised.request_timeout, raised.launch_timeout) == (42.0, 40)
    # Longer: the launch timeout sent to the gateway grows with it.
    longer = gateway(url, "--GatewayClient.request_timeout=100")
    assert (longer.request_timeout, longer.launch_timeout) == (100.0, 98)
    monkeypatch.setenv("KERNEL_LAUNCH_TIMEOUT", "5")
    monkeypatch.setenv("JUPYTER_GATEWAY_REQUEST_TIMEOUT", "1")
    monkeypatch.setenv("JUPYTER_GATEWAY_LAUNCH_TIMEOUT_PAD", "3")
    short = gateway(url)
    assert (short.request_timeout, short.launch_timeout) == (8.0, 5)


def test_auth_headers_and_allowed_envs(monkeypatch: pytest.MonkeyPatch) -> None:
    url = "--gateway-url=http://gw:1"
    assert gateway(url, "--GatewayClient.auth_token=t").headers == {"Authorization": "token t"}
    bearer = gateway(
        url,
        "--GatewayClient.auth_token=t",
        "--GatewayClient.auth_scheme=Bearer",
        "--GatewayClient.auth_header_key=X-Auth",
        """--GatewayClient.headers={"X-Extra": "1"}""",
    )
    assert bearer.headers == {"X-Extra": "1", "X-Auth": "Bearer t"}
    monkeypatch.setenv("JUPYTER_GATEWAY_HTTP_USER", "ann")
    monkeypatch.setenv("JUPYTER_GATEWAY_HTTP_PWD", "pw")
    basic = gateway(url).headers["Authorization"]
    assert base64.b64decode(basic.removeprefix("Basic ")) == b"ann:pw"
    monkeypatch.setenv("JUPYTER_GATEWAY_ENV_WHITELIST", "OLD, BOTH")  # the deprecated name
    allowed = gateway(url, "--GatewayClient.allowed_envs=NEW,BOTH").allowed_envs
    assert allowed == ("NEW", "BOTH", "OLD")
    with pytest.raises(ConfigError, match=r"GatewayClient\.headers"):
        settings_from_argv([url, "--GatewayClient.headers=[1]"])


def test_a_new_kernel_gets_what_jupyter_server_sends(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "work").mkdir()
    monkeypatch.setenv("KERNEL_EXTRA", "k")
    monkeypatch.setenv("ALLOWED_ONE", "a")
    monkeypatch.setenv("NOT_ALLOWED", "n")
    config = GatewayConfig("http://gw:1", "ws://gw:1", allowed_envs=("ALLOWED_ONE",))
    service = GatewayKernelService(config, tmp_path)
    try:
        env = service.kernel_env("work/a.ipynb", None)
    finally:
        service.http.close()
    assert env["KERNEL_EXTRA"] == "k"
    assert env["ALLOWED_ONE"] == "a"
    assert "NOT_ALLOWED" not in env
    assert env["KERNEL_USERNAME"]
    assert env["KERNEL_WORKING_DIR"] == str((tmp_path / "work").resolve())
    assert env["KERNEL_LAUNCH_TIMEOUT"] == "40"


def test_frames_convert_between_the_two_protocols() -> None:
    msg = Session().msg("comm_msg", {"data": {"x": 1}}, buffers=[b"\x00\x01"])
    wire = WsMessage.from_message("shell", msg)
    v1, legacy = encode_v1(wire), encode_legacy(wire)
    assert convert(v1, True, True) is v1
    assert decode_legacy(convert(v1, True, False)).decode().content == msg.content
    back = decode_v1(convert(legacy, False, True))  # type: ignore[arg-type]
    assert back.decode().content == msg.content
    assert back.buffers == (b"\x00\x01",)
