"""The long version of the reliability load tests: `make stress` (about 4 minutes).

Usage: python bench/stress.py [--seconds 120]

Starts one real Carnet server and, in turn: 20 kernels at once, 50 websockets
on one kernel, 200 concurrent REST requests, sustained streaming for
--seconds (3 kernels x 3 websockets, every line counted), a flooding kernel
with a reader that never reads, and 100 kernel start/stop cycles. Prints each
figure and the server's footprint (RSS, fds, children, connection files)
before and after; exits non-zero if a line was lost or something leaked.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def flood(server: object, seconds: float) -> str:
    """A kernel printing without end, one websocket never read: the server's peak RSS, and
    how long another kernel's `print(1)` round trip takes meanwhile (a test asserted it
    under 2 s; tests/reliability now checks only that it answers)."""
    from tests.reliability import load
    from tests.server.kernels.wsclient import KernelSocket, stdout_of
    from tests.support.procs import rss_kib

    with load.client(server) as http:  # type: ignore[arg-type]
        kernel_id, other_id = load.start(http), load.start(http)
        pid = server.process.pid  # type: ignore[attr-defined]
        base = rss_kib(pid)
        latencies: list[float] = []
        with KernelSocket(server, kernel_id) as stuck, KernelSocket(server, other_id) as other:
            stdout_of(other.execute("print(0)"))  # warm
            stuck.send("shell", "execute_request", {"code": "while True: print('x' * 1000)"})
            peak = base
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                peak = max(peak, rss_kib(pid))
                started = time.perf_counter()
                if stdout_of(other.execute("print(1)", timeout=60)) != "1\n":
                    raise RuntimeError("the other kernel's output was wrong during the flood")
                latencies.append(time.perf_counter() - started)
                time.sleep(0.25)
            http.post(f"api/kernels/{kernel_id}/interrupt").raise_for_status()
        for kernel in (kernel_id, other_id):
            http.delete(f"api/kernels/{kernel}").raise_for_status()
    return (
        f"flooding kernel, unread websocket, {seconds:g}s: RSS {base} KiB -> peak {peak} KiB; "
        f"another kernel's round trip max {max(latencies):.3f}s (was a test bound: 2 s)"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0, help="sustained load duration")
    args = parser.parse_args(argv)

    from tests.reliability import load
    from tests.server.conftest import ServerDirs, launch

    with tempfile.TemporaryDirectory(prefix="carnet-stress-") as base:
        server = launch(ServerDirs(Path(base)))
        try:
            load.start_stop_cycles(server, 4)  # warm up
            time.sleep(1)
            before = load.Footprint.of(server)
            print(f"server footprint before: {before}", flush=True)
            runs = [
                lambda: load.many_kernels(server, 20),
                lambda: load.many_clients_fresh(server, 50, 2000),
                lambda: load.rest_burst(server, 200),
                lambda: load.sustained(server, args.seconds, kernels=3, clients=3),
                lambda: load.start_stop_cycles(server, 100),
            ]
            for run in runs:
                print(run().line(), flush=True)
            print(flood(server, 30), flush=True)
            time.sleep(3)
            after = load.Footprint.of(server)
            print(f"server footprint after:  {after}")
        finally:
            server.stop()
    leaked = (
        after.fds > before.fds
        or after.children
        or after.connection_files
        or after.rss_kib - before.rss_kib > 100_000
    )
    print("LEAK" if leaked else "no leak: descriptors, children and connection files back")
    return 1 if leaked else 0


if __name__ == "__main__":
    if not __package__:
        # `python bench/stress.py` puts bench/ first on sys.path, not the repository: run
        # this file again as the module bench.stress from the root (see bench/run.py).
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "bench.stress", *sys.argv[1:]])
    sys.exit(main(sys.argv[1:]))
