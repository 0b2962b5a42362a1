"""Carnet's kernel against ipykernel, same client, same run.

Measures: process start to kernel_info_reply; execute round trip of `1+1`
(median and p99); stdout throughput of 200,000 prints until idle; idle RSS.
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.compare import compare
from bench.zmq_client import BenchClient
from carnet.connection_files import write_connection_file
from carnet.protocol.connection_file import ConnectionInfo

KERNELS = {
    "carnet": [sys.executable, "-m", "carnet.kernel", "-f"],
    "ipykernel": [sys.executable, "-m", "ipykernel_launcher", "-f"],
}


def _free_ports(n: int) -> list[int]:
    import socket

    socks = []
    for _ in range(n):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


@contextmanager
def running_kernel(
    name: str, workdir: Path
) -> Iterator[tuple[subprocess.Popen[bytes], BenchClient, float]]:
    ports = _free_ports(5)
    info = ConnectionInfo(*ports, key=secrets.token_hex(16))
    path = write_connection_file(info, workdir / f"kernel-{name}-{ports[0]}.json")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*KERNELS[name], str(path)],
        env=env,
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = BenchClient(info)
    try:
        request = client.send("kernel_info_request")
        client.shell_reply(request, timeout=60)
        startup = time.perf_counter() - started
        client.wait_for_iopub()
        yield proc, client, startup
    finally:
        try:
            client.send("shutdown_request", {"restart": False})
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        client.close()


def execute(client: BenchClient, code: str, timeout: float = 120) -> list[Any]:
    request = client.send(
        "execute_request",
        {"code": code, "silent": False, "store_history": True, "allow_stdin": False},
    )
    output = client.iopub_until_idle(request, timeout)
    client.shell_reply(request, timeout)
    return output


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def measure(name: str, round_trips: int, prints: int, starts: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        start_times = []
        for _ in range(starts):
            with running_kernel(name, workdir) as (_, _, startup):
                start_times.append(startup)
        with running_kernel(name, workdir) as (proc, client, _):
            execute(client, "1+1")
            samples = []
            for _ in range(round_trips):
                t0 = time.perf_counter()
                request = client.send("execute_request", {"code": "1+1"})
                client.shell_reply(request)
                samples.append(time.perf_counter() - t0)
                client.iopub_until_idle(request)
            samples.sort()
            t0 = time.perf_counter()
            output = execute(client, f"for i in range({prints}):\n    print(i)")
            elapsed = time.perf_counter() - t0
            text = "".join(m.content["text"] for m in output if m.msg_type == "stream")
            lines = text.count("\n")
            if lines != prints:
                raise RuntimeError(f"{name}: received {lines} of {prints} lines")
            time.sleep(1.0)
            rss = rss_kib(proc.pid)
    return {
        "start_s": statistics.median(start_times),
        "rt_median_ms": statistics.median(samples) * 1000,
        "rt_p99_ms": samples[int(len(samples) * 0.99) - 1] * 1000,
        "print_lines_per_s": prints / elapsed,
        "stream_msgs": float(sum(1 for m in output if m.msg_type == "stream")),
        "idle_rss_mib": rss / 1024,
    }


TARGETS = {
    # metric: (direction, target ratio carnet/ipykernel)
    "start_s": ("<=", 0.5),
    "rt_median_ms": ("<=", 0.5),
    "rt_p99_ms": ("<=", 0.5),
    "print_lines_per_s": (">=", 2.0),
    "idle_rss_mib": ("<=", 1.0),
}


def run(round_trips: int = 1000, prints: int = 200_000, starts: int = 5) -> dict[str, Any]:
    results = {name: measure(name, round_trips, prints, starts) for name in KERNELS}
    rows = compare(results["carnet"], results["ipykernel"], TARGETS)
    return {"results": results, "comparison": rows}
