"""Websocket clients that vanish while the server is sending to them.

Closed laptops, killed browsers and dropped networks never send a close frame: the
server finds out on its next send. That is a normal end of a connection, so the log
gets no traceback and asyncio no unretrieved task exception.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from tests.reliability.conftest import start_kernel
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.support.waiting import wait_until

CLIENTS = 20
ROUNDS = 2
# Prints until interrupted; the kernel coalesces it into a stream message every few ms.
FLOOD = "import itertools\nfor i in itertools.count(): print(i)"

# A separate process holds the websockets and reads without pause: "close" closes them
# all (a close frame while the server sends), "kill" waits for SIGKILL (no close frame;
# with unread data, the kernel answers the server's next send with a reset).
_CLIENTS_SCRIPT = """
import sys, threading
from tests.server.kernels.wsclient import KernelSocket

class Server:
    url, auth_headers = sys.argv[1], {"Authorization": "token " + sys.argv[2]}

def drain(ws):
    try:
        while True:
            ws.recv()
    except Exception:
        pass

sockets = [KernelSocket(Server, sys.argv[3]) for _ in range(int(sys.argv[4]))]
sockets[0].send("shell", "execute_request", {"code": sys.argv[5]})
readers = []
for sock in sockets:
    while sock.recv()[1].msg_type != "stream":
        pass
    readers.append(threading.Thread(target=drain, args=(sock.ws,)))
    readers[-1].start()
print("streaming", flush=True)
if sys.argv[6] == "close":
    for sock in sockets:
        sock.close()
    for reader in readers:
        reader.join()
else:
    threading.Event().wait()
"""


def leave_mid_stream(server: RunningServer, kernel_id: str, how: str) -> None:
    """CLIENTS websockets watch a flood, then all leave at once (`how`: close or kill)."""
    command = [sys.executable, "-c", _CLIENTS_SCRIPT, server.url, server.token, kernel_id]
    with subprocess.Popen([*command, str(CLIENTS), FLOOD, how], stdout=subprocess.PIPE) as clients:
        try:
            assert clients.stdout is not None
            assert clients.stdout.readline() == b"streaming\n"
            if how == "close":
                clients.wait(60)
        finally:
            clients.send_signal(signal.SIGKILL)


def stop_flood(http: httpx.Client, kernel_id: str) -> None:
    assert http.post(f"api/kernels/{kernel_id}/interrupt").status_code == 204
    wait_until(
        lambda: http.get(f"api/kernels/{kernel_id}").json()["execution_state"] == "idle",
        timeout=60,
        what="the interrupted flood to end",
    )


@pytest.fixture
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = launch(ServerDirs(tmp_path_factory.mktemp("disconnects")), "--log-level=DEBUG")
    yield running
    running.stop()


@pytest.mark.slow
def test_clients_leaving_mid_stream_close_cleanly(server: RunningServer) -> None:
    with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=60) as http:
        kernel_id = start_kernel(http)
        for _ in range(ROUNDS):
            leave_mid_stream(server, kernel_id, "close")  # tabs closed mid-stream
            stop_flood(http, kernel_id)
            leave_mid_stream(server, kernel_id, "kill")  # browsers killed mid-stream
            wait_until(
                lambda: http.get(f"api/kernels/{kernel_id}").json()["connections"] == 0,
                what="the server to drop the dead websockets",
            )
            stop_flood(http, kernel_id)
        assert http.delete(f"api/kernels/{kernel_id}").status_code == 204
    server.stop()
    log = server.output()
    for bad in ("Traceback", "Task exception was never retrieved"):
        assert bad not in log, log[max(0, log.find(bad) - 500) :][:5000]
    # At most one debug line per websocket that left mid-send.
    assert log.count("left mid-send") <= 2 * ROUNDS * CLIENTS
