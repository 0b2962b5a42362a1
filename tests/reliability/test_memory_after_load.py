"""Server memory comes back after bursts of output to many websockets.

30 clients each receive 11,000 messages from one kernel, then leave, twice. Once they are
gone the server must be back near its idle resident memory (see MAX_GROWTH): what the
burst queued is freed and given back to the system, not kept for the life of the server.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.reliability.conftest import rss_kib, start_kernel
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.server.kernels.wsclient import KernelSocket, stdout_of
from tests.support.waiting import wait_until

CLIENTS = 30
MESSAGES = 11_000


# One display_data message each (printed lines would be merged into few stream messages),
# at most 1,000 a second: faster than the server fans them out to 30 clients, the kernel's
# zmq socket would drop some (its high-water mark), and the clients would get fewer.
def burst(messages: int) -> str:
    return (
        "import time\nfrom IPython.display import display\n"
        f"for i in range({messages}):\n    display(i)\n    i % 50 == 49 and time.sleep(0.05)"
    )


# A first, small burst of the same shape: what the server loads or builds once (the
# websocket protocol, 30 connections' worth of buffers and threads) belongs to its idle
# size; what the big burst leaves beyond that is what must come back.
WARM_UP_MESSAGES = 500
# Issue #12's goal: back within +10% of the warmed-up idle size once the clients are gone
# and the server has given freed memory back (server/malloc.py). Measured +3% to +8%; a
# backlog kept for closed clients once left the server at +118% (85 MiB) for ten minutes.
MAX_GROWTH = 1.10


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = launch(ServerDirs(tmp_path_factory.mktemp("memory")))
    yield running
    running.stop()


def _frames_until_idle(sock: KernelSocket, msg_id: str) -> int:
    """Frames received until the run's idle status (counted undecoded: 330,000 of them)."""
    frames = 0
    while True:
        frame = sock.ws.recv(timeout=120)
        assert isinstance(frame, str)
        frames += 1
        if msg_id in frame and '"idle"' in frame and '"status"' in frame:
            return frames


@pytest.mark.slow
def test_memory_comes_back_after_thirty_clients_get_eleven_thousand_messages(
    server: RunningServer,
) -> None:
    pid = server.process.pid
    with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=60) as http:
        kernel_id = start_kernel(http)
        with KernelSocket(server, kernel_id) as sock:
            assert stdout_of(sock.execute("print('ready')")) == "ready\n"
        first = rss_kib(pid)
        _fan_out(server, http, kernel_id, WARM_UP_MESSAGES)
        baseline = _settled_rss(pid)
        # Twice: what a burst leaves behind must not pile up either.
        for burst_number in (1, 2):
            received, peak = _fan_out(server, http, kernel_id, MESSAGES)
            left = time.monotonic()
            # Freed memory is given back some seconds after the last websocket closed.
            settled = wait_until(
                lambda: (rss := rss_kib(pid)) <= baseline * MAX_GROWTH and rss,
                timeout=30,
                what=f"RSS within {MAX_GROWTH - 1:+.0%} of {baseline} KiB (now {rss_kib(pid)})",
            )
            print(
                f"\nserver RSS: idle {first / 1024:.1f} MiB, warmed up {baseline / 1024:.1f} MiB; "
                f"burst {burst_number}: {CLIENTS} clients x {min(received)}+ messages "
                f"{peak / 1024:.1f} MiB, then {settled / 1024:.1f} MiB "
                f"({settled / baseline - 1:+.0%} of warmed up, {settled / first - 1:+.0%} of idle) "
                f"{time.monotonic() - left:.1f}s after they left"
            )


def _fan_out(
    server: RunningServer, http: httpx.Client, kernel_id: str, messages: int
) -> tuple[list[int], int]:
    """CLIENTS websockets each get `messages` outputs, then close; (frames each, peak RSS)."""
    sockets = [KernelSocket(server, kernel_id) for _ in range(CLIENTS)]
    try:
        msg_id = sockets[0].send("shell", "execute_request", {"code": burst(messages)})
        with ThreadPoolExecutor(CLIENTS) as pool:
            received = list(pool.map(lambda s: _frames_until_idle(s, msg_id), sockets))
        peak = rss_kib(server.process.pid)
    finally:
        for sock in sockets:
            sock.close()
    assert min(received) >= messages, received
    wait_until(lambda: http.get(f"api/kernels/{kernel_id}").json()["connections"] == 0)
    return received, peak


def _settled_rss(pid: int) -> int:
    """RSS once it stopped falling (the trim after the last websocket closed has run)."""
    readings = [rss_kib(pid)]

    def steady() -> bool:
        readings.append(rss_kib(pid))
        return len(readings) > 60 and readings[-1] >= min(readings[-60:-1])

    wait_until(steady, 30, "server RSS to settle")
    return readings[-1]
