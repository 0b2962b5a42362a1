"""Kernel faults on a live server: killed mid-run, silent at start-up, flooding output."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.reliability.conftest import (
    children,
    install_kernelspec,
    is_running,
    rss_kib,
    start_kernel,
)
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.server.kernels.wsclient import KernelSocket, stdout_of
from tests.support.waiting import wait_until

NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {},
    "cells": [
        {
            "cell_type": "code",
            "id": "c1",
            "source": "print('kept')",
            "metadata": {},
            "execution_count": 1,
            "outputs": [{"output_type": "stream", "name": "stdout", "text": "kept\n"}],
        }
    ],
}


def kernel_pid(server: RunningServer) -> int:
    pids = [p for p in children(server.process.pid) if is_running(p)]
    assert len(pids) == 1, pids
    return pids[0]


def statuses_until(sock: KernelSocket, wanted: str, timeout: float = 30.0) -> list[str]:
    """execution_state of every status message, up to and including `wanted`."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while wanted not in seen:
        _, msg = sock.recv(max(0.1, deadline - time.monotonic()))
        if msg.msg_type == "status":
            seen.append(str(msg.content["execution_state"]))
    return seen


class PolledStates:
    """A kernel's REST execution_state, polled from a thread until it reaches a state."""

    def __init__(self, server: RunningServer, kernel_id: str) -> None:
        self.states: list[str] = []
        self.errors: list[str] = []
        self._stop = threading.Event()
        self._first = threading.Event()
        self._thread = threading.Thread(target=self._poll, args=(server, kernel_id))
        self._thread.start()
        # What comes next (a kill) must find the state before it seen: on a loaded machine the
        # first answer came after the kernel had restarted, and the test saw only "idle".
        if not self._first.wait(30):
            self.__exit__()
            pytest.fail(f"no execution_state polled in 30s (errors {self.errors[-3:]})")

    def _poll(self, server: RunningServer, kernel_id: str) -> None:
        with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=10) as http:
            # A short pause between requests: often enough to see the restart's own state
            # (it lasts as long as a kernel start), without a busy loop on the server.
            while not self._stop.wait(0.02):
                try:
                    state = str(http.get(f"api/kernels/{kernel_id}").json()["execution_state"])
                except (httpx.HTTPError, ValueError, KeyError) as exc:
                    self.errors.append(repr(exc))  # reported if the wait fails
                    continue
                if not self.states or self.states[-1] != state:
                    self.states.append(state)
                self._first.set()

    def __enter__(self) -> PolledStates:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def until(self, wanted: str, timeout: float = 30.0) -> list[str]:
        """The distinct states seen so far, in order, once `wanted` follows another state."""
        wait_until(
            lambda: wanted in self.states[1:],
            timeout,
            lambda: f"execution_state {wanted} (seen {self.states}, errors {self.errors[-3:]})",
        )
        return list(self.states)


def test_sigkilled_kernel_restarts_by_itself_and_loses_no_work(
    running: RunningServer, http: httpx.Client
) -> None:
    assert http.put("api/contents/work.ipynb", json={"type": "notebook", "content": NOTEBOOK})
    saved = http.get("api/contents/work.ipynb").json()["content"]
    kid = start_kernel(http)
    with KernelSocket(running, kid) as sock:
        msg_id = sock.send(
            "shell",
            "execute_request",
            {"code": "print('go', flush=True)\nimport time; time.sleep(60)"},
        )
        wait_until(
            lambda: any(
                m.msg_type == "stream" and m.parent_msg_id == msg_id for _, m in [sock.recv()]
            ),
            what="the cell to start printing",
        )
        victim = kernel_pid(running)
        with PolledStates(running, kid) as polled:
            os.kill(victim, signal.SIGKILL)
            # Clients get Jupyter Server's "restarting" (what JupyterLab resets and reconnects
            # on), before anything from the new process, with why it died and which restart.
            seen = statuses_until(sock, "restarting")
            assert seen == ["restarting"], seen
            notice = sock.received[-1][1].content
            assert notice["reason"].startswith(
                "killed (SIGKILL), often by the out-of-memory killer"
            )
            assert notice["restart_count"] == 1
            # The REST model says "restarting" while the new process starts, then idle.
            states = polled.until("idle")
        assert states[0] == "busy" and "restarting" in states, states
        assert "autorestarting" not in states, states
        # It comes back by itself, on a new process, and runs code again.
        assert kernel_pid(running) != victim
        assert stdout_of(sock.execute("print(6 * 7)")) == "42\n"
    assert http.get("api/contents/work.ipynb").json()["content"] == saved
    log = running.output()
    assert f"Kernel {kid} died: killed (SIGKILL), often by the out-of-memory killer" in log
    assert f"Kernel restarted: {kid}" in log


def test_restarts_are_bounded_then_the_kernel_is_dead(
    dirs: ServerDirs,
) -> None:
    server = launch(dirs)
    try:
        with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=60) as http:
            kid = start_kernel(http)
            with KernelSocket(server, kid) as sock:
                seen: list[str] = []
                while "dead" not in seen:
                    pid = wait_until(
                        lambda: [p for p in children(server.process.pid) if is_running(p)],
                        what="a kernel process",
                    )[0]
                    os.kill(pid, signal.SIGKILL)
                    seen += statuses_until(
                        sock, "dead" if seen.count("restarting") >= 5 else "restarting"
                    )
                    if "dead" not in seen:
                        wait_until(
                            lambda: (
                                http.get(f"api/kernels/{kid}").json()["execution_state"] == "idle"
                            ),
                            what="restart",
                        )
                assert seen.count("restarting") == 5
                assert "autorestarting" not in seen
            assert http.get(f"api/kernels/{kid}").json()["execution_state"] == "dead"
            log = server.output()
            assert f"Kernel {kid} is dead: it died again after 5 restarts" in log
            # A dead kernel can still be shut down.
            assert http.delete(f"api/kernels/{kid}").status_code == 204
    finally:
        server.stop()


@pytest.fixture
def silent_server(dirs: ServerDirs) -> Iterator[RunningServer]:
    # A kernel that binds nothing and never answers kernel_info.
    install_kernelspec(dirs, "silent", [sys.executable, "-c", "import time; time.sleep(600)"])
    server = launch(dirs, "--MappingKernelManager.kernel_info_timeout=2")
    yield server
    server.stop()


def test_silent_kernel_fails_cleanly_after_the_configured_timeout(
    silent_server: RunningServer,
) -> None:
    results: dict[str, httpx.Response] = {}
    with httpx.Client(
        base_url=silent_server.url, headers=silent_server.auth_headers, timeout=30
    ) as http:

        def post() -> None:
            results["start"] = http.post("api/kernels", json={"name": "silent"})

        started = time.monotonic()
        poster = threading.Thread(target=post)
        poster.start()
        wait_until(
            lambda: [p for p in children(silent_server.process.pid) if is_running(p)],
            timeout=10,
            what="the server to have started the silent kernel",
        )
        # The server keeps answering meanwhile: before the start has failed.
        assert http.get("api/status").status_code == 200
        assert poster.is_alive() and "start" not in results
        poster.join(20)
        print(f"silent kernel: start failed after {time.monotonic() - started:.1f}s")
        response = results["start"]
        assert response.status_code == 500
        assert "did not answer kernel_info within 2s" in response.json()["message"]
        assert http.get("api/kernels").json() == []
    # No process and no connection file left behind.
    wait_until(
        lambda: not [p for p in children(silent_server.process.pid) if is_running(p)],
        timeout=5,
        what="the silent kernel to be stopped",
    )
    assert not list(silent_server.dirs.runtime.glob("kernel-*.json"))


class _Drain(threading.Thread):
    """Reads a websocket as fast as it can, counting stream messages and text, until stopped."""

    def __init__(self, sock: KernelSocket, until_reply_to: str) -> None:
        super().__init__(daemon=True)
        self.sock = sock
        self.until = until_reply_to
        self.streams = 0
        self.text = 0
        self.reply: dict[str, object] = {}

    def run(self) -> None:
        while not self.reply:
            try:
                _, msg = self.sock.recv(timeout=60)
            except Exception:  # closed by the test, or a timeout: the asserts tell
                return
            if msg.msg_type == "stream":
                self.streams += 1
                self.text += len(msg.content.get("text", ""))
            if msg.msg_type == "execute_reply" and msg.parent_msg_id == self.until:
                self.reply = dict(msg.content)


# Alone: zmq holds up to 1000 of the flood's ~1 MiB messages for a server that falls behind,
# and a test running beside this one can slow the server that much (+650 MB once in CI).
@pytest.mark.alone
@pytest.mark.slow
def test_flooding_kernel_keeps_memory_bounded_and_others_responsive(
    running: RunningServer, http: httpx.Client
) -> None:
    flood_id = start_kernel(http)
    other_id = start_kernel(http)
    with (
        KernelSocket(running, flood_id) as fast,
        KernelSocket(running, flood_id) as slow,  # never read: the slow client
        KernelSocket(running, other_id) as other,
    ):
        for sock in (fast, slow):
            sock.ws.close_timeout = 1  # closing behind a flood: no handshake to wait for
        assert stdout_of(other.execute("print(0)")) == "0\n"  # warm
        baseline = rss_kib(running.process.pid)
        flood = fast.send("shell", "execute_request", {"code": "while True: print('x' * 1000)"})
        drain = _Drain(fast, flood)
        drain.start()
        samples: list[int] = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            samples.append(rss_kib(running.process.pid))
            # The other kernel keeps answering (how fast: bench/stress.py's flood figure;
            # the bound only catches starvation, on a machine as loaded as it may be).
            assert stdout_of(other.execute("print(1)", timeout=30)) == "1\n"
            time.sleep(0.5)
        print(
            f"flood: RSS baseline {baseline} KiB, peak {max(samples)} KiB; "
            f"{drain.streams} stream msgs ({drain.text} characters) drained"
        )
        # The fast client is not starved by the slow one. Counted in text, not messages:
        # the kernel sends a flood's prints as few large messages (one per flush window
        # or 64 KiB, as ipykernel), about 40 of them in 10 s on a slow lane.
        assert drain.text > 50 * 1000
        # Per-socket queues and the replay backlog are bounded (64 MiB each).
        assert max(samples) - baseline < 350_000, samples
        # The interrupt stops the loop at once: the kernel process stops using CPU.
        # (The server then still forwards what zmq had buffered; the idle status
        # comes after it, so the kernel's state is checked on the process.)
        kernel = next(p for p in children(running.process.pid) if cpu_seconds(p) > 1)
        interrupted = time.monotonic()
        assert http.post(f"api/kernels/{flood_id}/interrupt").status_code == 204
        wait_until(lambda: _stopped_computing(kernel), timeout=10, what="the loop to stop")
        print(f"flood: interrupt stopped the loop within {time.monotonic() - interrupted:.2f}s")
    with KernelSocket(running, flood_id) as fresh:
        msg_id = fresh.send("shell", "execute_request", {"code": "print('after')"})
        while True:
            channel, msg = fresh.recv(timeout=30)
            if channel == "shell" and msg.parent_msg_id == msg_id:
                assert msg.content["status"] == "ok"
                break


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stopped_computing(pid: int) -> bool:
    before = cpu_seconds(pid)
    time.sleep(1.0)
    return cpu_seconds(pid) - before < 0.1
