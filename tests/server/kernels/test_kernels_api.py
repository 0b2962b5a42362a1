"""/api/kernels, /api/sessions, /api/kernelspecs and the kernel websocket, on a real server."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.server.kernels.wsclient import KernelSocket, reply_of, stdout_of
from tests.support.waiting import wait_until


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    dirs = ServerDirs(tmp_path_factory.mktemp("kernels"))
    # A third-party kernel, found through its kernelspec: ipykernel.
    spec_dir = dirs.data / "kernels" / "ipy"
    spec_dir.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "IPyKernel", "language": "python"}
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    running = launch(dirs)
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


def test_kernel_rest_lifecycle(http: httpx.Client, server: RunningServer) -> None:
    response = http.post("api/kernels", json={"name": "python3"})
    assert response.status_code == 201
    model = response.json()
    kid = model["id"]
    assert model["name"] == "python3"
    assert response.headers["location"].endswith(f"/api/kernels/{kid}")
    assert kid in [k["id"] for k in http.get("api/kernels").json()]
    assert http.get(f"api/kernels/{kid}").json()["execution_state"] in ("idle", "starting")
    assert (server.dirs.runtime / f"kernel-{kid}.json").exists()
    assert http.post(f"api/kernels/{kid}/interrupt").status_code == 204
    restarted = http.post(f"api/kernels/{kid}/restart")
    assert restarted.status_code == 200 and restarted.json()["id"] == kid
    assert http.delete(f"api/kernels/{kid}").status_code == 204
    missing = http.get(f"api/kernels/{kid}")
    assert missing.status_code == 404 and missing.json()["reason"] == "not found"
    assert not (server.dirs.runtime / f"kernel-{kid}.json").exists()
    assert f"Kernel started: {kid}" in server.output()


@pytest.mark.parametrize(
    "body, status",
    [
        ('{"name": "no-such-kernel"}', 404),
        ("{not json", 400),
        ('{"name": 3}', 400),
        ("[]", 400),
    ],
)
def test_bad_kernel_requests(http: httpx.Client, body: str, status: int) -> None:
    response = http.post("api/kernels", content=body)
    assert response.status_code == status
    assert response.json()["message"]
    assert "Traceback" not in response.text


def test_unknown_kernel_everywhere_is_404(http: httpx.Client, server: RunningServer) -> None:
    for method, path in [
        ("GET", "api/kernels/nope"),
        ("DELETE", "api/kernels/nope"),
        ("POST", "api/kernels/nope/interrupt"),
        ("POST", "api/kernels/nope/restart"),
    ]:
        assert http.request(method, path).status_code == 404
    with pytest.raises(Exception, match=r"404|403"):
        KernelSocket(server, "nope")


@pytest.mark.parametrize("v1", [False, True], ids=["legacy", "v1"])
def test_websocket_executes(server: RunningServer, kernel_id: str, v1: bool) -> None:
    with KernelSocket(server, kernel_id, v1=v1) as sock:
        if v1:
            assert sock.ws.subprotocol == "v1.kernel.websocket.jupyter.org"
        messages = sock.execute("print(6 * 7)\n1 + 1")
        assert stdout_of(messages) == "42\n"
        result = next(m for m in messages if m.msg_type == "execute_result")
        assert result.content["data"]["text/plain"] == "2"
        assert reply_of(messages).content["status"] == "ok"
        # A comm message with binary buffers survives both formats.
        info = sock.collect(sock.send("shell", "kernel_info_request"))
        assert reply_of(info).content["protocol_version"].startswith("5.")


def test_each_client_gets_its_replies_and_all_iopub(server: RunningServer, kernel_id: str) -> None:
    with KernelSocket(server, kernel_id) as a, KernelSocket(server, kernel_id) as b:
        a.execute("x = 1")  # both connected and flowing
        msg_id = a.send("shell", "execute_request", {"code": "print('from a')"})
        a.collect(msg_id)
        seen_by_b = b.collect_iopub = []  # type: ignore[attr-defined]
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            _, msg = b.recv()
            if msg.parent_msg_id == msg_id:
                seen_by_b.append(msg)
                if msg.msg_type == "status" and msg.content["execution_state"] == "idle":
                    break
        assert stdout_of(seen_by_b) == "from a\n"
        assert not any(m.msg_type == "execute_reply" for m in seen_by_b)


def test_reconnect_replays_what_was_missed(
    http: httpx.Client, server: RunningServer, kernel_id: str
) -> None:
    release = server.root_dir / f"{kernel_id}.release"

    def model() -> dict[str, Any]:
        found: dict[str, Any] = http.get(f"api/kernels/{kernel_id}").json()
        return found

    sock = KernelSocket(server, kernel_id, session_id="replay-me")
    sock.execute("import os, time")
    code = f"while not os.path.exists({str(release)!r}): time.sleep(0.02)\nprint('later')"
    msg_id = sock.send("shell", "execute_request", {"code": code})
    sock.close()  # the network blips while the cell runs
    wait_until(lambda: model()["connections"] == 0, 20, "the server to see the socket closed")
    # Busy until released (so this busy is the cell's), then idle once the server has had
    # everything the cell sent, its print included, with nobody connected.
    wait_until(lambda: model()["execution_state"] == "busy", 20, "the cell running")
    release.touch()
    wait_until(lambda: model()["execution_state"] == "idle", 20, "the cell finished")
    with KernelSocket(server, kernel_id, session_id="replay-me") as again:
        messages = again.collect(msg_id)
    assert stdout_of(messages) == "later\n"
    assert reply_of(messages).content["status"] == "ok"


def test_restart_reaches_clients_as_status(
    http: httpx.Client, server: RunningServer, kernel_id: str
) -> None:
    with KernelSocket(server, kernel_id) as sock:
        sock.execute("a = 5")
        assert http.post(f"api/kernels/{kernel_id}/restart").status_code == 200
        states = []
        deadline = time.monotonic() + 10
        while "restarting" not in states and time.monotonic() < deadline:
            _, msg = sock.recv()
            if msg.msg_type == "status":
                states.append(msg.content["execution_state"])
        assert "restarting" in states
        messages = sock.execute("print('a' in dir())")
        assert stdout_of(messages) == "False\n"


def test_hostile_websocket_frames_are_dropped(server: RunningServer, kernel_id: str) -> None:
    with KernelSocket(server, kernel_id) as sock:
        for frame in [
            "{not json",
            "[]",
            json.dumps({"channel": "iopub", "header": {"msg_id": "1", "msg_type": "status"}}),
            json.dumps({"channel": "shell", "header": {}}),
            b"\x00\x00\x00\x09garbage",
            "\udcff".encode("utf-8", "surrogatepass"),
            '{"a":' * 10_000,
        ]:
            sock.send_raw(frame)
        assert stdout_of(sock.execute("print('still here')")) == "still here\n"
    assert "dropped a websocket message" in server.output()


def test_sessions_tie_paths_to_kernels(http: httpx.Client, server: RunningServer) -> None:
    (server.root_dir / "sub").mkdir(exist_ok=True)
    body = {"path": "sub/a.ipynb", "type": "notebook", "kernel": {"name": "python3"}}
    created = http.post("api/sessions", json=body)
    assert created.status_code == 201, created.text
    session = created.json()
    assert session["path"] == "sub/a.ipynb" and session["name"] == "a.ipynb"
    kid = session["kernel"]["id"]
    again = http.post("api/sessions", json=body).json()
    assert again["id"] == session["id"] and again["kernel"]["id"] == kid
    assert [s["id"] for s in http.get("api/sessions").json()] == [session["id"]]
    # The kernel runs in the notebook's directory.
    with KernelSocket(server, kid) as sock:
        cwd = stdout_of(sock.execute("import os; print(os.getcwd())")).strip()
    assert Path(cwd) == (server.root_dir / "sub").resolve()
    renamed = http.patch(f"api/sessions/{session['id']}", json={"path": "sub/b.ipynb"})
    assert renamed.json()["path"] == "sub/b.ipynb"
    assert http.get(f"api/sessions/{session['id']}").json()["kernel"]["id"] == kid
    assert http.delete(f"api/sessions/{session['id']}").status_code == 204
    assert http.get(f"api/kernels/{kid}").status_code == 404
    assert http.get(f"api/sessions/{session['id']}").status_code == 404
    assert http.post("api/sessions", json={"type": "notebook"}).status_code == 400


def test_kernelspecs_and_a_third_party_kernel(http: httpx.Client, server: RunningServer) -> None:
    specs = http.get("api/kernelspecs").json()
    assert specs["default"] == "python3"
    assert {"python3", "ipy"} <= set(specs["kernelspecs"])
    assert specs["kernelspecs"]["ipy"]["spec"]["display_name"] == "IPyKernel"
    assert http.get("api/kernelspecs/ipy").json()["name"] == "ipy"
    assert http.get("api/kernelspecs/nope").status_code == 404
    assert http.get("kernelspecs/nope/logo-64x64.png").status_code == 404
    response = http.post("api/kernels", json={"name": "ipy"})
    assert response.status_code == 201, response.text
    kid = response.json()["id"]
    try:
        with KernelSocket(server, kid, v1=True) as sock:
            messages = sock.execute("import ipykernel, sys; print(6 * 7)")
            assert stdout_of(messages) == "42\n"
    finally:
        http.delete(f"api/kernels/{kid}")


def _processes_mentioning(needle: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if needle.encode() in cmdline:
                pids.append(int(entry.name))
    return pids


def test_sigterm_leaves_no_kernel_behind(tmp_path: Path) -> None:
    dirs = ServerDirs(tmp_path)
    server = launch(dirs)
    try:
        with server.client() as http:
            ids = [http.post("api/kernels", json={}).json()["id"] for _ in range(2)]
        assert all(_processes_mentioning(f"kernel-{k}.json") for k in ids)
    finally:
        assert server.stop(signal.SIGTERM) == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_processes_mentioning(f"kernel-{k}") for k in ids):
        time.sleep(0.1)
    assert not any(_processes_mentioning(f"kernel-{k}") for k in ids)
    assert not list(dirs.runtime.glob("kernel-*.json"))
    assert os.path.exists(dirs.runtime)
