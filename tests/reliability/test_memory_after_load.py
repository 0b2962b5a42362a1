"""Server memory comes back after a burst of output to many websockets.

30 clients each receive 11,000 messages from one kernel, then leave. Once they are
gone the server must be back within 10% of its idle resident memory: what the burst
queued is freed and given back to the system, not kept for the life of the server.
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
BURST = (
    "import time\nfrom IPython.display import display\n"
    f"for i in range({MESSAGES}):\n    display(i)\n    i % 50 == 49 and time.sleep(0.05)"
)
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
        # Idle baseline: one kernel that has run a cell over a websocket (what any page does).
        with KernelSocket(server, kernel_id) as sock:
            assert stdout_of(sock.execute("print('ready')")) == "ready\n"
        wait_until(lambda: http.get(f"api/kernels/{kernel_id}").json()["connections"] == 0)
        baseline = rss_kib(pid)

        sockets = [KernelSocket(server, kernel_id) for _ in range(CLIENTS)]
        try:
            msg_id = sockets[0].send("shell", "execute_request", {"code": BURST})
            with ThreadPoolExecutor(CLIENTS) as pool:
                received = list(pool.map(lambda s: _frames_until_idle(s, msg_id), sockets))
            peak = rss_kib(pid)
        finally:
            for sock in sockets:
                sock.close()
        assert min(received) >= MESSAGES, received
        wait_until(lambda: http.get(f"api/kernels/{kernel_id}").json()["connections"] == 0)
        left = time.monotonic()
        settled = wait_until(
            lambda: (rss := rss_kib(pid)) <= baseline * MAX_GROWTH and rss,
            timeout=30,
            what=f"server RSS back within 10% of {baseline} KiB (now {rss_kib(pid)} KiB)",
        )
        print(
            f"\nserver RSS: idle {baseline / 1024:.1f} MiB, after {CLIENTS} clients x "
            f"{min(received)}+ messages {peak / 1024:.1f} MiB, "
            f"{settled / 1024:.1f} MiB ({settled / baseline - 1:+.0%}) "
            f"{time.monotonic() - left:.1f}s after they left"
        )
