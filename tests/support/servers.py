"""Carnet and Jupyter servers as subprocesses, for tests and benchmarks.

Each server gets its own JUPYTER_CONFIG_DIR, JUPYTER_DATA_DIR and JUPYTER_RUNTIME_DIR,
listens on 127.0.0.1 only and starts on --port=0: the port it got, with its base_url,
is read from its info file (jpserver-PID.json in its runtime directory), so no port is
guessed before it binds. Every wait has a deadline; a server that exits or does not
start raises ServerError with its output.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

START_TIMEOUT = 20.0


class ServerError(RuntimeError):
    """A server exited, or did not start in time (the message holds its output)."""


# What no Carnet server log may show (checked by tests/reliability and by bench/): a failure
# is logged as one line saying what happened, never as a traceback, and no task's
# exception goes unseen.
LOG_FAILURES = ("Traceback", "Task exception was never retrieved")


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
        kwargs.setdefault("timeout", 10)
        return httpx.Client(base_url=self.url, headers=headers, **kwargs)

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def log_failure(self) -> str | None:
        """The log around its first traceback or unseen task exception, if it has one."""
        log = self.output()
        for failure in LOG_FAILURES:
            where = log.find(failure)
            if where >= 0:
                return log[max(0, where - 500) :][:5000]
        return None

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


def wait_for_info(
    process: subprocess.Popen[bytes],
    runtime: Path,
    log: Path,
    timeout: float = START_TIMEOUT,
    interval: float = 0.02,
) -> dict[str, Any]:
    """The server's info file once written (its real port); ServerError if it dies first."""
    path = runtime / f"jpserver-{process.pid}.json"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"server exited with {process.returncode}:\n{_read(log)}")
        if path.exists():
            try:
                info: dict[str, Any] = json.loads(path.read_text())
                return info
            except ValueError:
                pass  # being written
        time.sleep(interval)
    process.kill()
    process.wait(5)
    raise ServerError(f"server wrote no info file in {timeout}s:\n{_read(log)}")


def wait_ready(
    server: RunningServer, timeout: float = START_TIMEOUT, interval: float = 0.02
) -> None:
    """Until /api/status answers (anything below 500); ServerError after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = httpx.get(
                server.url + "api/status", headers=server.auth_headers, verify=False, timeout=2
            )
            if response.status_code < 500:
                return
        except httpx.TransportError:
            pass
        if server.process.poll() is not None:
            raise ServerError(f"server exited with {server.process.returncode}:\n{server.output()}")
        time.sleep(interval)
    raise ServerError(f"server never answered /api/status in {timeout}s:\n{server.output()}")


def _read(log: Path) -> str:
    return log.read_text(errors="replace") if log.exists() else ""


# Every server started here in this test run, oldest first (tests/reliability checks their
# logs after each test).
LAUNCHED: list[RunningServer] = []


def _start(
    dirs: ServerDirs,
    command: list[str],
    token: str,
    env: dict[str, str] | None,
    wait: bool,
    timeout: float,
    interval: float,
) -> RunningServer:
    log_path = dirs.base / f"server-{time.monotonic_ns()}.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env if env is not None else dirs.env(),
            cwd=dirs.base,
        )
    server = RunningServer(process, dirs, log_path, token, {})
    LAUNCHED.append(server)
    if not wait:
        return server
    try:
        server.info = wait_for_info(process, dirs.runtime, log_path, timeout, interval)
        wait_ready(server, timeout, interval)
    except BaseException:
        server.stop()
        raise
    return server


def launch(
    dirs: ServerDirs,
    *args: str,
    token: str | None = None,
    env: dict[str, str] | None = None,
    wait: bool = True,
    notebook_dir: bool = True,
    timeout: float = START_TIMEOUT,
    interval: float = 0.02,
) -> RunningServer:
    """Start `carnet notebook` on --port=0 with the standard test arguments plus `args`.

    An explicit --port=... or --NotebookApp.open_browser=... in args replaces the
    default one. notebook_dir=False leaves out --notebook-dir (the server then serves its
    cwd, dirs.base, unless config says otherwise). wait=False returns at once, with an
    empty info (no port yet).
    """
    token = secrets.token_hex(16) if token is None else token
    command = carnet_command(
        "notebook",
        *(
            []
            if any(a.startswith("--NotebookApp.open_browser") for a in args)
            else ["--no-browser"]
        ),
        *([] if any(a.startswith("--port=") for a in args) else ["--port=0"]),
        "--ip=127.0.0.1",
        *([f"--notebook-dir={dirs.root}"] if notebook_dir else []),
        f"--NotebookApp.token={token}",
        *args,
    )
    return _start(dirs, command, token, env, wait, timeout, interval)


def launch_jupyter(
    dirs: ServerDirs,
    *args: str,
    notebook: bool = False,
    token: str | None = None,
    timeout: float = 60.0,
    interval: float = 0.02,
) -> RunningServer:
    """Start Jupyter's own server (jupyter_server, or Notebook 7 with notebook=True) on
    --port=0, for side-by-side comparisons; its info file is read the same way."""
    token = secrets.token_hex(16) if token is None else token
    command = [
        sys.executable,
        "-m",
        "notebook" if notebook else "jupyter_server",
        "--no-browser",
        "--allow-root",
        "--ip=127.0.0.1",
        "--port=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={dirs.root}",
        *args,
    ]
    return _start(dirs, command, token, None, True, timeout, interval)
