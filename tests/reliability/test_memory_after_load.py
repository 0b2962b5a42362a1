"""Server memory comes back after bursts of output to many websockets.

30 clients each receive 11,000 messages from one kernel, then leave, twice. Once they are
gone the server must be back near its idle resident memory (see MAX_GROWTH): what the
burst queued is freed and given back to the system, not kept for the life of the server.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.reliability.bursts import fan_out, settled_rss
from tests.reliability.conftest import rss_kib, start_kernel
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.server.kernels.wsclient import KernelSocket, stdout_of
from tests.support.waiting import wait_until

CLIENTS = 30
MESSAGES = 11_000


# A first, small burst of the same shape: what the server loads or builds once (the
# websocket protocol, 30 connections' worth of buffers and threads) belongs to its idle
# size; what the big burst leaves beyond that is what must come back.
WARM_UP_MESSAGES = 500
# Issue #12's goal: back within +10% of the warmed-up idle size once the clients are gone
# and the server has given freed memory back (server/malloc.py). Measured +3% to +8%; a
# backlog kept for closed clients once left the server at +118% (85 MiB) for ten minutes.
MAX_GROWTH = 1.10


def _still_above(pid: int, baseline: int, burst_number: int, peak: int) -> Callable[[], str]:
    """The failure's words, asked at the end: the RSS it stayed at, not the peak."""
    return lambda: (
        f"RSS within {MAX_GROWTH - 1:+.0%} of {baseline} KiB after burst {burst_number} "
        f"(peak {peak} KiB, still {rss_kib(pid)} KiB)"
    )


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = launch(ServerDirs(tmp_path_factory.mktemp("memory")))
    yield running
    running.stop()


# Alone: with a second test worker loading the machine, a burst queues more in the server
# and it settled at +13% once.
@pytest.mark.alone
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
        fan_out(server, http, kernel_id, CLIENTS, WARM_UP_MESSAGES)
        baseline = settled_rss(pid)
        # Twice: what a burst leaves behind must not pile up either.
        for burst_number in (1, 2):
            received, peak = fan_out(server, http, kernel_id, CLIENTS, MESSAGES)
            left = time.monotonic()
            # Freed memory is given back some seconds after the last websocket closed.
            settled = wait_until(
                lambda: (rss := rss_kib(pid)) <= baseline * MAX_GROWTH and rss,
                timeout=30,
                what=_still_above(pid, baseline, burst_number, peak),
            )
            print(
                f"\nserver RSS: idle {first / 1024:.1f} MiB, warmed up {baseline / 1024:.1f} MiB; "
                f"burst {burst_number}: {CLIENTS} clients x {min(received)}+ messages "
                f"{peak / 1024:.1f} MiB, then {settled / 1024:.1f} MiB "
                f"({settled / baseline - 1:+.0%} of warmed up, {settled / first - 1:+.0%} of idle) "
                f"{time.monotonic() - left:.1f}s after they left"
            )
