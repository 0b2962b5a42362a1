"""Raw pyzmq against the kernel: forged, replayed and malformed messages are dropped.

The kernel logs each drop to its real stderr, keeps running, and still
answers kernel_info afterwards. Unknown request types get an error reply.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import zmq

from carnet.connection_files import read_connection_file, write_connection_file
from carnet.protocol import DELIMITER, Message, Session
from carnet.protocol.connection_file import ConnectionInfo
from tests.kernel.helpers import shell_reply
from tests.kernel.import_gate import ImportGate
from tests.support.ports import free_ports
from tests.support.waiting import wait_until

KEY = "a-test-key-0123456789"


class RawKernel:
    def __init__(self, info: ConnectionInfo, process: subprocess.Popen[bytes]) -> None:
        self.info = info
        self.process = process
        self.session = Session(KEY)
        self.context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
        self.shell = self._dealer("shell")
        self.control = self._dealer("control")

    def _dealer(self, channel: str) -> zmq.Socket[bytes]:
        socket = self.context.socket(zmq.DEALER)
        socket.linger = 0
        socket.connect(self.info.url(channel))
        return socket

    def request(self, socket: zmq.Socket[bytes], msg_type: str, content: dict) -> list[bytes]:
        return self.session.serialize(self.session.msg(msg_type, content))  # type: ignore[return-value]

    def receive(self, socket: zmq.Socket[bytes], timeout: float = 10.0) -> list[bytes] | None:
        if socket.poll(int(timeout * 1000)):
            return socket.recv_multipart()
        return None

    def assert_alive(self, socket: zmq.Socket[bytes] | None = None) -> None:
        socket = socket or self.shell
        socket.send_multipart(self.request(socket, "kernel_info_request", {}))
        frames = self.receive(socket)
        assert frames is not None, "the kernel stopped answering"
        assert self.session.deserialize(frames).content["implementation"] == "carnet"

    def close(self) -> None:
        self.context.destroy(linger=0)


@pytest.fixture(scope="module")
def raw_kernel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RawKernel]:
    path = tmp_path_factory.mktemp("raw") / "kernel-raw.json"
    # Ports 0: the kernel picks free ports and writes them back to the file.
    write_connection_file(ConnectionInfo(0, 0, 0, 0, 0, key=KEY), path)
    stderr_path = path.with_suffix(".stderr")
    with stderr_path.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "carnet.kernel", "-f", str(path), "--IPKernelApp.foo=bar"],
            stderr=stderr,
        )
    deadline = time.monotonic() + 20
    while read_connection_file(path).shell_port == 0:
        assert time.monotonic() < deadline, "the kernel never wrote its ports"
        time.sleep(0.02)
    kernel = RawKernel(read_connection_file(path), process)
    kernel.stderr_path = stderr_path  # type: ignore[attr-defined]
    yield kernel
    kernel.close()
    process.terminate()
    try:
        process.wait(10)
    finally:
        if process.poll() is None:  # never leave it running for a later test to trip on
            process.kill()
            process.wait()


def stderr_of(kernel: RawKernel) -> str:
    path: Path = kernel.stderr_path  # type: ignore[attr-defined]
    return path.read_text(errors="replace")


def test_unknown_traitlets_options_are_ignored_with_a_warning(raw_kernel: RawKernel) -> None:
    raw_kernel.assert_alive()
    assert "ignoring unsupported option '--IPKernelApp.foo=bar'" in stderr_of(raw_kernel)


@pytest.mark.parametrize("channel", ["shell", "control"])
def test_forged_messages_are_dropped(raw_kernel: RawKernel, channel: str) -> None:
    socket = getattr(raw_kernel, channel)
    good = raw_kernel.request(socket, "execute_request", {"code": "pwned = 1"})
    index = good.index(DELIMITER)
    bad_signature = [*good[: index + 1], b"0" * 64, *good[index + 2 :]]
    no_signature = [*good[: index + 1], b"", *good[index + 2 :]]
    tampered = list(good)
    tampered[-1] = tampered[-1].replace(b"pwned = 1", b"pwned = 2")
    no_delimiter = [f for f in good if f != DELIMITER]
    truncated = good[: index + 3]
    for frames in (bad_signature, no_signature, tampered, no_delimiter, truncated, [b"x"]):
        socket.send_multipart(frames)
    assert raw_kernel.receive(socket, timeout=0.5) is None
    raw_kernel.assert_alive(socket)
    raw_kernel.assert_alive()
    log = stderr_of(raw_kernel)
    assert f"dropped message on {channel}" in log
    assert "signature" in log
    # None of them ran.
    raw_kernel.shell.send_multipart(
        raw_kernel.request(
            raw_kernel.shell,
            "execute_request",
            {"code": "", "silent": True, "user_expressions": {"x": "'pwned' in dir()"}},
        )
    )
    frames = raw_kernel.receive(raw_kernel.shell)
    assert frames is not None
    reply = raw_kernel.session.deserialize(frames)
    assert reply.content["user_expressions"]["x"]["data"]["text/plain"] == "False"


def test_replayed_message_is_dropped(raw_kernel: RawKernel) -> None:
    frames = raw_kernel.request(raw_kernel.shell, "kernel_info_request", {})
    raw_kernel.shell.send_multipart(frames)
    assert raw_kernel.receive(raw_kernel.shell) is not None
    raw_kernel.shell.send_multipart(frames)
    assert raw_kernel.receive(raw_kernel.shell, timeout=0.5) is None
    assert "replay" in stderr_of(raw_kernel)
    raw_kernel.assert_alive()


def test_signed_garbage_json_is_dropped(raw_kernel: RawKernel) -> None:
    parts = [b"{not json", b"{}", b"{}", b"{}"]
    frames = [DELIMITER, raw_kernel.session.signer.sign(parts), *parts]
    raw_kernel.shell.send_multipart(frames)
    assert raw_kernel.receive(raw_kernel.shell, timeout=0.5) is None
    assert "not valid JSON" in stderr_of(raw_kernel)
    raw_kernel.assert_alive()


@pytest.mark.parametrize("channel", ["shell", "control"])
def test_unknown_request_type_gets_an_error_reply(raw_kernel: RawKernel, channel: str) -> None:
    socket = getattr(raw_kernel, channel)
    socket.send_multipart(raw_kernel.request(socket, "teleport_request", {}))
    frames = raw_kernel.receive(socket)
    assert frames is not None
    reply = raw_kernel.session.deserialize(frames)
    assert reply.msg_type == "teleport_reply"
    assert reply.content["status"] == "error"
    assert "teleport_request" in reply.content["evalue"]
    raw_kernel.assert_alive(socket)


def test_bad_request_content_gets_an_error_reply(raw_kernel: RawKernel) -> None:
    shell = raw_kernel.shell
    shell.send_multipart(raw_kernel.request(shell, "execute_request", {"code": 42}))
    frames = raw_kernel.receive(shell)
    assert frames is not None
    reply = raw_kernel.session.deserialize(frames)
    assert reply.msg_type == "execute_reply"
    assert reply.content["status"] == "error"
    assert "code" in reply.content["evalue"]
    raw_kernel.assert_alive()


def test_heartbeat_echoes_while_code_runs(raw_kernel: RawKernel, tmp_path: Path) -> None:
    hb = raw_kernel.context.socket(zmq.REQ)
    hb.linger = 0
    hb.connect(raw_kernel.info.url("hb"))
    shell = raw_kernel.shell
    started, release = tmp_path / "started", tmp_path / "release"
    # The cell runs until the test releases it: the echo is certainly taken while it runs.
    code = (
        f"import os, time\nopen({str(started)!r}, 'w').close()\n"
        f"while not os.path.exists({str(release)!r}): time.sleep(0.01)"
    )
    shell.send_multipart(raw_kernel.request(shell, "execute_request", {"code": code}))
    deadline = time.monotonic() + 20
    while not started.exists():
        assert time.monotonic() < deadline, "the cell never started"
        time.sleep(0.01)
    hb.send(b"ping")
    assert hb.poll(10_000), "no heartbeat while the kernel was busy"
    assert hb.recv() == b"ping"
    assert not release.exists()
    release.touch()
    assert raw_kernel.receive(shell) is not None  # the execute_reply
    hb.close()


def test_ipc_transport(tmp_path: Path) -> None:
    from jupyter_client.blocking.client import BlockingKernelClient

    path = tmp_path / "kernel-ipc.json"
    info = ConnectionInfo(0, 0, 0, 0, 0, key=KEY, ip=str(tmp_path / "kipc"), transport="ipc")
    write_connection_file(info, path)
    # The long option name works too.
    process = subprocess.Popen(
        [sys.executable, "-m", "carnet.kernel", "--connection-file", str(path)]
    )
    kc = BlockingKernelClient(connection_file=str(path))
    try:
        deadline = time.monotonic() + 20
        while read_connection_file(path).shell_port == 0:
            assert time.monotonic() < deadline, "the kernel never wrote its ports"
            time.sleep(0.02)
        assert (tmp_path / f"kipc-{read_connection_file(path).shell_port}").exists()
        kc.load_connection_file()
        kc.start_channels()
        kc.wait_for_ready(timeout=20)
        reply = kc.execute_interactive("print(6*7)", timeout=20)
        assert reply["content"]["status"] == "ok"
    finally:
        kc.stop_channels()
        process.terminate()
        assert process.wait(10) == 0


def test_comm_open_while_ipython_loads_is_closed(tmp_path: Path) -> None:
    """Frontends open comms (jupyter.widget.control) as soon as they connect.

    Handling one used to import the comm package (and traitlets) on the main thread
    while the import thread imported IPython: Python then broke the deadlock by failing
    one of them, and the kernel never loaded IPython.
    """
    gate = ImportGate(tmp_path / "gate")
    path = tmp_path / "kernel-early.json"
    write_connection_file(ConnectionInfo(0, 0, 0, 0, 0, key=KEY), path)
    process = subprocess.Popen(
        [sys.executable, "-m", "carnet.kernel", "-f", str(path)], env=gate.env()
    )
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    try:
        deadline = time.monotonic() + 20
        while read_connection_file(path).shell_port == 0:
            assert time.monotonic() < deadline, "the kernel never wrote its ports"
            time.sleep(0.01)
        info = read_connection_file(path)
        session = Session(KEY)
        iopub = context.socket(zmq.SUB)
        iopub.setsockopt(zmq.SUBSCRIBE, b"")
        iopub.connect(info.url("iopub"))
        # The welcome answers our subscription; a status the kernel publishes at the same
        # moment (it is starting) may come first.
        while True:
            assert iopub.poll(10000), "no iopub_welcome"
            if session.deserialize(iopub.recv_multipart()).msg_type == "iopub_welcome":
                break
        shell = context.socket(zmq.DEALER)
        shell.connect(info.url("shell"))
        gate.wait_reached()
        content = {"comm_id": "early", "target_name": "jupyter.widget.control", "data": {}}
        request = session.msg("comm_open", content)
        shell.send_multipart(session.serialize(request))
        seen: list[str] = []

        def until(request: Message, state: str) -> None:
            while True:
                assert iopub.poll(10000), f"no {state} status; saw {seen}"
                msg = session.deserialize(iopub.recv_multipart())
                if msg.parent_msg_id != request.msg_id:
                    continue
                seen.append(msg.msg_type)
                if msg.msg_type == "status" and msg.content["execution_state"] == state:
                    return

        until(request, "busy")
        gate.open()
        until(request, "idle")
        assert "comm_close" in seen
        run = session.msg("execute_request", {"code": "6*7", "silent": False})
        shell.send_multipart(session.serialize(run))
        assert shell.poll(20000), "no execute_reply"
        reply = session.deserialize(shell.recv_multipart())
        assert reply.content["status"] == "ok", reply.content
    finally:
        gate.open()
        context.destroy(linger=0)
        process.terminate()
        process.wait(10)


def _subscriber(context: zmq.Context[zmq.Socket[bytes]], url: str) -> zmq.Socket[bytes]:
    iopub = context.socket(zmq.SUB)
    iopub.setsockopt(zmq.RECONNECT_IVL, 1)  # catch the kernel within a millisecond of binding
    iopub.setsockopt(zmq.SUBSCRIBE, b"")
    iopub.connect(url)
    return iopub


def _first_messages(info: ConnectionInfo, path: Path) -> tuple[list[tuple[str, str]], bool]:
    """What a subscriber connected before the kernel starts sees; whether a late one is welcomed."""
    session = Session(KEY)
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    # Subscribed before the kernel exists: zmq connects as soon as it binds.
    early = _subscriber(context, info.url("iopub"))
    process = subprocess.Popen([sys.executable, "-m", "carnet.kernel", "-f", str(path)])
    try:
        seen: list[tuple[str, str]] = []
        while ("status", "starting") not in seen and early.poll(5000):
            msg = session.deserialize(early.recv_multipart())
            seen.append((msg.msg_type, str(msg.content.get("execution_state", ""))))
        # A client that subscribes later gets the welcome first, and no stale 'starting'.
        late = _subscriber(context, info.url("iopub"))
        assert late.poll(10000), "no iopub_welcome"
        welcomed = session.deserialize(late.recv_multipart()).msg_type == "iopub_welcome"
        return seen, welcomed and not late.poll(300)
    finally:
        context.destroy(linger=0)
        process.terminate()
        process.wait(10)


def test_status_starting_reaches_early_subscribers_only(tmp_path: Path) -> None:
    for attempt in range(3):
        path = tmp_path / f"kernel-starting-{attempt}.json"
        info = ConnectionInfo(*free_ports(5), key=KEY)
        write_connection_file(info, path)
        seen, late_welcomed_only = _first_messages(info, path)
        assert late_welcomed_only
        if ("status", "starting") in seen:  # else: connected too late on a busy machine
            break
    # The welcome answers the subscription; 'starting' comes once, before any busy/idle.
    assert seen == [("iopub_welcome", ""), ("status", "starting")], seen


def test_sigterm_taken_by_another_thread_still_stops_an_idle_kernel(tmp_path: Path) -> None:
    """Linux may hand a process's signal to any thread that does not block it. The
    kernel's own threads do; a thread of user code may not, and the idle main thread,
    waiting in zmq's poll, must still wake up and exit."""
    import ctypes

    from jupyter_client.blocking.client import BlockingKernelClient

    path = tmp_path / "kernel-term.json"
    write_connection_file(ConnectionInfo(0, 0, 0, 0, 0, key=KEY), path)
    process = subprocess.Popen([sys.executable, "-m", "carnet.kernel", "-f", str(path)])
    try:
        deadline = time.monotonic() + 20
        while read_connection_file(path).shell_port == 0:
            assert time.monotonic() < deadline, "the kernel never wrote its ports"
            time.sleep(0.02)
        client = BlockingKernelClient(connection_file=str(path))
        client.load_connection_file()
        client.start_channels()
        try:
            user_thread = (
                "import threading\n"
                "threading.Thread(target=threading.Event().wait, daemon=True).start()"
            )
            reply = shell_reply(client, client.execute(user_thread), timeout=30)
            assert reply["content"]["status"] == "ok"
        finally:
            client.stop_channels()
        # Idle: the main thread waits in poll (its kernel wait channel says so).
        main = Path(f"/proc/{process.pid}/task/{process.pid}/wchan")
        wait_until(lambda: "poll" in main.read_text(), 20, "the main thread to wait in poll")
        task = Path(f"/proc/{process.pid}/task")
        # The user's thread: the kernel's threads block SIGTERM, zmq's every signal.
        helper = next(
            int(t.name)
            for t in task.iterdir()
            if int(t.name) != process.pid
            and "SigBlk:\t0000000000000000" in (t / "status").read_text()
        )
        libc = ctypes.CDLL(None, use_errno=True)
        sys_tgkill = 234 if os.uname().machine == "x86_64" else 131  # aarch64
        assert libc.syscall(sys_tgkill, process.pid, helper, signal.SIGTERM) == 0
        assert process.wait(10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
