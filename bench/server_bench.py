"""Carnet's server against jupyter_server + ipykernel, same client, same run.

Measures: server start to the first 200 from /api/status; POST /api/kernels to
kernel_info_reply over the websocket; execute round trip over the websocket
(median and p99); a 200,000-line print to idle; saves and loads of 10 MB notebooks
through /api/contents (bench/contents_bench.py); a 20 MB display() to idle
(bench/big_output.py); idle server RSS; 50 websocket clients on one kernel all
receiving one output; server RSS after 30 websockets got 11,000 messages each
(bench/load_memory.py). Both servers start as the tests start them (tests.support.servers:
--port=0, the port read from their info file). Jupyverse (bench/jupyverse.py, its own
venv under .cache/) is measured on the rows it is compared on: start, big display,
10 MB notebooks.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from tests.support.procs import cpu_seconds, rss_kib
from tests.support.servers import ServerDirs, launch, launch_jupyter
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from bench import big_output, contents_bench, load_memory
from bench.compare import Target, compare
from bench.jupyverse import Jupyverse
from carnet.protocol import Message
from carnet.server.ws.formats import V1_SUBPROTOCOL, WsMessage, decode_v1, encode_v1

SERVERS = ("carnet", "jupyter")
# The 200,000-line print, timed this many times (one run varied by half).
PRINT_SAMPLES = 3

JUPYTER_EXTENSIONS = (
    "jupyterlab",
    "notebook",
    "notebook_shim",
    "jupyter_lsp",
    "jupyter_server_terminals",
    "nbclassic",
)


class Server:
    """Carnet's or Jupyter's server (tests.support.servers), timed from launch to ready."""

    def __init__(self, name: str, base: Path) -> None:
        self.name = name
        dirs = ServerDirs(base)
        if name == "jupyter":
            # Plain jupyter_server + ipykernel: switch off the server extensions that
            # JupyterLab or Notebook 7 may have installed (they cost time and memory).
            off = dict.fromkeys(JUPYTER_EXTENSIONS, False)
            settings = {"ServerApp": {"jpserver_extensions": off}}
            (dirs.config / "jupyter_server_config.json").write_text(json.dumps(settings))
        started = time.perf_counter()
        # Polled every 5 ms: the start-up time is a figure.
        if name == "carnet":
            self.server = launch(dirs, timeout=120, interval=0.005)
        else:
            self.server = launch_jupyter(dirs, timeout=120, interval=0.005)
        self.startup = time.perf_counter() - started
        self.headers = self.server.auth_headers
        self.http = httpx.Client(base_url=self.server.url, headers=self.headers, timeout=120)

    def stop(self) -> None:
        self.http.close()
        self.server.stop(timeout=20)
        failure = self.server.log_failure() if self.name == "carnet" else None
        if failure:  # issue 12: none over the whole benchmark run
            raise RuntimeError(f"Carnet's server log shows a failure:\n{failure}")

    def rss_mib(self) -> float:
        return rss_kib(self.server.process.pid) / 1024

    def cpu_s(self) -> float:
        """CPU time the server process has used (user + system)."""
        return cpu_seconds(self.server.process.pid)

    def ws_url(self, kernel_id: str) -> str:
        base = self.server.url.replace("http://", "ws://", 1)
        return f"{base}api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"


def request(msg_type: str, content: dict[str, Any]) -> tuple[str, bytes]:
    msg_id = uuid.uuid4().hex
    header = {
        "msg_id": msg_id,
        "msg_type": msg_type,
        "username": "bench",
        "session": "bench",
        "date": "2026-01-01T00:00:00Z",
        "version": "5.3",
    }
    return msg_id, encode_v1(WsMessage.from_message("shell", Message(header, {}, {}, content)))


def until(ws: Any, msg_id: str, want_idle: bool = True) -> tuple[float, list[Message]]:
    """Messages for a request up to its reply (and its idle status); when the reply came."""
    got: list[Message] = []
    replied_at = 0.0
    idle = not want_idle
    while not (replied_at and idle):
        msg = decode_v1(ws.recv(timeout=300)).decode()
        if msg.parent_msg_id != msg_id:
            continue
        got.append(msg)
        if msg.msg_type.endswith("_reply"):
            replied_at = time.perf_counter()
        idle = idle or (msg.msg_type == "status" and msg.content.get("execution_state") == "idle")
    return replied_at, got


# The fan-out figure is the median of this many lines, each to every client.
FAN_OUT_SAMPLES = 5


def _printing() -> tuple[bytes, bytes]:
    """A marker and an execute_request printing it. The code spells the marker in two
    halves, so only the stream message carries it whole and a client finds it in the raw
    frame: its own decoding of the other messages is no part of the server's figure."""
    marker = uuid.uuid4().hex
    _, frame = request("execute_request", {"code": f"print('{marker[:16]}' + '{marker[16:]}')"})
    return marker.encode(), frame


async def _wait_for_line(ws: Any, marker: bytes) -> None:
    while True:
        raw = await ws.recv()
        if marker in raw:
            msg = decode_v1(raw).decode()
            if msg.msg_type == "stream":
                return


async def _line_to(sender: Any, receivers: list[Any], timeout: float) -> tuple[float, list[Any]]:
    """A line printed through `sender`: how long until every receiver had it, and the
    receivers that had not within `timeout`."""
    marker, frame = _printing()
    t0 = time.perf_counter()
    waiters = {asyncio.create_task(_wait_for_line(ws, marker)): ws for ws in receivers}
    await sender.send(frame)
    done, pending = await asyncio.wait(waiters, timeout=timeout)
    elapsed = time.perf_counter() - t0
    for waiter in pending:
        waiter.cancel()
    await asyncio.gather(*pending, return_exceptions=True)
    for waiter in done:
        waiter.result()
    return elapsed, [waiters[waiter] for waiter in pending]


async def _all_subscribed(name: str, socks: list[Any]) -> None:
    """Every client has received a line printed after it connected. A server may still be
    subscribing a just-opened websocket to the kernel's output (Jupyter's opens a ZeroMQ
    socket per websocket, which misses what is published before it is connected): the
    fan-out figure is the delivery of a line, not that start-up, so lines are printed
    until each client has seen one."""
    waiting = list(socks)
    for _ in range(20):
        _, waiting = await _line_to(socks[0], waiting, timeout=3)
        if not waiting:
            return
    raise RuntimeError(f"{name}: {len(waiting)} of {len(socks)} websocket clients got no output")


async def _one_line_to_all(name: str, socks: list[Any]) -> float:
    elapsed, missed = await _line_to(socks[0], socks, timeout=60)
    if missed:
        raise RuntimeError(
            f"{name}: {len(missed)} of {len(socks)} websocket clients did not "
            "receive the line in 60 s"
        )
    return elapsed


async def fan_out(server: Server, kernel_id: str, clients: int) -> float:
    import websockets

    socks = [
        await websockets.connect(
            server.ws_url(kernel_id),
            additional_headers=server.headers,
            subprotocols=[Subprotocol(V1_SUBPROTOCOL)],
            max_size=None,
        )
        for _ in range(clients)
    ]
    try:
        await _all_subscribed(server.name, socks)
        times = []
        for _ in range(FAN_OUT_SAMPLES):
            times.append(await _one_line_to_all(server.name, socks))
            # The kernel goes idle after each line: its status messages are not timed.
            await asyncio.sleep(0.2)
        return statistics.median(times)
    finally:
        for ws in socks:
            await ws.close()


def measure(name: str, round_trips: int, prints: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        server = Server(name, Path(tmp))
        try:
            time.sleep(1.0)
            rss = server.rss_mib()
            t0 = time.perf_counter()
            kernel_id = server.http.post("api/kernels", json={"name": "python3"}).json()["id"]
            with connect(
                server.ws_url(kernel_id),
                additional_headers=server.headers,
                subprotocols=[Subprotocol(V1_SUBPROTOCOL)],
                max_size=None,
            ) as ws:
                msg_id, frame = request("kernel_info_request", {})
                ws.send(frame)
                until(ws, msg_id, want_idle=False)
                kernel_ready = time.perf_counter() - t0
                msg_id, frame = request("execute_request", {"code": "1+1"})
                ws.send(frame)
                until(ws, msg_id)
                samples = []
                for _ in range(round_trips):
                    msg_id, frame = request("execute_request", {"code": "1+1"})
                    t0 = time.perf_counter()
                    ws.send(frame)
                    replied_at, _ = until(ws, msg_id)
                    samples.append(replied_at - t0)
                samples.sort()
                print_times = []
                for sample in range(PRINT_SAMPLES):
                    if sample:
                        time.sleep(4.0)  # past Jupyter's iopub rate-limit window (3 s)
                    code = f"for i in range({prints}):\n    print(i)"
                    msg_id, frame = request("execute_request", {"code": code})
                    t0 = time.perf_counter()
                    ws.send(frame)
                    _, out = until(ws, msg_id)
                    print_times.append(time.perf_counter() - t0)
                    stream = (m.content.get("text", "") for m in out if m.msg_type == "stream")
                    # Jupyter drops output past its iopub data rate limit; Carnet must not.
                    lines = "".join(stream).count("\n")
                    if name == "carnet" and lines != prints:
                        raise RuntimeError(f"{name}: {lines} of {prints} lines arrived")
                print_time = statistics.median(print_times)
            # Past Jupyter's iopub rate-limit window (3 s): right after the flood it may
            # still be withholding output, and the fan-out's one line would never come.
            time.sleep(4.0)
            fan = asyncio.run(fan_out(server, kernel_id, 50))
            display = big_output.measure(server.ws_url(kernel_id), server.headers)
            contents = contents_bench.measure(server.http, server.cpu_s, server.server.root_dir)
            server.http.delete(f"api/kernels/{kernel_id}")
        finally:
            server.stop()
    return {
        "start_to_status_s": server.startup,
        "kernel_to_info_reply_s": kernel_ready,
        "ws_rt_median_ms": statistics.median(samples) * 1000,
        "ws_rt_p99_ms": samples[max(0, int(len(samples) * 0.99) - 1)] * 1000,
        "print_200k_to_idle_s": print_time,
        "print_lines_received": float(lines),
        "idle_server_rss_mib": rss,
        "fanout_50_clients_s": fan,
        **display,
        **contents,
    }


def measure_jupyverse() -> dict[str, float]:
    """The rows Jupyverse is compared on: the big display and the 10 MB notebooks."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "root"
        root.mkdir()
        server = Jupyverse(root, Path(tmp) / "jupyverse.log")
        try:
            http = httpx.Client(base_url=server.url, timeout=120)
            # Jupyverse starts kernels through sessions only (POST /api/kernels is a 405).
            session = {"kernel": {"name": "python3"}, "name": "b.ipynb", "path": "b.ipynb"}
            made = http.post("api/sessions", json={**session, "type": "notebook"}).json()
            kernel_id = made["kernel"]["id"]
            base = server.url.replace("http://", "ws://", 1)
            url = f"{base}api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
            display = big_output.measure(url, {})
            contents = contents_bench.measure(http, lambda: cpu_seconds(server.process.pid), root)
            http.delete(f"api/sessions/{made['id']}")
            http.close()
        finally:
            server.stop()
    return {"start_to_status_s": server.startup, **display, **contents}


TARGETS = {
    "start_to_status_s": Target(ratio=0.5),
    "kernel_to_info_reply_s": Target(ratio=0.5),
    "ws_rt_median_ms": Target(ratio=0.5),
    "ws_rt_p99_ms": Target(ratio=0.5),
    "print_200k_to_idle_s": Target(ratio=0.3),  # issue 16
    "idle_server_rss_mib": Target(ratio=0.5),
    "fanout_50_clients_s": Target(ratio=0.5),
    **big_output.TARGETS,
    **contents_bench.TARGETS,
    **load_memory.TARGETS,
}


def run(round_trips: int = 1000, prints: int = 200_000) -> dict[str, Any]:
    if shutil.which("jupyter-server") is None:
        raise RuntimeError("jupyter_server is not installed: make bench installs it")
    results = {name: measure(name, round_trips, prints) for name in SERVERS}
    for name in SERVERS:
        results[name].update(load_memory.measure(name))
    results["jupyverse"] = measure_jupyverse()
    rows = compare(results["carnet"], results["jupyter"], TARGETS, results["jupyverse"])
    return {"results": results, "comparison": rows}
