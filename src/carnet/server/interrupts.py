"""Ctrl-C and SIGTERM, the Jupyter way.

SIGTERM (and Ctrl-C without a terminal) shuts down at once. Ctrl-C at a terminal
asks "Shutdown this notebook server (y/[n])?" and resumes without an answer in
5 s; a second Ctrl-C within those 5 s shuts down without asking.
"""

from __future__ import annotations

import asyncio
import select
import signal
import sys
import threading
import time
from collections.abc import Callable

CONFIRM_SECONDS = 5.0


class ShutdownSignals:
    """Installs SIGINT/SIGTERM handlers on the running loop that call `stop`."""

    def __init__(
        self, stop: Callable[[], None], describe: Callable[[], list[str]], confirm: bool = True
    ) -> None:
        self.stop = stop
        self.describe = describe
        # Off under JupyterHub: its SIGINT means stop now, within its 10 s window.
        self.confirm = confirm
        self.asked_at = 0.0
        self.loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.loop.add_signal_handler(signal.SIGTERM, self._terminate)
        self.loop.add_signal_handler(signal.SIGINT, self._interrupt)

    def uninstall(self) -> None:
        if self.loop is not None:
            self.loop.remove_signal_handler(signal.SIGTERM)
            self.loop.remove_signal_handler(signal.SIGINT)

    def _terminate(self) -> None:
        self.stop()

    def _interrupt(self) -> None:
        now = time.monotonic()
        if not self.confirm or not _interactive() or now - self.asked_at < CONFIRM_SECONDS:
            self.stop()
            return
        self.asked_at = now
        threading.Thread(target=self._confirm, name="confirm-shutdown", daemon=True).start()

    def _confirm(self) -> None:
        """Runs in a thread: the loop keeps serving while we wait for an answer."""
        out = sys.stdout
        for line in self.describe():
            print(line, file=out)
        print("Shutdown this notebook server (y/[n])? ", end="", file=out, flush=True)
        ready, _, _ = select.select([sys.stdin], [], [], CONFIRM_SECONDS)
        answer = sys.stdin.readline().strip().lower() if ready else ""
        if answer.startswith("y") and self.loop is not None:
            print("Shutdown confirmed", file=out, flush=True)
            self.loop.call_soon_threadsafe(self.stop)
            return
        reason = "No answer for 5s" if not ready else "Not confirmed"
        print(f"{reason}: resuming operation...", file=out, flush=True)
        self.asked_at = 0.0


def _interactive() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except ValueError:  # stdin closed
        return False
