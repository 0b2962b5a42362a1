"""Load generators shared by tests/reliability/test_load.py and bench/stress.py.

Each drives a real server over loopback (REST with httpx, kernels over the
websocket) and returns figures; every message is counted end to end.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx

from tests.reliability.conftest import children, open_fds, rss_kib
from tests.server.conftest import RunningServer
from tests.server.kernels.wsclient import KernelSocket


@dataclass
class Footprint:
    """What a leak would grow: server memory, descriptors, kernels and their files."""

    rss_kib: int
    fds: int
    children: int
    connection_files: int

    @classmethod
    def of(cls, server: RunningServer) -> Footprint:
        pid = server.process.pid
        return cls(
            rss_kib(pid),
            open_fds(pid),
            len(children(pid)),
            len(list(server.dirs.runtime.glob("kernel-*.json"))),
        )


@dataclass
class Figures:
    name: str
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        counts = ", ".join(f"{k}={v}" for k, v in self.counts.items())
        return f"{self.name}: {self.seconds:.2f}s {counts}"


def client(server: RunningServer) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=120)


def start(http: httpx.Client) -> str:
    response = http.post("api/kernels", json={})
    # The server's reason, not only its status: a failed start says why in its body.
    assert response.status_code == 201, (response.status_code, response.text)
    return str(response.json()["id"])


def lines_printed(sock: KernelSocket, count: int, timeout: float = 60.0) -> int:
    """Run a loop printing 0..count-1; how many distinct lines, in order, came back."""
    messages = sock.execute(f"for i in range({count}): print(i)", timeout=timeout)
    return _in_order(messages, count)


def _in_order(messages: list[object], count: int) -> int:
    text = "".join(
        m.content["text"]  # type: ignore[attr-defined]
        for m in messages
        if m.msg_type == "stream"  # type: ignore[attr-defined]
    )
    got = text.splitlines()
    assert got == [str(i) for i in range(count)], f"{len(got)} of {count} lines, or out of order"
    return len(got)


def many_kernels(server: RunningServer, count: int) -> Figures:
    """`count` kernels started at once, each running code over its websocket."""
    figures = Figures(f"{count} kernels at once")
    started = time.monotonic()
    with client(server) as http, ThreadPoolExecutor(count) as pool:
        ids = list(pool.map(lambda _: start(http), range(count)))

        def run(kernel_id: str) -> int:
            with KernelSocket(server, kernel_id) as sock:
                return lines_printed(sock, 100)

        figures.counts["lines"] = sum(pool.map(run, ids))
        list(pool.map(lambda k: http.delete(f"api/kernels/{k}").raise_for_status(), ids))
    figures.seconds = time.monotonic() - started
    figures.counts["kernels"] = count
    return figures


def many_clients(server: RunningServer, kernel_id: str, count: int, lines: int) -> Figures:
    """`count` websockets on one kernel; every one must see every line of one run."""
    figures = Figures(f"{count} websockets on one kernel")
    sockets = [KernelSocket(server, kernel_id) for _ in range(count)]
    try:
        started = time.monotonic()
        runner = sockets[0]
        msg_id = runner.send(
            "shell", "execute_request", {"code": f"for i in range({lines}): print(i)"}
        )
        with ThreadPoolExecutor(count) as pool:
            seen = list(pool.map(lambda s: _iopub_lines(s, msg_id, lines), sockets))
        figures.seconds = time.monotonic() - started
    finally:
        for sock in sockets:
            sock.close()
    figures.counts = {"clients": count, "lines_each": lines, "lines_total": sum(seen)}
    return figures


def many_clients_fresh(server: RunningServer, count: int, lines: int) -> Figures:
    """many_clients on a kernel started for it, and shut down after."""
    with client(server) as http:
        kernel_id = start(http)
        try:
            return many_clients(server, kernel_id, count, lines)
        finally:
            http.delete(f"api/kernels/{kernel_id}")


def _iopub_lines(sock: KernelSocket, msg_id: str, lines: int) -> int:
    got: list[object] = []
    deadline = time.monotonic() + 90
    while True:
        _, msg = sock.recv(max(0.1, deadline - time.monotonic()))
        if msg.parent_msg_id != msg_id:
            continue
        got.append(msg)
        if msg.msg_type == "status" and msg.content.get("execution_state") == "idle":
            return _in_order(got, lines)


def rest_burst(server: RunningServer, count: int) -> Figures:
    """`count` concurrent REST requests of several kinds; all must succeed."""
    figures = Figures(f"{count} concurrent REST requests")
    paths = ["api/status", "api/kernels", "api/contents", "api/kernelspecs", "api/sessions"]
    started = time.monotonic()
    with client(server) as http, ThreadPoolExecutor(50) as pool:
        codes = list(pool.map(lambda i: http.get(paths[i % len(paths)]).status_code, range(count)))
    figures.seconds = time.monotonic() - started
    figures.counts = {"ok": codes.count(200), "errors": len(codes) - codes.count(200)}
    return figures


def sustained(server: RunningServer, seconds: float, kernels: int, clients: int) -> Figures:
    """Kernels printing without pause for `seconds`; each run's lines all arrive."""
    figures = Figures(f"sustained output, {kernels} kernels x {clients} clients")
    started = time.monotonic()
    with client(server) as http:
        ids = [start(http) for _ in range(kernels)]
        total = runs = 0

        def stream(kernel_id: str) -> tuple[int, int]:
            watchers = [KernelSocket(server, kernel_id) for _ in range(clients)]
            lines = done = 0
            try:
                while time.monotonic() - started < seconds:
                    msg_id = watchers[0].send(
                        "shell", "execute_request", {"code": "for i in range(5000): print(i)"}
                    )
                    lines += sum(_iopub_lines(w, msg_id, 5000) for w in watchers)
                    done += 1
            finally:
                for w in watchers:
                    w.close()
            return lines, done

        with ThreadPoolExecutor(kernels) as pool:
            for lines, done in pool.map(stream, ids):
                total += lines
                runs += done
        for kernel_id in ids:
            http.delete(f"api/kernels/{kernel_id}").raise_for_status()
    figures.seconds = time.monotonic() - started
    figures.counts = {"runs": runs, "lines_received": total, "lines_lost": 0}
    return figures


def start_stop_cycles(server: RunningServer, cycles: int, parallel: int = 4) -> Figures:
    figures = Figures(f"{cycles} kernel start/stop cycles")
    started = time.monotonic()
    with client(server) as http, ThreadPoolExecutor(parallel) as pool:

        def cycle(_: int) -> None:
            kernel_id = start(http)
            http.delete(f"api/kernels/{kernel_id}").raise_for_status()

        list(pool.map(cycle, range(cycles)))
    figures.seconds = time.monotonic() - started
    figures.counts = {"cycles": cycles}
    return figures
