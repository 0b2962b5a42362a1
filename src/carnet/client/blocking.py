"""A blocking face on AsyncKernelClient, for scripts and tests.

The async client runs on an event loop in a background thread; each method
here submits a coroutine to it and waits. Iopub and stdin messages are also
queued (thread-safe) for `get_iopub_msg` / `get_stdin_msg`.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Awaitable, Callable, Coroutine
from pathlib import Path
from typing import Any, Literal, TypeVar

from carnet.client.client import AsyncKernelClient, OutputHook, print_output
from carnet.errors import KernelTimeout
from carnet.protocol import Message
from carnet.protocol.connection_file import ConnectionInfo, read_connection_file

T = TypeVar("T")


class LoopThread:
    """An asyncio event loop running on its own daemon thread."""

    def __init__(self, name: str = "carnet-loop") -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name=name, daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float | None = None) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def call(self, func: Callable[[], T]) -> T:
        async def wrapper() -> T:
            return func()

        return self.run(wrapper())

    def stop(self) -> None:
        if self.loop.is_closed():
            return
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join()
        self.loop.close()


class BlockingKernelClient:
    """Synchronous requests to one kernel; see AsyncKernelClient for the semantics."""

    def __init__(self, info: ConnectionInfo) -> None:
        self.info = info
        self._thread = LoopThread("carnet-kernel-client")
        self.async_client = self._thread.call(lambda: AsyncKernelClient(info))
        self._iopub: queue.Queue[Message] = queue.Queue()
        self._stdin: queue.Queue[Message] = queue.Queue()
        self._nowait: dict[str, Any] = {}

    @classmethod
    def from_connection_file(cls, path: Path | str) -> BlockingKernelClient:
        return cls(read_connection_file(path))

    def __enter__(self) -> BlockingKernelClient:
        self.start_channels()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def session_id(self) -> str:
        return self.async_client.session.session_id

    def start_channels(self) -> None:
        async def start() -> None:
            self.async_client.on_iopub(self._iopub.put)
            self.async_client.on_stdin(self._stdin.put)
            await self.async_client.start_channels()

        self._thread.run(start())

    def close(self) -> None:
        """Close the sockets and stop the loop thread."""
        if not self._thread.loop.is_closed():
            self._thread.run(self.async_client.stop_channels())
            self._thread.stop()

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return self._thread.run(coro)

    # --- queues -----------------------------------------------------------------

    def get_iopub_msg(self, timeout: float | None = None) -> Message:
        try:
            return self._iopub.get(timeout=timeout)
        except queue.Empty:
            raise KernelTimeout(f"no iopub message within {timeout}s") from None

    def get_stdin_msg(self, timeout: float | None = None) -> Message:
        try:
            return self._stdin.get(timeout=timeout)
        except queue.Empty:
            raise KernelTimeout(f"no stdin request within {timeout}s") from None

    def iopub_until_idle(self, parent_msg_id: str, timeout: float = 10.0) -> list[Message]:
        """The iopub messages of one request, up to and including its idle status."""
        out: list[Message] = []
        while True:
            msg = self.get_iopub_msg(timeout)
            if msg.parent_msg_id != parent_msg_id:
                continue
            out.append(msg)
            if msg.msg_type == "status" and msg.content.get("execution_state") == "idle":
                return out

    # --- requests ---------------------------------------------------------------

    def wait_for_ready(self, timeout: float = 30.0) -> Message:
        return self._call(self.async_client.wait_for_ready(timeout))

    def kernel_info(self, timeout: float | None = 10.0) -> Message:
        return self._call(self.async_client.kernel_info(timeout))

    def execute(self, code: str, *, timeout: float | None = 30.0, **options: Any) -> Message:
        return self._call(self.async_client.execute(code, timeout=timeout, **options))

    def execute_nowait(self, code: str, **options: Any) -> str:
        """Send an execute_request and return its msg_id; `wait_reply` gets the reply."""

        async def send() -> str:
            pending = self.async_client.send_execute(code, **options)
            self._nowait[pending.msg_id] = pending
            return pending.msg_id

        return self._call(send())

    def wait_reply(self, msg_id: str, timeout: float | None = 30.0) -> Message:
        pending = self._nowait.pop(msg_id)
        return self._call(self.async_client.wait_reply(pending, timeout))

    def complete(self, code: str, cursor_pos: int | None = None, timeout: float = 10.0) -> Message:
        return self._call(self.async_client.complete(code, cursor_pos, timeout))

    def inspect(
        self,
        code: str,
        cursor_pos: int | None = None,
        detail_level: Literal[0, 1] = 0,
        timeout: float = 10.0,
    ) -> Message:
        return self._call(self.async_client.inspect(code, cursor_pos, detail_level, timeout))

    def history(
        self, hist_access_type: str = "tail", timeout: float = 10.0, **query: Any
    ) -> Message:
        return self._call(self.async_client.history(hist_access_type, timeout=timeout, **query))

    def is_complete(self, code: str, timeout: float = 10.0) -> Message:
        return self._call(self.async_client.is_complete(code, timeout))

    def comm_info(self, target_name: str | None = None, timeout: float = 10.0) -> Message:
        return self._call(self.async_client.comm_info(target_name, timeout))

    def comm_open(self, target_name: str, data: dict[str, Any] | None = None) -> str:
        return self._thread.call(lambda: self.async_client.comm_open(target_name, data))

    def comm_msg(self, comm_id: str, data: dict[str, Any]) -> None:
        self._thread.call(lambda: self.async_client.comm_msg(comm_id, data))

    def comm_close(self, comm_id: str) -> None:
        self._thread.call(lambda: self.async_client.comm_close(comm_id))

    def input_reply(self, value: str) -> None:
        self._thread.call(lambda: self.async_client.input_reply(value))

    def interrupt(self, timeout: float = 10.0) -> Message:
        return self._call(self.async_client.interrupt(timeout))

    def shutdown(self, restart: bool = False, timeout: float = 10.0) -> Message:
        return self._call(self.async_client.shutdown(restart, timeout))

    def is_alive(self, timeout: float = 1.0) -> bool:
        """Whether the kernel answers its heartbeat."""
        return self._call(self.async_client.heartbeat.beat(timeout))

    def execute_interactive(
        self,
        code: str,
        output_hook: OutputHook | None = print_output,
        stdin_hook: Callable[[Message], str] | None = None,
        timeout: float | None = 30.0,
        **options: Any,
    ) -> Message:
        """As AsyncKernelClient.execute_interactive; a blocking stdin_hook runs in a worker
        thread, so the loop keeps reading while it waits for the user."""
        hook = None if stdin_hook is None else self._in_worker(stdin_hook)
        return self._call(
            self.async_client.execute_interactive(code, output_hook, hook, timeout, **options)
        )

    @staticmethod
    def _in_worker(func: Callable[[Message], str]) -> Callable[[Message], Awaitable[str]]:
        async def run(msg: Message) -> str:
            return await asyncio.get_running_loop().run_in_executor(None, func, msg)

        return run
