"""Jupyverse, the third server in the side-by-side rows: a bench-only dependency.

It lives in its own virtual environment under .cache/ (made on first use with
`pip install jupyverse[noauth,jupyterlab] ipykernel`), never in Carnet's, and is
started on loopback in the root directory it serves, without authentication (its
token plugin is a separate package; skipping auth only helps its figures).
Jupyverse answers a notebook GET with the file's text as a string (its documents
live in Yjs); the bench parses that string outside the timed part.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".cache" / "jupyverse-venv"
PACKAGES = ("jupyverse[noauth,jupyterlab]", "ipykernel")


def ensure_venv() -> Path:
    """The jupyverse executable, installing it into its own venv the first time."""
    exe = VENV / "bin" / "jupyverse"
    if not exe.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "-q", *PACKAGES]
        subprocess.run(pip, check=True)
    return exe


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Jupyverse:
    """A running Jupyverse serving `root`; the same surface the bench uses of the others."""

    def __init__(self, root: Path, log: Path, timeout: float = 120.0) -> None:
        exe = ensure_venv()
        self.root = root
        self.port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER_", "PYTHON"))}
        env["JUPYTER_RUNTIME_DIR"] = str(root.parent / "jupyverse-runtime")
        args = ["--host", "127.0.0.1", "--port", str(self.port), "--timeout", str(timeout)]
        started = time.perf_counter()
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [str(exe), *args, "--disable", "auth", "--disable", "login"],
                cwd=root,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyverse exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(self.url + "api/kernelspecs", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("jupyverse did not start")
            time.sleep(0.005)
        self.startup = time.perf_counter() - started

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
