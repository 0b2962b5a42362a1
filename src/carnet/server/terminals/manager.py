"""TerminalManager: the server's terminals by name, their shells, and idle culling.

Names are the smallest unused positive integers ("1", "2", ...), as Jupyter
names them, unless the client asks for one. A terminal whose shell exits is
forgotten at once (its page is told through the websocket). Culling follows
Jupyter's `TerminalManager.cull_inactive_timeout`: a terminal with neither input
nor output for that long is closed, connected or not.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

from carnet.errors import TerminalError, TerminalNotFound
from carnet.server.activity import iso_utc
from carnet.server.terminals.pty import Terminal

log = logging.getLogger("carnet.server")

DEFAULT_TERM = "xterm-256color"


def default_shell() -> list[str]:
    """$SHELL, else sh: what a login on this machine would give the user."""
    return [os.environ.get("SHELL") or shutil.which("sh") or "/bin/sh"]


class TerminalManager:
    """Creates, lists, closes and culls terminals."""

    def __init__(
        self,
        root_dir: Path,
        terminado_settings: dict[str, Any] | None = None,
        cull_inactive_timeout: float = 0,
        cull_interval: float = 300,
    ) -> None:
        settings = terminado_settings or {}
        command = settings.get("shell_command")
        self.root_dir = root_dir
        self.shell_command = [str(part) for part in command] if command else default_shell()
        self.term_type = str(settings.get("type") or DEFAULT_TERM)
        self.cull_inactive_timeout = cull_inactive_timeout
        self.cull_interval = cull_interval if cull_interval > 0 else 300
        self.terminals: dict[str, Terminal] = {}
        self._culler: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self.terminals)

    def _next_name(self) -> str:
        number = 1
        while str(number) in self.terminals:
            number += 1
        return str(number)

    def _environment(self, cwd: Path) -> dict[str, str]:
        env = dict(os.environ)
        env["TERM"] = self.term_type
        env["JUPYTER_SERVER_ROOT"] = str(self.root_dir)
        env.pop("JUPYTER_TOKEN", None)  # the server's secret does not leak into every shell
        env["PWD"] = str(cwd)
        return env

    def create(self, name: str | None = None, cwd: Path | None = None) -> Terminal:
        """Start a shell; a given name must be free."""
        if name is not None and name in self.terminals:
            raise TerminalError(f"a terminal named {name!r} already exists")
        name = name or self._next_name()
        directory = cwd or self.root_dir
        try:
            terminal = Terminal(
                name, self.shell_command, directory, self._environment(directory), self._forget
            )
        except OSError as exc:  # the command is missing or not executable
            command = " ".join(self.shell_command)
            raise TerminalError(f"cannot start the shell {command!r}: {exc}") from exc
        self.terminals[name] = terminal
        log.info("Terminal %s started (%s, pid %d)", name, self.shell_command[0], terminal.pid)
        self._ensure_culler()
        return terminal

    def get(self, name: str) -> Terminal:
        terminal = self.terminals.get(name)
        if terminal is None:
            raise TerminalNotFound(f"no terminal named {name!r}")
        return terminal

    @staticmethod
    def model(terminal: Terminal) -> dict[str, Any]:
        return {"name": terminal.name, "last_activity": iso_utc(terminal.last_activity)}

    def models(self) -> list[dict[str, Any]]:
        return [self.model(t) for t in self.terminals.values()]

    def _forget(self, terminal: Terminal) -> None:
        if self.terminals.get(terminal.name) is terminal:
            del self.terminals[terminal.name]
            log.info("Terminal %s: the shell exited", terminal.name)

    async def terminate(self, name: str) -> None:
        terminal = self.get(name)
        del self.terminals[name]
        await terminal.close()
        log.info("Terminal %s closed", name)

    async def shutdown_all(self) -> None:
        if self._culler is not None:
            self._culler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._culler
            self._culler = None
        terminals = list(self.terminals.values())
        self.terminals.clear()
        await asyncio.gather(*(t.close() for t in terminals), return_exceptions=True)

    # --- culling ------------------------------------------------------------

    def _ensure_culler(self) -> None:
        if self.cull_inactive_timeout > 0 and self._culler is None:
            self._culler = asyncio.get_running_loop().create_task(self._cull_forever())

    async def _cull_forever(self) -> None:
        while True:
            await asyncio.sleep(min(self.cull_interval, self.cull_inactive_timeout))
            await self.cull_once()

    async def cull_once(self) -> list[str]:
        now = time.time()
        idle = [
            name
            for name, t in self.terminals.items()
            if now - t.last_activity > self.cull_inactive_timeout
        ]
        for name in idle:
            log.info("Culling terminal %s: inactive for over %ss", name, self.cull_inactive_timeout)
            with contextlib.suppress(TerminalNotFound):
                await self.terminate(name)
        return idle
