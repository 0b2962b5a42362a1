"""The real notebook server as a subprocess, for tests that talk to it over HTTP.

`server` starts a fresh one per test; `start_server` (a factory fixture) starts
others with extra arguments, config files or environment. Each server gets its own
JUPYTER_CONFIG_DIR, JUPYTER_DATA_DIR and JUPYTER_RUNTIME_DIR, listens on
127.0.0.1 only, and is stopped (SIGTERM, then SIGKILL) when the test ends.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

START_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ServerDirs:
    """Where one server keeps its config, data and runtime files, and what it serves."""

    base: Path
    config: Path = field(init=False)
    data: Path = field(init=False)
    runtime: Path = field(init=False)
    root: Path = field(init=False)

    def __post_init__(self) -> None:
        self.config = self.base / "config"
        self.data = self.base / "data"
        self.runtime = self.base / "runtime"
        self.root = self.base / "root"
        for path in (self.config, self.data, self.runtime, self.root):
            path.mkdir(parents=True, exist_ok=True)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
        env.pop("BROWSER", None)
        env.update(
            JUPYTER_CONFIG_DIR=str(self.config),
            JUPYTER_DATA_DIR=str(self.data),
            JUPYTER_RUNTIME_DIR=str(self.runtime),
            PYTHONUNBUFFERED="1",
        )
        env.update(extra)
        return env


def carnet_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "carnet", *args]


@dataclass
class RunningServer:
    """A started server: its URL, token and root dir, and its process and output."""

    process: subprocess.Popen[bytes]
    dirs: ServerDirs
    log_path: Path
    token: str
    info: dict[str, Any]

    @property
    def port(self) -> int:
        return int(self.info["port"])

    @property
    def url(self) -> str:
        """The base URL, ending in '/' (base_url included)."""
        scheme = "https" if self.info.get("secure") else "http"
        return f"{scheme}://127.0.0.1:{self.port}{self.info['base_url']}"

    @property
    def root_dir(self) -> Path:
        return self.dirs.root

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"} if self.token else {}

    def client(self, authenticated: bool = True, **kwargs: Any) -> httpx.Client:
        headers = self.auth_headers if authenticated else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10, **kwargs)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 10.0) -> int:
        """Signal the server and wait for it; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return int(self.process.returncode)


def wait_for_info(process: subprocess.Popen[bytes], runtime: Path, log: Path) -> dict[str, Any]:
    """The server's info file once written; fails with the server's output if it dies."""
    path = runtime / f"jpserver-{process.pid}.json"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited with {process.returncode}:\n{log.read_text()}")
        if path.exists():
            try:
                info: dict[str, Any] = json.loads(path.read_text())
                return info
            except ValueError:
                pass  # being written
        time.sleep(0.02)
    process.kill()
    pytest.fail(f"server did not start in {START_TIMEOUT}s:\n{log.read_text()}")


# Every server started by `launch` in this test run, oldest first (tests/reliability checks
# their logs after each test).
LAUNCHED: list[RunningServer] = []


def launch(
    dirs: ServerDirs,
    *args: str,
    token: str | None = None,
    env: dict[str, str] | None = None,
    wait: bool = True,
    notebook_dir: bool = True,
) -> RunningServer:
    """Start `carnet notebook` with the standard test arguments plus `args`.

    An explicit --port=... or --NotebookApp.open_browser=... in args replaces the
    default one. notebook_dir=False leaves out --notebook-dir (the server then serves its cwd,
    dirs.base, unless config says otherwise).
    """
    token = secrets.token_hex(16) if token is None else token
    log_path = dirs.base / f"server-{time.monotonic_ns()}.log"
    command = carnet_command(
        "notebook",
        *(
            []
            if any(a.startswith("--NotebookApp.open_browser") for a in args)
            else ["--no-browser"]
        ),
        *([] if any(a.startswith("--port=") for a in args) else [f"--port={free_port()}"]),
        "--ip=127.0.0.1",
        *([f"--notebook-dir={dirs.root}"] if notebook_dir else []),
        f"--NotebookApp.token={token}",
        *args,
    )
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env if env is not None else dirs.env(),
            cwd=dirs.base,
        )
    if not wait:
        LAUNCHED.append(RunningServer(process, dirs, log_path, token, {}))
        return LAUNCHED[-1]
    info = wait_for_info(process, dirs.runtime, log_path)
    server = RunningServer(process, dirs, log_path, token, info)
    LAUNCHED.append(server)
    _wait_ready(server)
    return server


def _wait_ready(server: RunningServer) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    verify = False
    while time.monotonic() < deadline:
        try:
            response = httpx.get(
                server.url + "api/status", headers=server.auth_headers, verify=verify, timeout=2
            )
            if response.status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.02)
    pytest.fail(f"server never answered /api/status:\n{server.output()}")


StartServer = Callable[..., RunningServer]


@pytest.fixture
def server_dirs(tmp_path: Path) -> ServerDirs:
    return ServerDirs(tmp_path)


@pytest.fixture
def start_server(server_dirs: ServerDirs) -> Iterator[StartServer]:
    """A factory: start_server(*args, token=None, env=None, dirs=None) -> RunningServer."""
    started: list[RunningServer] = []

    def start(*args: str, dirs: ServerDirs | None = None, **kwargs: Any) -> RunningServer:
        server = launch(dirs or server_dirs, *args, **kwargs)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def server(start_server: StartServer) -> RunningServer:
    """A fresh server on a free port, with a random token."""
    return start_server()
