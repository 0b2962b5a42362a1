"""Kernel start and round trip through a real Jupyter Kernel Gateway, in the same run:
directly on the gateway, through Carnet (`--gateway-url`), and through Jupyter Server
(`jupyter server --gateway-url`).

Start: POST /api/kernels until the 201. Round trip: `1+1` over the kernel websocket (the
legacy JSON protocol: Kernel Gateway 3 speaks no other), from the execute_request to the
idle status, median of 20 on one kernel. `python -m bench.gateway_bench [KERNELS]`.

Measured 2026-12-05 (2 shared cores, other work running: +-50% between rounds), Kernel
Gateway 3.0.1 and Carnet's kernel, medians of 3 kernels, two rounds:
    gateway directly         start  130 /  74 ms   round trip 52 / 48 ms
    through carnet           start  149 / 329 ms   round trip 48 / 74 ms
    through jupyter_server   start  205 / 164 ms   round trip 63 / 72 ms
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from tests.gateway.gwproc import SPEC_NAME, Gateway, gateway_python
from tests.server.kernels.wsclient import KernelSocket
from tests.support.servers import RunningServer, ServerDirs, launch, launch_jupyter

ROUND_TRIPS = 20


class _Direct:
    """The gateway itself, seen as a server (its URL, token and websocket)."""

    def __init__(self, gw: Gateway) -> None:
        self.url = gw.url + "/"
        self.auth_headers = gw.headers


def _round_trip(sock: KernelSocket) -> float:
    started = time.monotonic()
    msg_id = sock.send("shell", "execute_request", {"code": "1+1", "silent": False})
    while True:
        channel, msg = sock.recv(timeout=60)
        if (
            channel == "iopub"
            and msg.msg_type == "status"
            and msg.parent_header.get("msg_id") == msg_id
            and msg.content["execution_state"] == "idle"
        ):
            return time.monotonic() - started


def measure(server: Any, kernels: int) -> tuple[list[float], list[float]]:
    starts, trips = [], []
    with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=60) as http:
        for _ in range(kernels):
            started = time.monotonic()
            reply = http.post("api/kernels", json={"name": SPEC_NAME})
            starts.append(time.monotonic() - started)
            reply.raise_for_status()
            kernel_id = reply.json()["id"]
            with KernelSocket(server, kernel_id) as sock:
                _round_trip(sock)  # the first one warms the kernel up
                trips += [_round_trip(sock) for _ in range(ROUND_TRIPS)]
            http.delete(f"api/kernels/{kernel_id}")
    return starts, trips


def main(argv: list[str]) -> int:
    kernels = int(argv[0]) if argv else 3
    python = gateway_python()
    if python is None:
        print("jupyter_kernel_gateway is not installed", file=sys.stderr)
        return 1
    base = Path(tempfile.mkdtemp(prefix="carnet-gw-bench-"))
    (base / "gw").mkdir()
    gw = Gateway(python, base / "gw").start()
    args = [f"--GatewayClient.url={gw.url}", f"--GatewayClient.auth_token={gw.token}"]
    servers: dict[str, Any] = {"gateway directly": _Direct(gw)}
    started: list[RunningServer] = []
    try:
        started.append(launch(ServerDirs(base / "carnet"), *args))
        servers["through carnet"] = started[-1]
        started.append(launch_jupyter(ServerDirs(base / "jupyter"), *args))
        servers["through jupyter_server"] = started[-1]
        for _round in range(2):
            for name, server in servers.items():
                starts, trips = measure(server, kernels)
                print(
                    f"{name:24} kernel start median {statistics.median(starts) * 1000:6.0f} ms"
                    f"   1+1 round trip median {statistics.median(trips) * 1000:5.2f} ms"
                )
    finally:
        for server in started:
            server.stop()
        gw.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
