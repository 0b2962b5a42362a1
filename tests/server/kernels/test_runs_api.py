"""/api/kernels/{id}/runs through a real server and kernel: a page that connects while a
cell runs gets its outputs so far, then follows the rest on its websocket, with nothing
missing or twice; what it adopts it saves itself, unless it goes away too. Huge outputs
are recorded whole."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from carnet.server.kernels.recorder import WRITE_DELAY
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.server.kernels.test_recorder import cell, connections, open_session, runs
from tests.server.kernels.wsclient import KernelSocket
from tests.support.waiting import wait_until

COUNT = 60
# Prints 0-2, waits for the gate "-1", prints to 29, waits for "-2", prints the rest: each
# test opens a gate once what it checks mid-run is checked, whatever the machine's speed.
COUNTING = (
    "import os, time\n"
    "def gate(n):\n"
    "    while not os.path.exists(f'{GATES}-{n}'): time.sleep(0.01)\n"
    f"for i in range({COUNT}):\n"
    "    print(i, flush=True)\n"
    "    (i == 2 and gate(1)) or (i == 29 and gate(2))\n"
    "    time.sleep(0.03)\n"
)
EXPECTED = "".join(f"{i}\n" for i in range(COUNT))


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = launch(ServerDirs(tmp_path_factory.mktemp("runs")))
    yield running
    running.stop()


class Gates:
    """The counting cell's gates, as files (opened by creating them)."""

    def __init__(self, prefix: Path) -> None:
        self.prefix = prefix

    def open(self, *numbers: int) -> None:
        for n in numbers:
            Path(f"{self.prefix}-{n}").touch()


def start_counting(server: RunningServer, path: str) -> tuple[str, str, Any, Gates]:
    """Runs the counting cell from a first page, closed once it got 0-2 (the cell then
    waits at its first gate)."""
    kid, file = open_session(server, path, ("a",))
    gates = Gates(server.root_dir / f"{path}.gate")
    code = f"GATES = {str(gates.prefix)!r}\n" + COUNTING
    first = KernelSocket(server, kid)
    msg_id = first.send("shell", "execute_request", {"code": code}, {"cellId": "a"})
    text = ""  # the kernel may send 0-2 in one message (it coalesces what comes together)
    while text.count("\n") < 3:
        _, msg = first.recv()
        if msg.msg_type == "stream" and msg.parent_msg_id == msg_id:
            text += msg.content["text"]
    first.close()
    return kid, msg_id, file, gates


def adopt(server: RunningServer, kid: str, session_id: str) -> list[dict[str, Any]]:
    with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=30) as http:
        for _ in range(100):
            response = http.post(f"api/kernels/{kid}/runs/adopt", json={"session_id": session_id})
            if response.status_code != 409:  # 409: the websocket is not attached yet
                break
            time.sleep(0.05)
    assert response.status_code == 200, response.text
    runs: list[dict[str, Any]] = response.json()
    return runs


def printed(server: RunningServer, kid: str) -> str:
    """The stdout of the kernel's one run so far, as the server holds it."""
    (run,) = runs(server, kid)
    return "".join(o["text"] for o in run["outputs"] if o["output_type"] == "stream")


def follow(sock: KernelSocket, run: dict[str, Any]) -> str:
    """The run's stdout: its snapshot's, then what the websocket adds until idle."""
    text = "".join(o["text"] for o in run["outputs"] if o["output_type"] == "stream")
    covered = set(run["recent_msg_ids"])
    while True:
        _, msg = sock.recv(30)
        if msg.parent_msg_id != run["msg_id"] or msg.msg_id in covered:
            continue
        if msg.msg_type == "stream":
            text += msg.content["text"]
        if msg.msg_type == "status" and msg.content["execution_state"] == "idle":
            return text


def test_a_page_connecting_mid_run_gets_all_of_it_once_and_saves_it_itself(
    server: RunningServer,
) -> None:
    kid, msg_id, file, gates = start_counting(server, "reattach.ipynb")
    before = file.read_bytes()
    wait_until(lambda: connections(server, kid) == 0, 20, "the server to see the page closed")
    seen = printed(server, kid)
    gates.open(1)
    # Printed with nobody connected.
    wait_until(lambda: len(printed(server, kid)) > len(seen), 20, "more output with no page")
    with KernelSocket(server, kid) as second:
        (run,) = adopt(server, kid, second.session_id)
        gates.open(2)
        assert (run["cell_id"], run["msg_id"], run["state"]) == ("a", msg_id, "running")
        assert run["execution_count"] >= 1
        assert run["last_msg_id"] in run["recent_msg_ids"]
        assert EXPECTED.startswith(run["outputs"][0]["text"])
        assert len(run["outputs"][0]["text"]) >= len("0\n1\n2\n3\n")
        assert follow(second, run) == EXPECTED
        # Adopted by a connected page: the file is the page's to save. The recorder has seen
        # the idle before the page did (the hub broadcasts, then records), so a run left to
        # it would be listed now, waiting WRITE_DELAY to be written.
        assert runs(server, kid) == []
        assert file.read_bytes() == before


def test_an_adopted_run_is_recorded_if_the_adopting_page_goes_too(server: RunningServer) -> None:
    kid, _, file, gates = start_counting(server, "adopted-then-closed.ipynb")
    gates.open(1)
    with KernelSocket(server, kid) as second:
        (run,) = adopt(server, kid, second.session_id)
    gates.open(2)
    assert run["state"] == "running"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not cell(file, "a")["outputs"]:
        time.sleep(0.1)
    assert cell(file, "a")["outputs"] == [
        {"output_type": "stream", "name": "stdout", "text": EXPECTED}
    ]


def test_a_prompt_asked_with_no_page_open_goes_to_the_page_that_adopts_the_run(
    server: RunningServer,
) -> None:
    kid, _ = open_session(server, "asking.ipynb", ("a",))
    first = KernelSocket(server, kid)
    code = "name = input('name? ')\nprint('hello', name)"
    msg_id = first.send(
        "shell", "execute_request", {"code": code, "allow_stdin": True}, {"cellId": "a"}
    )
    while True:  # the first page sees the prompt, then goes away without answering
        channel, msg = first.recv()
        if channel == "stdin":
            break
    first.close()
    with KernelSocket(server, kid) as second:
        (run,) = adopt(server, kid, second.session_id)
        assert (run["msg_id"], run["state"]) == (msg_id, "running")
        while True:
            channel, asked = second.recv()
            if channel == "stdin":
                break
        assert asked.msg_type == "input_request" and asked.content["prompt"] == "name? "
        header = {
            "msg_id": asked.msg_id,
            "msg_type": asked.msg_type,
            "session": asked.header["session"],
            "username": asked.header["username"],
            "date": asked.header["date"],
            "version": "5.3",
        }
        second.send("stdin", "input_reply", {"value": "Ada"}, parent=header)
        text, reply, idle = "", None, False
        while reply is None or not idle:
            channel, msg = second.recv()
            if msg.parent_msg_id != msg_id:
                continue
            text += msg.content.get("text", "") if msg.msg_type == "stream" else ""
            idle = idle or (msg.msg_type == "status" and msg.content["execution_state"] == "idle")
            # The reply follows the run to the page that adopted it.
            if channel == "shell" and msg.msg_type == "execute_reply":
                reply = msg
        assert reply.content["status"] == "ok"
        assert "hello Ada" in text


def test_listing_does_not_adopt_and_adopting_needs_a_connected_page(
    server: RunningServer,
) -> None:
    kid, _, file, gates = start_counting(server, "listed.ipynb")
    with server.client() as http:
        runs = http.get(f"api/kernels/{kid}/runs").json()
        print("RUNS", [(r["msg_id"], r["state"], r["cell_id"]) for r in runs])
        (run,) = runs
        assert run["cell_id"] == "a"
        refused = http.post(f"api/kernels/{kid}/runs/adopt", json={"session_id": "nobody"})
        assert (refused.status_code, refused.json()["reason"]) == (409, "not connected")
        assert http.post(f"api/kernels/{kid}/runs/adopt", json={}).status_code == 400
        assert http.get("api/kernels/no-such-kernel/runs").status_code == 404
    gates.open(1, 2)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not cell(file, "a")["outputs"]:
        time.sleep(0.1)
    assert cell(file, "a")["outputs"][0]["text"] == EXPECTED


def write_later(server: RunningServer, kid: str, cell_id: str) -> None:
    """Runs a cell from a page that is gone when it finishes: the server records it."""
    release = server.root_dir / f"{kid}-{cell_id}.release"
    code = f"import os, time\nwhile not os.path.exists({str(release)!r}): time.sleep(0.02)\n1"
    with KernelSocket(server, kid) as page:
        page.send("shell", "execute_request", {"code": code}, {"cellId": cell_id})
        count = connections(server, kid)
    wait_until(lambda: connections(server, kid) < count, 20, "the server to see the page closed")
    release.touch()


def test_a_run_ending_while_its_page_reloads_is_adopted_not_written(
    server: RunningServer,
) -> None:
    KEPT = ("outputs", "execution_count", "metadata")
    kid, file = open_session(server, "reloaded.ipynb", ("a", "b"))
    before = cell(file, "a")
    release = server.root_dir / "reloaded.release"
    with KernelSocket(server, kid) as first:
        code = f"import os, time\nwhile not os.path.exists({str(release)!r}): time.sleep(0.02)\n"
        msg_id = first.send(
            "shell", "execute_request", {"code": f"{code}print('done')"}, {"cellId": "a"}
        )
    # It ends once the server saw its page go.
    wait_until(lambda: connections(server, kid) == 0, 20, "the server to see the page closed")
    release.touch()
    # Finished with no page: offered for a while before it is written.
    wait_until(lambda: [r["state"] for r in runs(server, kid)] == ["idle"], 30, "an idle run")
    with KernelSocket(server, kid) as reloaded:
        (run,) = adopt(server, kid, reloaded.session_id)
        assert (run["msg_id"], run["state"]) == (msg_id, "idle")
        assert run["outputs"] == [{"output_type": "stream", "name": "stdout", "text": "done\n"}]
        # Its WRITE_DELAY is over once it is no longer offered.
        wait_until(lambda: runs(server, kid) == [], WRITE_DELAY + 20, "the write delay to end")
        # A witness: cell b, finished with no page, is written after a would have been (same
        # delay, later start, one lock per file, taken in turn): once b is in the file, a
        # write of a would be too.
        write_later(server, kid, "b")
        wait_until(lambda: cell(file, "b")["outputs"], WRITE_DELAY + 30, "cell b recorded")
        # The page that adopted a saves it: the server left it as it was.
        after = cell(file, "a")
        assert [after[k] for k in KEPT] == [before[k] for k in KEPT] == [[], None, {}]


def test_a_kernel_dying_ends_its_runs_with_what_they_printed(server: RunningServer) -> None:
    kid, file = open_session(server, "dies.ipynb", ("a",))
    release = server.root_dir / "dies.release"
    code = (
        "import os, time\nprint('before', flush=True)\n"
        f"while not os.path.exists({str(release)!r}): time.sleep(0.02)\n"
        "os.kill(os.getpid(), 9)"
    )
    with KernelSocket(server, kid) as first:
        first.send("shell", "execute_request", {"code": code}, {"cellId": "a"})
        while first.recv()[1].msg_type != "stream":
            pass
    # It dies once the server saw its page go.
    wait_until(lambda: connections(server, kid) == 0, 20, "the server to see the page closed")
    release.touch()
    # No idle ever comes for it: the kernel's restart ends it, and it is recorded.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not cell(file, "a")["outputs"]:
        time.sleep(0.1)
    assert cell(file, "a")["outputs"] == [
        {"output_type": "stream", "name": "stdout", "text": "before\n"}
    ]
    with server.client() as http:
        assert http.get(f"api/kernels/{kid}/runs").json() == []


def test_a_million_line_print_with_no_page_is_recorded_whole(server: RunningServer) -> None:
    # About 26 MB: past the 16 MB kept in memory, so the rest goes through the scratch file.
    lines = 1_000_000
    kid, file = open_session(server, "huge.ipynb", ("a",))
    code = f"for i in range({lines}):\n    print(f'{{i:07d}} of a long print')\n"
    with KernelSocket(server, kid) as sock:
        sock.send("shell", "execute_request", {"code": code}, {"cellId": "a"})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not cell(file, "a")["outputs"]:
        time.sleep(0.2)
    (output,) = cell(file, "a")["outputs"]
    expected = "".join(f"{i:07d} of a long print\n" for i in range(lines))
    assert len(output["text"]) == len(expected)
    assert output["text"] == expected
    assert json.loads(file.read_text())["cells"][0]["execution_count"] >= 1
