"""A kernel's operating-system process: launch, signal, wait, reap.

The kernel runs in its own session (process group), so a Ctrl-C in the
terminal reaches Carnet, which decides whether to interrupt the kernel; signals
go to the whole group so the kernel's own subprocesses get them too. Exit is
noticed through a pidfd on the event loop (no thread, no polling), and
stderr is drained into a bounded tail for error messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path

from carnet.errors import KernelStartError

_TAIL_BYTES = 8192


class KernelProcess:
    def __init__(self, popen: subprocess.Popen[bytes], echo_stderr: bool) -> None:
        self._popen = popen
        self._echo = echo_stderr
        self._tail: deque[bytes] = deque()
        self._tail_size = 0
        self._watched: list[tuple[bytes, asyncio.Future[None]]] = []
        self._loop = asyncio.get_running_loop()
        self._exited: asyncio.Future[int] = self._loop.create_future()
        self._pidfd: int | None = None
        self._stderr_fd: int | None = None
        assert popen.stderr is not None
        self._stderr_fd = popen.stderr.fileno()
        os.set_blocking(self._stderr_fd, False)
        self._loop.add_reader(self._stderr_fd, self._read_stderr)
        try:
            self._pidfd = os.pidfd_open(popen.pid)
            self._loop.add_reader(self._pidfd, self._check_exit)
        except (AttributeError, OSError):
            self._loop.create_task(self._poll_exit())

    @classmethod
    async def launch(
        cls,
        argv: Sequence[str],
        env: Mapping[str, str],
        cwd: Path | str | None = None,
        echo_stderr: bool = True,
    ) -> KernelProcess:
        try:
            popen = subprocess.Popen(
                list(argv),
                env=dict(env),
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                start_new_session=True,
                close_fds=True,
            )
        except OSError as exc:
            raise KernelStartError(f"cannot run {argv[0]!r}: {exc}") from None
        return cls(popen, echo_stderr)

    @property
    def pid(self) -> int:
        return self._popen.pid

    @property
    def returncode(self) -> int | None:
        return self._exited.result() if self._exited.done() else None

    def stderr_tail(self, max_chars: int = 2000) -> str:
        self._read_stderr()
        text = b"".join(self._tail).decode("utf-8", "replace")
        return text[-max_chars:].strip()

    async def said(self, text: str) -> None:
        """Return once the kernel writes `text` to its stderr, or at once if the tail kept
        for error messages (its last 8 KiB) already holds it."""
        needle = text.encode()
        if needle in b"".join(self._tail):
            return
        future: asyncio.Future[None] = self._loop.create_future()
        self._watched.append((needle, future))
        try:
            await future
        finally:
            self._watched.remove((needle, future))

    async def wait(self, timeout: float | None = None) -> int | None:
        """The exit code, or None if the process still runs after `timeout` seconds."""
        try:
            return await asyncio.wait_for(asyncio.shield(self._exited), timeout)
        except TimeoutError:
            return None

    def send_signal(self, sig: int, group: bool = True) -> None:
        """Signal the kernel (and by default its process group) while it runs."""
        if self._exited.done():
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if group:
                os.killpg(self.pid, sig)
            else:
                os.kill(self.pid, sig)

    async def terminate(self, term_timeout: float = 2.0) -> int:
        """SIGTERM, then SIGKILL if it does not exit in time; always reaps."""
        if self._exited.done():
            return self._exited.result()
        self.send_signal(signal.SIGTERM)
        code = await self.wait(term_timeout)
        if code is None:
            self.send_signal(signal.SIGKILL)
            code = await self.wait(None)
        return code if code is not None else -signal.SIGKILL

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def _check_exit(self) -> None:
        code = self._popen.poll()
        if code is not None:
            self._finish(code)

    async def _poll_exit(self) -> None:
        while self._popen.poll() is None:
            await asyncio.sleep(0.05)
        self._finish(self._popen.returncode)

    def _finish(self, code: int) -> None:
        if self._pidfd is not None:
            self._loop.remove_reader(self._pidfd)
            os.close(self._pidfd)
            self._pidfd = None
        self._read_stderr()
        self._close_stderr()
        if not self._exited.done():
            self._exited.set_result(code)

    def _read_stderr(self) -> None:
        if self._stderr_fd is None:
            return
        while True:
            try:
                chunk = os.read(self._stderr_fd, 65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                chunk = b""
            if not chunk:
                self._close_stderr()
                return
            self._keep(chunk)

    def _keep(self, chunk: bytes) -> None:
        if self._echo:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                sys.stderr.buffer.write(chunk)
                sys.stderr.buffer.flush()
        self._tail.append(chunk)
        self._tail_size += len(chunk)
        while self._tail_size > _TAIL_BYTES and len(self._tail) > 1:
            self._tail_size -= len(self._tail.popleft())
        if self._watched:
            text = b"".join(self._tail)  # the tail: a needle may span two chunks
            for needle, future in self._watched:
                if needle in text and not future.done():
                    future.set_result(None)

    def _close_stderr(self) -> None:
        if self._stderr_fd is not None:
            self._loop.remove_reader(self._stderr_fd)
            self._stderr_fd = None
            assert self._popen.stderr is not None
            self._popen.stderr.close()
