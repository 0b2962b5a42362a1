"""Bursts of output fanned out to many websockets, and the server's memory after them.

Shared by tests/reliability/test_memory_after_load.py and bench/load_memory.py (which
runs the same bursts against Jupyter Server). Any server that speaks the kernel
websocket's default JSON protocol will do.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.server.conftest import RunningServer
from tests.server.kernels.wsclient import KernelSocket
from tests.support.procs import rss_kib
from tests.support.waiting import wait_until


def burst(messages: int) -> str:
    """Code for `messages` display_data messages, at most 1,000 a second.

    display(), not print: printed lines would be merged into a few stream messages. Faster
    than the server fans them out to 30 clients, the kernel's zmq socket would drop some
    (its high-water mark), and the clients would get fewer.
    """
    return (
        "import time\nfrom IPython.display import display\n"
        f"for i in range({messages}):\n    display(i)\n    i % 50 == 49 and time.sleep(0.05)"
    )


# Without every_one, a client that got nothing for this long has had all it will get.
LOSS_SILENCE = 20.0


def frames_until_idle(sock: KernelSocket, msg_id: str, lossy: bool = False) -> int:
    """Frames received until the run's idle status (counted undecoded: 330,000 of them).

    `lossy`: a server that falls behind lets the kernel's ZeroMQ socket drop what is past
    its high-water mark (Jupyter and Carnet alike), the idle status too; then the frames
    that came before a silence of LOSS_SILENCE seconds.
    """
    frames = 0
    while True:
        try:
            frame = sock.ws.recv(timeout=LOSS_SILENCE if lossy else 120)
        except TimeoutError:
            if lossy:
                return frames
            raise
        assert isinstance(frame, str)
        frames += 1
        if msg_id in frame and '"idle"' in frame and '"status"' in frame:
            return frames


def fan_out(
    server: RunningServer,
    http: httpx.Client,
    kernel_id: str,
    clients: int,
    messages: int,
    every_one: bool = True,
) -> tuple[list[int], int]:
    """`clients` websockets each get `messages` outputs, then close; (frames each, peak RSS).

    `every_one`: fail unless every client got them all (Jupyter, past its iopub rate limit,
    drops some by design: the bench measures it without).
    """
    sockets = [KernelSocket(server, kernel_id) for _ in range(clients)]
    try:
        msg_id = sockets[0].send("shell", "execute_request", {"code": burst(messages)})
        with ThreadPoolExecutor(clients) as pool:
            received = list(
                pool.map(lambda s: frames_until_idle(s, msg_id, lossy=not every_one), sockets)
            )
        peak = rss_kib(server.process.pid)
    finally:
        for sock in sockets:
            sock.close()
    assert not every_one or min(received) >= messages, received
    wait_until(lambda: http.get(f"api/kernels/{kernel_id}").json()["connections"] == 0)
    return received, peak


def settled_rss(pid: int) -> int:
    """RSS once it stopped falling for 60 readings (a trim after the clients left has run)."""
    readings = [rss_kib(pid)]

    def steady() -> bool:
        readings.append(rss_kib(pid))
        return len(readings) > 60 and readings[-1] >= min(readings[-60:-1])

    wait_until(steady, 30, "server RSS to settle")
    return readings[-1]
