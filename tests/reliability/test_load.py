"""Load on one real server: many kernels, many websockets, bursts of REST, sustained
streaming with every line counted, and start/stop cycles that must leak nothing.

`make stress` runs the same generators for two minutes and prints the figures.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.reliability import load
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

SUSTAINED_SECONDS = float(os.environ.get("CARNET_SUSTAINED_SECONDS", "12"))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = launch(ServerDirs(tmp_path_factory.mktemp("load")))
    yield running
    running.stop()


def settled(server: RunningServer, before: load.Footprint) -> load.Footprint:
    """The footprint once kernels are gone (their processes reaped, files removed)."""

    def check() -> load.Footprint | None:
        now = load.Footprint.of(server)
        quiet = now.children == 0 and now.connection_files == 0 and now.fds <= before.fds
        return now if quiet else None

    return wait_until(check, timeout=15, what="the server to release its kernels")  # type: ignore[no-any-return]


def test_twenty_kernels_at_once(server: RunningServer) -> None:
    figures = load.many_kernels(server, 20)
    print(figures.line())
    assert figures.counts["lines"] == 20 * 100


def test_fifty_websockets_on_one_kernel_all_get_every_line(server: RunningServer) -> None:
    with load.client(server) as http:
        kernel_id = load.start(http)
        try:
            figures = load.many_clients(server, kernel_id, 50, 2000)
        finally:
            http.delete(f"api/kernels/{kernel_id}")
    print(figures.line())
    assert figures.counts["lines_total"] == 50 * 2000


def test_two_hundred_concurrent_rest_requests(server: RunningServer) -> None:
    figures = load.rest_burst(server, 200)
    print(figures.line())
    assert figures.counts == {"ok": 200, "errors": 0}


def test_sustained_streaming_loses_nothing_and_leaves_the_server_flat(
    server: RunningServer,
) -> None:
    # A first round warms caches up; the second must not grow memory or descriptors.
    load.sustained(server, 3, kernels=2, clients=2)
    before = settled(server, load.Footprint.of(server))
    figures = load.sustained(server, SUSTAINED_SECONDS, kernels=3, clients=3)
    after = settled(server, before)
    print(figures.line(), f"| before {before} | after {after}")
    assert figures.counts["runs"] >= 3
    assert figures.counts["lines_received"] == figures.counts["runs"] * 5000 * 3
    assert after.fds <= before.fds
    assert after.rss_kib - before.rss_kib < 30_000, (before, after)


def test_a_hundred_start_stop_cycles_leak_nothing(server: RunningServer) -> None:
    load.start_stop_cycles(server, 4)  # warm up
    before = settled(server, load.Footprint.of(server))
    figures = load.start_stop_cycles(server, 100)
    after = settled(server, before)
    print(figures.line(), f"| before {before} | after {after}")
    assert after.fds <= before.fds
    assert after.rss_kib - before.rss_kib < 20_000, (before, after)
