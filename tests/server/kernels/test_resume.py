"""A dropped websocket resumes where its client stopped (issue 12), in both wire formats.

The server counts a message as sent once its websocket wrote it, but a drop can lose what
was written last (socket buffers, a proxy, a page that had not read it yet). Here the
client has received messages past the one it "processed" when the connection is cut:
the server wrote them, the client never used them. Reconnecting with `last_msg_id`, it
gets them again, then what came while it was away, each once and in order. A client that
does not send `last_msg_id` (JupyterLab) gets what came while it was away, as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from carnet.protocol import Message
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.server.kernels.wsclient import KernelSocket, stdout_of
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = launch(ServerDirs(tmp_path_factory.mktemp("resume")))
    yield running
    running.stop()


@pytest.fixture
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=60) as client:
        yield client


@pytest.fixture
def kernel_id(http: httpx.Client) -> Iterator[str]:
    response = http.post("api/kernels", json={"name": "python3"})
    assert response.status_code == 201, response.text
    kid = str(response.json()["id"])
    yield kid
    http.delete(f"api/kernels/{kid}")


def run_cut_off(
    server: RunningServer, http: httpx.Client, kernel_id: str, v1: bool, release: Path
) -> tuple[KernelSocket, str, list[Message]]:
    """Runs a cell that prints, waits for `release`, prints again; cuts the connection once
    the first print arrived, the client having processed up to execute_input only, and lets
    the cell finish while it is away. Returns the socket, the request id and what the client
    received but never processed."""
    code = (
        "import os, time\n"
        "print('before', flush=True)\n"
        f"while not os.path.exists({str(release)!r}): time.sleep(0.02)\n"
        "print('after')"
    )
    first = KernelSocket(server, kernel_id, v1=v1)
    request = first.send("shell", "execute_request", {"code": code, "silent": False})
    while not any(m.msg_type == "stream" for _, m in first.received):
        first.recv()
    mine = [m for _, m in first.received if m.parent_msg_id == request]
    processed = next(i for i, m in enumerate(mine) if m.msg_type == "execute_input")
    first.abort()
    wait_until(
        lambda: http.get(f"api/kernels/{kernel_id}").json()["connections"] == 0,
        30,
        "the server saw the connection drop",
    )
    release.touch()
    wait_until(
        lambda: http.get(f"api/kernels/{kernel_id}").json()["execution_state"] == "idle",
        30,
        "the cell finished while the client was away",
    )
    return first, request, mine[: processed + 1]


def after_reconnect(second: KernelSocket, request: str) -> list[Message]:
    """The request's messages the new socket gets, up to its reply and idle; then checks
    that nothing else was replayed (the next thing is the answer to a new request)."""
    got = second.collect(request)
    probe = second.send("shell", "kernel_info_request")
    second.collect(probe)
    others = [m for _, m in second.received if m.parent_msg_id not in (request, probe)]
    assert others == []
    return got


@pytest.mark.parametrize("v1", [True, False], ids=["v1", "legacy"])
def test_a_resuming_client_gets_what_was_written_after_the_last_message_it_processed(
    server: RunningServer, http: httpx.Client, kernel_id: str, v1: bool, tmp_path: Path
) -> None:
    first, request, processed = run_cut_off(server, http, kernel_id, v1, tmp_path / "go")
    received = [m for _, m in first.received if m.parent_msg_id == request]
    unprocessed = received[len(processed) :]
    assert stdout_of(unprocessed) == "before\n"  # written by the server, lost by the client
    with KernelSocket(
        server, kernel_id, first.session_id, v1=v1, last_msg_id=processed[-1].msg_id
    ) as second:
        got = after_reconnect(second, request)
    ids = [m.msg_id for m in got]
    assert len(ids) == len(set(ids)), "a message came twice"
    assert ids[: len(unprocessed)] == [m.msg_id for m in unprocessed]
    assert not {m.msg_id for m in processed} & set(ids), "a processed message came again"
    assert stdout_of(processed + got) == "before\nafter\n"
    assert [m.msg_type for m in got].count("execute_reply") == 1


@pytest.mark.parametrize("v1", [True, False], ids=["v1", "legacy"])
def test_a_client_that_does_not_say_where_it_stopped_gets_what_came_while_it_was_away(
    server: RunningServer, http: httpx.Client, kernel_id: str, v1: bool, tmp_path: Path
) -> None:
    """JupyterLab's kernel client: no last_msg_id. Nothing it was already sent comes again."""
    first, request, _ = run_cut_off(server, http, kernel_id, v1, tmp_path / "go")
    with KernelSocket(server, kernel_id, first.session_id, v1=v1) as second:
        got = after_reconnect(second, request)
    assert not {m.msg_id for _, m in first.received} & {m.msg_id for m in got}
    assert stdout_of(got) == "after\n"
    assert [m.msg_type for m in got].count("execute_reply") == 1
