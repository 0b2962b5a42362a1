"""The server owns the running document: a cell that finishes while its page is gone
has its outputs written into the notebook file; while the page is there, the server
leaves the file to the page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from carnet.protocol import Session
from carnet.server.kernels.outputs import CellRun
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.server.kernels.wsclient import KernelSocket
from tests.support.waiting import wait_until


def notebook(*cell_ids: str) -> dict[str, Any]:
    cells: list[dict[str, Any]] = [
        {
            "cell_type": "code",
            "id": cid,
            "source": "",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
        }
        for cid in cell_ids
    ]
    cells.append({"cell_type": "markdown", "id": "md", "source": "# title", "metadata": {}})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    running = launch(ServerDirs(tmp_path_factory.mktemp("recorder")))
    yield running
    running.stop()


def open_session(server: RunningServer, path: str, cells: tuple[str, ...]) -> tuple[str, Path]:
    file = server.root_dir / path
    file.write_text(json.dumps(notebook(*cells)))
    with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=60) as http:
        session = http.post("api/sessions", json={"path": path, "type": "notebook"}).json()
    return session["kernel"]["id"], file


def connections(server: RunningServer, kid: str) -> int:
    """The websockets the server counts on the kernel (it notices a close asynchronously)."""
    with server.client() as http:
        count: int = http.get(f"api/kernels/{kid}").json()["connections"]
    return count


def runs(server: RunningServer, kid: str) -> list[dict[str, Any]]:
    with server.client() as http:
        listed: list[dict[str, Any]] = http.get(f"api/kernels/{kid}/runs").json()
    return listed


def joined(value: Any) -> Any:
    """nbformat files may split multi-line strings into lists of lines."""
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return "".join(value)
    if isinstance(value, dict):
        return {k: joined(v) for k, v in value.items()}
    if isinstance(value, list):
        return [joined(v) for v in value]
    return value


def cell(file: Path, cell_id: str) -> dict[str, Any]:
    data = json.loads(file.read_text())
    found: dict[str, Any] = joined(next(c for c in data["cells"] if c["id"] == cell_id))
    return found


def test_outputs_of_a_cell_finishing_with_no_page_are_saved(server: RunningServer) -> None:
    kid, file = open_session(server, "closed.ipynb", ("a", "b"))
    release = server.root_dir / "closed.release"
    sock = KernelSocket(server, kid)
    code = (
        "import os, time\nprint('start', flush=True)\n"
        f"while not os.path.exists({str(release)!r}): time.sleep(0.02)\n"
        "print('done')\n6 * 7"
    )
    sock.send("shell", "execute_request", {"code": code, "silent": False}, {"cellId": "a"})
    while sock.recv()[1].msg_type != "stream":
        pass
    sock.close()  # the tab is closed while the cell runs
    wait_until(lambda: connections(server, kid) == 0, 20, "the server to see the tab closed")
    release.touch()  # the cell finishes only now, with no page connected
    wait_until(lambda: cell(file, "a")["outputs"], 20, "the outputs recorded in the file")
    saved = cell(file, "a")
    assert saved["outputs"][0] == {
        "output_type": "stream",
        "name": "stdout",
        "text": "start\ndone\n",
    }
    assert saved["outputs"][1]["data"]["text/plain"] == "42"
    assert saved["execution_count"] == saved["outputs"][1]["execution_count"] >= 1
    assert cell(file, "b")["outputs"] == []
    # The reopened notebook shows them, trusted (the user's own kernel made them).
    with httpx.Client(base_url=server.url, headers=server.auth_headers) as http:
        model = http.get("api/contents/closed.ipynb").json()["content"]
    reopened = next(c for c in model["cells"] if c["id"] == "a")
    assert reopened["metadata"]["trusted"] is True
    assert "Recorded the outputs of cell a" in server.output()


def test_a_connected_page_keeps_its_document(server: RunningServer) -> None:
    kid, file = open_session(server, "open.ipynb", ("a",))
    before = file.read_bytes()
    with KernelSocket(server, kid) as sock:
        msg_id = sock.send(
            "shell", "execute_request", {"code": "print('hi')", "silent": False}, {"cellId": "a"}
        )
        sock.collect(msg_id)
        # The recorder sees the idle before the page does (the hub broadcasts, then records):
        # a run left to the recorder would be listed now, waiting WRITE_DELAY to be written.
        assert runs(server, kid) == []
    assert file.read_bytes() == before


def test_cell_run_applies_outputs_like_a_page() -> None:
    s = Session()
    run = CellRun("c")

    def send(kind: str, **content: Any) -> None:
        run.apply(s.msg(kind, content))

    send("execute_input", code="x", execution_count=3)
    send("stream", name="stdout", text="a")
    send("stream", name="stdout", text="b\n")
    send("stream", name="stderr", text="warn\n")
    send("display_data", data={"text/plain": "1"}, metadata={}, transient={"display_id": "d"})
    send(
        "update_display_data", data={"text/plain": "2"}, metadata={}, transient={"display_id": "d"}
    )
    assert [o.get("text") for o in run.outputs[:2]] == ["ab\n", "warn\n"]
    assert run.outputs[2]["data"] == {"text/plain": "2"}
    send("clear_output", wait=True)
    assert len(run.outputs) == 3  # wait=True clears on the next output only
    send("execute_result", data={"text/plain": "9"}, metadata={}, execution_count=3)
    send("error", ename="E", evalue="v", traceback=["t"])
    assert [o["output_type"] for o in run.outputs] == ["execute_result", "error"]
    assert run.execution_count == 3
