"""The asyncio kernel client: one typed method per request of the messaging protocol."""

from __future__ import annotations

import asyncio
import inspect
import logging
import sys
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Literal

from carnet.client.channels import KernelChannels, Pending
from carnet.connection_files import read_connection_file
from carnet.errors import KernelTimeout
from carnet.protocol import Message
from carnet.protocol.content import (
    CommClose,
    CommInfoRequest,
    CommMsg,
    CommOpen,
    CompleteRequest,
    ExecuteRequest,
    InputReply,
    InspectRequest,
    IsCompleteRequest,
    ShutdownRequest,
)
from carnet.protocol.messages import JsonDict

# How long wait_for_ready() waits for one kernel_info_reply before asking again, doubling
# up to the most: a kernel still importing answers every request once it binds.
READY_PATIENCE = 1.0
MAX_READY_PATIENCE = 4.0
# Seconds without readiness before wait_for_ready() asks over new connections, then again
# as long: the first three asks' patience (1 + 2 + 4), longer than a kernel's usual start.
RECONNECT_AFTER = 7.0

log = logging.getLogger("carnet.client")

OutputHook = Callable[[Message], None]
# Answers an input_request: returns the text, or an awaitable of it.
StdinHook = Callable[[Message], str | Awaitable[str]]


def print_output(msg: Message) -> None:
    """A default output hook: streams, results and tracebacks as plain text."""
    content = msg.content
    if msg.msg_type == "stream":
        target = sys.stderr if content.get("name") == "stderr" else sys.stdout
        target.write(str(content.get("text", "")))
        target.flush()
    elif msg.msg_type in ("execute_result", "display_data"):
        text = content.get("data", {}).get("text/plain")
        if text is not None:
            print(text)
    elif msg.msg_type == "error":
        print("\n".join(content.get("traceback", [])), file=sys.stderr)


class AsyncKernelClient(KernelChannels):
    """Requests to one kernel. Replies are Messages; `content["status"]` tells errors."""

    _last_ready_probe: Pending | None = None
    # What the last wait_for_ready() asked and got back (see there).
    ready_note = ""

    @classmethod
    def from_connection_file(cls, path: Path | str, **kwargs: Any) -> AsyncKernelClient:
        return cls(read_connection_file(path), **kwargs)

    async def wait_for_ready(self, timeout: float = 30.0) -> Message:
        """Wait until the kernel answers kernel_info and its iopub reaches us.

        A SUB socket misses what is published before it is connected, so
        kernel_info is repeated until its busy/idle status also arrives on iopub. A
        request can be lost too (sent down a connection that then broke, as when the
        port still belonged to another process for a moment), so one that gets no
        reply in a while is asked again. A connection can also carry nothing at all
        while the kernel runs: libzmq gives up on an endpoint for good when its first
        peer there was a socket of an incompatible type (another kernel's, on a port
        both starts were handed), so a kernel not ready after RECONNECT_AFTER is asked
        over new connections. `ready_note` then says what came back, for the error of a
        kernel that never became ready.
        """
        seen_on_iopub: set[str] = set()
        remove = self.on_packed("iopub", lambda msg: seen_on_iopub.add(msg.parent_msg_id))
        before = dict(self.received)
        asks = reconnects = 0
        stuck = ""  # what had come back when the last reconnection was made
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                wait = 0.05
                patience = READY_PATIENCE
                connected_at = loop.time()
                while True:
                    if loop.time() - connected_at >= RECONNECT_AFTER:
                        stuck = self._traffic_since(before)
                        await self.reconnect_channels()
                        reconnects += 1
                        connected_at = loop.time()
                    pending = self.send_request("shell", "kernel_info_request")
                    asks += 1
                    self._last_ready_probe = pending
                    try:
                        reply = await asyncio.wait_for(pending.reply, patience)
                    except TimeoutError:
                        self.forget(pending)
                        patience = min(patience * 2, MAX_READY_PATIENCE)
                        continue
                    for _ in range(10):
                        if pending.msg_id in seen_on_iopub:
                            if reconnects:
                                log.warning(
                                    "kernel became ready after %d asks over %d connections "
                                    "(it had sent %s before the last reconnection)",
                                    asks,
                                    reconnects + 1,
                                    stuck,
                                )
                            return reply
                        await asyncio.sleep(wait / 10)
                    wait = min(wait * 2, 0.5)
        except TimeoutError:
            raise KernelTimeout(f"kernel did not become ready within {timeout}s") from None
        finally:
            remove()
            if self._last_ready_probe is not None:
                self.forget(self._last_ready_probe)
                self._last_ready_probe = None
            connections = "1 connection" if not reconnects else f"{reconnects + 1} connections"
            self.ready_note = (
                f"asked {asks} times over {connections}; it sent {self._traffic_since(before)}"
            )

    def _traffic_since(self, before: dict[str, int]) -> str:
        """Messages read from each socket since the counts in `before`, in words."""
        return ", ".join(
            f"{self.received[channel] - count} messages on {channel}"
            for channel, count in before.items()
        )

    async def kernel_info(self, timeout: float | None = None, channel: str = "shell") -> Message:
        return await self.request(channel, "kernel_info_request", {}, timeout)

    def send_execute(
        self,
        code: str,
        *,
        silent: bool = False,
        store_history: bool = True,
        user_expressions: JsonDict | None = None,
        allow_stdin: bool = False,
        stop_on_error: bool = True,
    ) -> Pending:
        content: ExecuteRequest = {
            "code": code,
            "silent": silent,
            "store_history": store_history,
            "user_expressions": user_expressions or {},
            "allow_stdin": allow_stdin,
            "stop_on_error": stop_on_error,
        }
        return self.send_request("shell", "execute_request", content)

    async def execute(self, code: str, *, timeout: float | None = None, **options: Any) -> Message:
        """execute_request; options as in `send_execute`. Returns the execute_reply."""
        return await self.wait_reply(self.send_execute(code, **options), timeout)

    async def complete(
        self, code: str, cursor_pos: int | None = None, timeout: float | None = None
    ) -> Message:
        # Positions count code points (protocol 5.2+): Python's str indices.
        pos = len(code) if cursor_pos is None else cursor_pos
        content: CompleteRequest = {"code": code, "cursor_pos": pos}
        return await self.request("shell", "complete_request", content, timeout)

    async def inspect(
        self,
        code: str,
        cursor_pos: int | None = None,
        detail_level: Literal[0, 1] = 0,
        timeout: float | None = None,
    ) -> Message:
        pos = len(code) if cursor_pos is None else cursor_pos
        content: InspectRequest = {"code": code, "cursor_pos": pos, "detail_level": detail_level}
        return await self.request("shell", "inspect_request", content, timeout)

    async def history(
        self,
        hist_access_type: str = "tail",
        *,
        raw: bool = True,
        output: bool = False,
        timeout: float | None = None,
        **query: Any,
    ) -> Message:
        """history_request; `query` holds n, session, start, stop, pattern, unique."""
        content = {"hist_access_type": hist_access_type, "raw": raw, "output": output, **query}
        return await self.request("shell", "history_request", content, timeout)

    async def is_complete(self, code: str, timeout: float | None = None) -> Message:
        content: IsCompleteRequest = {"code": code}
        return await self.request("shell", "is_complete_request", content, timeout)

    async def comm_info(
        self, target_name: str | None = None, timeout: float | None = None
    ) -> Message:
        content: CommInfoRequest = {} if target_name is None else {"target_name": target_name}
        return await self.request("shell", "comm_info_request", content, timeout)

    def comm_open(
        self, target_name: str, data: JsonDict | None = None, comm_id: str | None = None
    ) -> str:
        comm_id = comm_id or uuid.uuid4().hex
        content: CommOpen = {"comm_id": comm_id, "target_name": target_name, "data": data or {}}
        self.send_message("shell", self.session.msg("comm_open", content), expect_reply=False)
        return comm_id

    def comm_msg(self, comm_id: str, data: JsonDict, buffers: tuple[bytes, ...] = ()) -> None:
        content: CommMsg = {"comm_id": comm_id, "data": data}
        msg = self.session.msg("comm_msg", content, buffers=buffers)
        self.send_message("shell", msg, expect_reply=False)

    def comm_close(self, comm_id: str, data: JsonDict | None = None) -> None:
        content: CommClose = {"comm_id": comm_id, "data": data or {}}
        msg = self.session.msg("comm_close", content)
        self.send_message("shell", msg, expect_reply=False)

    def input_reply(self, value: str, parent: Message | None = None) -> None:
        content: InputReply = {"value": value}
        msg = self.session.msg("input_reply", content, parent)
        self.send_message("stdin", msg, expect_reply=False)

    async def shutdown(self, restart: bool = False, timeout: float | None = None) -> Message:
        content: ShutdownRequest = {"restart": restart}
        return await self.request("control", "shutdown_request", content, timeout)

    async def interrupt(self, timeout: float | None = None) -> Message:
        """interrupt_request on control (for kernels whose interrupt_mode is "message")."""
        return await self.request("control", "interrupt_request", {}, timeout)

    async def execute_interactive(
        self,
        code: str,
        output_hook: OutputHook | None = print_output,
        stdin_hook: StdinHook | None = None,
        timeout: float | None = None,
        **options: Any,
    ) -> Message:
        """Execute and return the reply once all its iopub output up to idle was handled.

        `output_hook` sees each iopub message of this request; `stdin_hook`
        answers input() (without one, the kernel is told stdin is not allowed).
        """
        options.setdefault("allow_stdin", stdin_hook is not None)
        idle = asyncio.Event()
        msg_id = ""
        answers: list[asyncio.Task[None]] = []

        def on_iopub(msg: Message) -> None:
            if msg.parent_msg_id != msg_id:
                return
            if output_hook is not None:
                output_hook(msg)
            if msg.msg_type == "status" and msg.content.get("execution_state") == "idle":
                idle.set()

        def on_stdin(msg: Message) -> None:
            if msg.parent_msg_id == msg_id and stdin_hook is not None:
                answers.append(asyncio.create_task(self._answer(stdin_hook, msg)))

        remove_iopub, remove_stdin = self.on_iopub(on_iopub), self.on_stdin(on_stdin)
        try:
            pending = self.send_execute(code, **options)
            msg_id = pending.msg_id
            try:
                async with asyncio.timeout(timeout):
                    reply = await pending.reply
                    await idle.wait()
            except TimeoutError:
                raise KernelTimeout(f"execution did not finish within {timeout}s") from None
            return reply
        finally:
            remove_iopub()
            remove_stdin()
            for task in answers:
                task.cancel()

    async def _answer(self, stdin_hook: StdinHook, request: Message) -> None:
        answer = stdin_hook(request)
        value = await answer if inspect.isawaitable(answer) else answer
        self.input_reply(str(value), request)
