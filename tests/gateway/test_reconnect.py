"""Gateway mode when the gateway's side fails: websockets reconnect, hung gateways time out."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from tests.gateway.gwproc import Gateway, gateway_python
from tests.gateway.tcpproxy import TcpProxy
from tests.gateway.test_gateway import carnet, execute
from tests.server.kernels.wsclient import KernelSocket
from tests.support.servers import ServerDirs, launch
from tests.support.waiting import wait_until

PYTHON = gateway_python()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PYTHON is None, reason="jupyter_kernel_gateway is not installed"),
    pytest.mark.timeout(240),
]


@pytest.fixture
def gateway(tmp_path: Path) -> Iterator[Gateway]:
    """A Kernel Gateway of its own: these tests stop it and cut its connections."""
    assert PYTHON is not None
    base = tmp_path / "gw"
    base.mkdir()
    gw = Gateway(PYTHON, base).start()
    yield gw
    gw.stop()


@pytest.fixture
def proxy(gateway: Gateway) -> Iterator[TcpProxy]:
    relay = TcpProxy(gateway.port)
    yield relay
    relay.close()


@pytest.mark.parametrize("v1", [True, False], ids=["v1", "legacy"])
def test_dropped_gateway_websocket_reconnects(
    tmp_path: Path,
    gateway: Gateway,
    proxy: TcpProxy,
    v1: bool,
) -> None:
    dirs = ServerDirs(tmp_path / "carnet")
    server = launch(
        dirs,
        f"--gateway-url={proxy.url}",
        f"--GatewayClient.auth_token={gateway.token}",
        "--GatewayClient.gateway_retry_interval=0.2",
        "--GatewayClient.gateway_retry_interval_max=0.4",
        "--GatewayClient.gateway_retry_max=3",
    )
    try:
        with server.client(timeout=60) as http:
            kernel_id = http.post("api/kernels", json={}).json()["id"]
            with KernelSocket(server, kernel_id, v1=v1) as sock:
                execute(sock, "x = 1")
                proxy.drop()  # the gateway's websocket drops; the kernel lives on
                # Sent while Carnet reconnects: held, then delivered; the state is the same.
                assert execute(sock, "x += 1; print(x)").strip() == "2"
                assert "is back on the gateway" in server.output()

                # The gateway stays away: after gateway_retry_max tries, the page's
                # websocket is closed (1011) instead of waiting forever.
                proxy.refuse()
                proxy.drop()
                with pytest.raises(ConnectionClosed) as closed:
                    while True:
                        sock.recv(timeout=30)
                assert closed.value.rcvd is not None and closed.value.rcvd.code == 1011
                assert "Gave up reconnecting" in server.output()
            proxy.accept()
            # A new websocket works once the gateway is reachable again.
            with KernelSocket(server, kernel_id, v1=v1) as sock:
                assert execute(sock, "print(x)").strip() == "2"
            assert http.delete(f"api/kernels/{kernel_id}").status_code == 204
    finally:
        server.stop()


def test_hung_gateway_times_out(tmp_path: Path, gateway: Gateway) -> None:
    # request_timeout is at least KERNEL_LAUNCH_TIMEOUT + launch_timeout_pad (1 + 1).
    server = carnet(
        tmp_path,
        gateway,
        "--GatewayClient.request_timeout=1",
        "--GatewayClient.launch_timeout_pad=1",
        KERNEL_LAUNCH_TIMEOUT="1",
    )
    assert gateway.process is not None
    try:
        with server.client(timeout=60) as http:
            assert http.get("api/kernels").status_code == 200
            os.kill(gateway.process.pid, signal.SIGSTOP)  # accepts connections, answers none
            try:
                hung = http.get("api/kernels")
                assert hung.status_code == 504, hung.text
                assert gateway.url in hung.json()["message"]
                assert http.get("api/contents").status_code == 200  # the server is not stuck
            finally:
                os.kill(gateway.process.pid, signal.SIGCONT)
            wait_until(lambda: http.get("api/kernels").status_code == 200, 30, "the gateway")
    finally:
        server.stop()


def test_output_printed_while_reconnecting_is_not_lost(
    tmp_path: Path,
    gateway: Gateway,
    proxy: TcpProxy,
) -> None:
    # The relay reconnects with the page's session_id, and the gateway (Jupyter Server's
    # kernel websocket) keeps what that session missed meanwhile and sends it then.
    server = launch(
        ServerDirs(tmp_path / "carnet"),
        f"--gateway-url={proxy.url}",
        f"--GatewayClient.auth_token={gateway.token}",
        "--GatewayClient.gateway_retry_interval=0.5",
    )
    try:
        with server.client(timeout=60) as http:
            kernel_id = http.post("api/kernels", json={}).json()["id"]
            with KernelSocket(server, kernel_id, v1=True) as sock:
                code = "import time\nfor i in range(8):\n    print(i)\n    time.sleep(0.2)"
                msg_id = sock.send("shell", "execute_request", {"code": code})
                printed: list[str] = []
                dropped = False
                while True:
                    channel, msg = sock.recv(timeout=30)
                    if msg.parent_header.get("msg_id") != msg_id or channel != "iopub":
                        continue
                    if msg.msg_type == "stream":
                        printed.append(msg.content["text"])
                        if not dropped:
                            proxy.drop()
                            dropped = True
                    if msg.msg_type == "status" and msg.content["execution_state"] == "idle":
                        break
                assert "".join(printed).split() == [str(i) for i in range(8)]
                assert "is back on the gateway" in server.output()
            http.delete(f"api/kernels/{kernel_id}")
    finally:
        server.stop()
