"""One terminal: a shell in a pseudo-terminal, its recent output, and who watches it.

The pty's master side is read with the event loop's reader callbacks (never a
thread): output is decoded as UTF-8 (a character split across reads is kept
for the next one), appended to a bounded replay buffer, and handed to every
attached client. Input that the pty cannot take at once waits in a buffer and
is written when the fd becomes writable, so a shell that stops reading never
blocks the server. End of file on the master means the shell (and everything
holding the pty) is gone: the clients are told and the process is reaped.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ptyprocess import PtyProcess

# Characters of recent output replayed to a client that (re)connects.
REPLAY_CHARS = 64 * 1024
# How long a hung-up shell has before it is killed.
KILL_GRACE = 2.0
READ_SIZE = 64 * 1024


class TerminalClient(Protocol):
    """A websocket attached to a terminal, as the terminal sees it."""

    def send(self, message: list[object]) -> None:
        """Queue a terminado message (["stdout", text] or ["disconnect", 1])."""


class Terminal:
    """A running shell in a pty."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        cwd: Path,
        env: dict[str, str],
        on_exit: Callable[[Terminal], None],
    ) -> None:
        from ptyprocess import PtyProcess

        self.name = name
        self.process: PtyProcess = PtyProcess.spawn(
            argv, cwd=str(cwd), env=env, dimensions=(24, 80)
        )
        # Closing a dead process's pty must not sleep in the event loop (ptyprocess waits 0.1 s).
        self.process.delayafterclose = 0
        self.fd: int = self.process.fd
        os.set_blocking(self.fd, False)
        self.last_activity = time.time()
        self.clients: set[TerminalClient] = set()
        self.exited = False
        self._on_exit = on_exit
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._replay: deque[str] = deque()
        self._replay_chars = 0
        self._pending_input = bytearray()
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.fd, self._readable)

    @property
    def pid(self) -> int:
        return int(self.process.pid)

    def touch(self) -> None:
        self.last_activity = time.time()

    def replay(self) -> str:
        """Recent output, so a reconnecting page shows the screen it had."""
        return "".join(self._replay)

    def attach(self, client: TerminalClient) -> None:
        self.clients.add(client)

    def detach(self, client: TerminalClient) -> None:
        self.clients.discard(client)

    def write(self, text: str) -> None:
        if self.exited:
            return
        self.touch()
        self._pending_input += text.encode("utf-8", errors="replace")
        self._flush_input()

    def resize(self, rows: int, cols: int) -> None:
        if self.exited:
            return
        with contextlib.suppress(OSError):
            self.process.setwinsize(rows, cols)

    def _flush_input(self) -> None:
        try:
            written = os.write(self.fd, self._pending_input) if self._pending_input else 0
        except BlockingIOError:
            written = 0
        except OSError:
            self._pending_input.clear()
            return
        del self._pending_input[:written]
        if self._pending_input:
            self._loop.add_writer(self.fd, self._flush_input)
        else:
            self._loop.remove_writer(self.fd)

    def _readable(self) -> None:
        try:
            data = os.read(self.fd, READ_SIZE)
        except BlockingIOError:
            return
        except OSError:  # EIO: every holder of the pty's other side has closed it
            data = b""
        if not data:
            self._ended()
            return
        text = self._decoder.decode(data)
        if not text:
            return
        self.touch()
        self._remember(text)
        for client in list(self.clients):
            client.send(["stdout", text])

    def _remember(self, text: str) -> None:
        self._replay.append(text)
        self._replay_chars += len(text)
        while self._replay_chars > REPLAY_CHARS and len(self._replay) > 1:
            self._replay_chars -= len(self._replay.popleft())

    def _ended(self) -> None:
        if self.exited:
            return
        self.exited = True
        self._stop_watching()
        for client in list(self.clients):
            client.send(["disconnect", 1])
        self._on_exit(self)
        self._loop.create_task(self._reap())

    def _stop_watching(self) -> None:
        self._loop.remove_reader(self.fd)
        self._loop.remove_writer(self.fd)

    async def close(self) -> None:
        """Hang up the shell (SIGHUP to its process group, as a closed terminal does), then kill."""
        if not self.exited:
            self.exited = True
            self._stop_watching()
            for client in list(self.clients):
                client.send(["disconnect", 1])
        if self._alive():
            self._signal(signal.SIGHUP)
            self._signal(signal.SIGCONT)
        await self._reap()

    def _signal(self, sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, sig)

    async def _reap(self) -> None:
        deadline = time.monotonic() + KILL_GRACE
        while self._alive():
            if time.monotonic() > deadline:
                self._signal(signal.SIGKILL)
                deadline = time.monotonic() + KILL_GRACE
            await asyncio.sleep(0.02)
        with contextlib.suppress(OSError):
            self.process.close(force=False)

    def _alive(self) -> bool:
        try:
            return bool(self.process.isalive())
        except Exception:  # already reaped elsewhere: gone
            return False
