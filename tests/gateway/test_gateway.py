"""Gateway mode against a real Jupyter Kernel Gateway and Enterprise Gateway (conftest.py):
kernels and kernelspecs live there."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import InvalidHandshake

from tests.gateway.gwproc import LOGO, SPEC_NAME, Gateway
from tests.server.kernels.wsclient import KernelSocket
from tests.support.servers import RunningServer, ServerDirs, launch
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.timeout(240)]


def carnet(tmp_path: Path, gw: Gateway, *args: str, **env: str) -> RunningServer:
    dirs = ServerDirs(tmp_path / "carnet")
    defaults = ["--GatewayClient.request_timeout=30", "--GatewayClient.connect_timeout=5"]
    given = {a.split("=")[0] for a in args}
    return launch(
        dirs,
        f"--gateway-url={gw.url}",
        f"--GatewayClient.auth_token={gw.token}",
        *(a for a in defaults if a.split("=")[0] not in given),
        *args,
        env=dirs.env(**env),
    )


@pytest.fixture
def server(tmp_path: Path, gateway: Gateway) -> Iterator[RunningServer]:
    srv = carnet(
        tmp_path,
        gateway,
        "--GatewayClient.allowed_envs=CARNET_GW_ALLOWED",
        "--GatewayClient.gateway_retry_interval=0.2",
        CARNET_GW_ALLOWED="sent-by-carnet",
        CARNET_GW_SECRET="kept-local",
    )
    yield srv
    with srv.client() as http:
        for kernel in http.get("api/kernels").json():
            http.delete(f"api/kernels/{kernel['id']}")
    srv.stop()


def execute(sock: KernelSocket, code: str) -> str:
    """Run `code`; the text it printed (stdout), once the kernel is idle again."""
    msg_id = sock.send("shell", "execute_request", {"code": code, "silent": False})
    out: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        channel, msg = sock.recv(timeout=60)
        if msg.parent_header.get("msg_id") != msg_id:
            continue
        if channel == "iopub" and msg.msg_type == "stream":
            out.append(msg.content["text"])
        if channel == "iopub" and msg.msg_type == "error":
            out.append("\n".join(msg.content["traceback"]))
        if (
            channel == "iopub"
            and msg.msg_type == "status"
            and msg.content["execution_state"] == "idle"
        ):
            return "".join(out)
    pytest.fail(f"no idle after {code!r}")


def test_kernelspecs_and_logo_come_from_the_gateway(server: RunningServer) -> None:
    with server.client() as http:
        specs = http.get("api/kernelspecs").json()
        assert specs["default"] == SPEC_NAME
        assert SPEC_NAME in specs["kernelspecs"]  # Carnet itself has no such kernelspec
        spec = specs["kernelspecs"][SPEC_NAME]
        assert spec["spec"]["display_name"] == "Only on the gateway"
        logo_url = spec["resources"]["logo-64x64"]
        assert logo_url.startswith("/kernelspecs/gwonly/")  # served by Carnet, not the gateway
        logo = http.get(logo_url.lstrip("/"))
        assert logo.status_code == 200
        assert logo.content == LOGO
        assert logo.headers["content-type"] == "image/png"
        assert http.get(f"api/kernelspecs/{SPEC_NAME}").json()["name"] == SPEC_NAME
        assert http.get("api/kernelspecs/nope").status_code == 404
        assert http.get("kernelspecs/gwonly/nope.png").status_code == 404


@pytest.mark.parametrize("v1", [True, False], ids=["v1", "legacy"])
def test_kernel_lifecycle_through_carnet(server: RunningServer, gateway: Gateway, v1: bool) -> None:
    with server.client(timeout=60) as http:
        started = http.post("api/kernels", json={"name": SPEC_NAME})
        assert started.status_code == 201, started.text
        kernel_id = started.json()["id"]
        assert gateway.has_kernel(kernel_id)
        assert http.get(f"api/kernels/{kernel_id}").json()["name"] == SPEC_NAME

        with KernelSocket(server, kernel_id, v1=v1) as sock:
            assert execute(sock, "print(6 * 7)").strip() == "42"
            env = "import os; print(os.environ.get('CARNET_GW_ALLOWED'), "
            env += "os.environ.get('CARNET_GW_SECRET'), os.environ.get('KERNEL_USERNAME'))"
            allowed, secret, user = execute(sock, env).split()
            assert allowed == "sent-by-carnet"
            assert secret == "None"  # not in allowed_envs: never sent
            assert user != "None"

            # An interrupt through Carnet's REST API stops a running cell.
            # (Interrupted once it prints: a signal before the code runs would be lost.)
            sleep = "import time; print('sleeping', flush=True); time.sleep(60)"
            msg_id = sock.send("shell", "execute_request", {"code": sleep})
            wait_until(lambda: _printed(sock, msg_id), 30, "the cell to start sleeping")
            assert http.post(f"api/kernels/{kernel_id}/interrupt").status_code == 204
            reply = _reply(sock, msg_id)
            assert reply.content["status"] == "error"
            assert reply.content["ename"] == "KeyboardInterrupt"

        restarted = http.post(f"api/kernels/{kernel_id}/restart")
        assert restarted.status_code == 200, restarted.text
        with KernelSocket(server, kernel_id, v1=v1) as sock:
            assert "NameError" in execute(sock, "print(time)")  # a fresh interpreter

        assert http.delete(f"api/kernels/{kernel_id}").status_code == 204
        assert http.get(f"api/kernels/{kernel_id}").status_code == 404
        assert not gateway.has_kernel(kernel_id)


def _printed(sock: KernelSocket, msg_id: str) -> bool:
    channel, msg = sock.recv(timeout=30)
    return (
        channel == "iopub"
        and msg.msg_type == "stream"
        and msg.parent_header.get("msg_id") == msg_id
    )


def _reply(sock: KernelSocket, msg_id: str) -> object:
    while True:
        channel, msg = sock.recv(timeout=30)
        if channel == "shell" and msg.parent_header.get("msg_id") == msg_id:
            return msg


def test_kernel_gone_from_gateway_vanishes(server: RunningServer, gateway: Gateway) -> None:
    with server.client(timeout=60) as http:
        created = http.post(
            "api/sessions", json={"path": "a.ipynb", "type": "notebook", "kernel": {}}
        )
        assert created.status_code == 201, created.text
        kernel_id = created.json()["kernel"]["id"]
        assert [k["id"] for k in http.get("api/kernels").json()] == [kernel_id]
        # The gateway culls it (or an operator deletes it there).
        gone = httpx.delete(f"{gateway.url}/api/kernels/{kernel_id}", headers=gateway.headers)
        assert gone.status_code == 204
        assert http.get("api/kernels").json() == []
        assert http.get("api/sessions").json() == []
        assert http.get(f"api/kernels/{kernel_id}").status_code == 404


# Carnet's own answer, whatever the gateway: once is enough (the Kernel Gateway).
@pytest.mark.parametrize("shared_gateway", ["kg"], indirect=True)
def test_runs_say_they_do_not_apply(server: RunningServer) -> None:
    with server.client(timeout=60) as http:
        kernel_id = http.post("api/kernels", json={}).json()["id"]
        runs = http.get(f"api/kernels/{kernel_id}/runs")
        assert runs.status_code == 501
        assert "gateway" in runs.json()["message"]
        adopt = http.post(f"api/kernels/{kernel_id}/runs/adopt", json={"session_id": "s"})
        assert adopt.status_code == 501
        assert http.get("api/kernels/nope/runs").status_code == 404


def test_gateway_down_then_back(tmp_path: Path, gateway: Gateway) -> None:
    server = carnet(tmp_path, gateway)
    try:
        with server.client(timeout=30) as http:
            assert http.get("api/kernelspecs").status_code == 200
            gateway.kill()
            for method, path in (("GET", "api/kernels"), ("POST", "api/kernels")):
                down = http.request(method, path, json={} if method == "POST" else None)
                assert down.status_code == 503, down.text
                assert gateway.url in down.json()["message"]
            assert http.get("api/kernelspecs").status_code == 503
            with pytest.raises(InvalidHandshake):  # refused at once, not left hanging
                KernelSocket(server, "any-kernel")
            assert http.get("api/contents").status_code == 200  # the server stays up
            gateway.start()  # same port
            started = http.post("api/kernels", json={})
            assert started.status_code == 201, started.text
            kernel_id = started.json()["id"]
            with KernelSocket(server, kernel_id, v1=True) as sock:
                assert execute(sock, "print('back')").strip() == "back"
            assert http.delete(f"api/kernels/{kernel_id}").status_code == 204
    finally:
        server.stop()
