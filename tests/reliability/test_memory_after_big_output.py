"""Server memory comes back after a big display, while the page that got it stays open.

A 27 MB display passes through buffers of its size on its way to the websocket (libzmq's,
the frame, its framing). The server keeps them mapped for the next big message, and gives
them back some seconds after the last (server/malloc.py, ws/channels.py). Before, the
server stayed twice the display's size above where it was until the websocket closed.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.reliability.conftest import rss_kib, start_kernel
from tests.server.conftest import ServerDirs, launch
from tests.server.kernels.wsclient import KernelSocket
from tests.support.notebooks import MAKE_BIG_PNG, SHOW_BIG_PNG
from tests.support.waiting import wait_until

DISPLAYS = 3
DISPLAY = "display_data"
# What may stay: the display itself (the replay ring keeps the last messages sent, for a
# client that resumes) and half as much again. Measured: at most the display's size and
# 0.5% more, often nothing. Before, it was twice the display until the websocket closed.
HELD_AT_MOST = 1.5


@pytest.fixture
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, KernelSocket]]:
    """The server's pid, and a websocket to a kernel of it with MAKE_BIG_PNG run."""
    server = launch(ServerDirs(tmp_path_factory.mktemp("big-output")))
    try:
        with (
            httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=60) as http,
            KernelSocket(server, start_kernel(http)) as sock,
        ):
            sock.execute(MAKE_BIG_PNG, timeout=60)
            sock.execute("display(Image(data=png[:1000]))")  # the display path, warmed up
            yield server.process.pid, sock
    finally:
        server.stop()


def _settle(pid: int, bound: int, display: int) -> int:
    """The server's RSS once at most `bound` KiB; fails if it stays above."""
    settled: int = wait_until(
        lambda: (rss := rss_kib(pid)) <= bound and rss,
        timeout=30,
        what=lambda: f"RSS at most {bound} KiB after display {display} (still {rss_kib(pid)} KiB)",
    )
    return settled


@pytest.mark.slow
def test_memory_comes_back_after_big_displays_with_the_websocket_open(
    served: tuple[int, KernelSocket],
) -> None:
    pid, sock = served
    baseline = rss_kib(pid)
    for display in range(1, DISPLAYS + 1):
        out = sock.execute(SHOW_BIG_PNG, timeout=60)
        shown = [m.content["data"]["image/png"] for m in out if m.msg_type == DISPLAY]
        assert len(shown) == 1
        size_kib = len(shown[0]) // 1024
        assert size_kib > 20_000
        settled = _settle(pid, baseline + int(size_kib * HELD_AT_MOST), display)
        print(f"\ndisplay {display}: {size_kib} KiB, server {settled - baseline:+} KiB")
