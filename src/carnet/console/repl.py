"""The console's read-eval-print loop, on the same event loop as the kernel client.

At the prompt, prompt_toolkit owns the terminal (Ctrl-C clears the line);
while code runs, the terminal is back in cooked mode and SIGINT interrupts the
kernel. Output of other clients' executions is printed above the prompt as it
arrives (patch_stdout keeps the prompt intact and ANSI colours raw).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from carnet.client.client import AsyncKernelClient
from carnet.console.completer import make_completer, make_lexer
from carnet.console.render import RED, RESET, in_prompt, render, render_payloads
from carnet.errors import KernelError
from carnet.protocol import Message

log = logging.getLogger("carnet.console")


class Repl:
    def __init__(
        self,
        client: AsyncKernelClient,
        language_info: dict[str, Any],
        interrupt: Callable[[], Awaitable[object]],
        confirm_exit: Callable[[], Awaitable[bool]],
    ) -> None:
        self.client = client
        self.next_count: Any = 1
        self._interrupt = interrupt
        self._confirm_exit = confirm_exit
        self._enter_lock = asyncio.Lock()
        self._typed_ahead = ""
        self._session = self._prompt_session(language_info)

    def _prompt_session(self, language_info: dict[str, Any]) -> Any:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.formatted_text import ANSI
        from prompt_toolkit.history import InMemoryHistory

        def continuation(width: int, line_number: int, wrap_count: int) -> str:
            return "...: ".rjust(width)

        return PromptSession(
            message=lambda: ANSI(in_prompt(self.next_count)),
            prompt_continuation=continuation,
            multiline=True,
            key_bindings=self._key_bindings(),
            completer=make_completer(self.client),
            complete_in_thread=False,
            complete_while_typing=False,  # as IPython: the menu comes on Tab
            lexer=make_lexer(language_info),
            history=InMemoryHistory(),
        )

    def _key_bindings(self) -> Any:
        from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

        bindings = KeyBindings()

        @bindings.add("enter")
        async def enter(event: KeyPressEvent) -> None:
            await self._on_enter(event.current_buffer)

        @bindings.add("escape", "enter")
        def newline(event: KeyPressEvent) -> None:
            event.current_buffer.insert_text("\n")

        return bindings

    async def _on_enter(self, buffer: Any) -> None:
        """Run complete code; continue incomplete code on a new, indented line.

        The kernel decides, so the answer comes later: Enters are handled one at
        a time, and text typed (or pasted) meanwhile is kept after the newline.
        """
        from prompt_toolkit.application import get_app
        from prompt_toolkit.document import Document

        async with self._enter_lock:
            app = get_app()
            if app.is_done:
                return
            state = buffer.complete_state
            if state is not None:
                if state.current_completion is not None:
                    buffer.apply_completion(state.current_completion)  # Enter picks it
                    return
                buffer.complete_state = None  # a menu with nothing chosen: just run
            text = buffer.text
            last_line = text.rsplit("\n", 1)[-1]
            if text.strip() and not ("\n" in text and not last_line.strip()):
                status, indent = await self._completeness(text)
                if app.is_done:
                    return
                rest = buffer.text[len(text) :] if buffer.text.startswith(text) else ""
                if status == "incomplete":
                    new = f"{text}\n{indent}{rest.lstrip()}"
                    buffer.document = Document(new, len(new))
                    return
                if rest:  # typed ahead: it goes to the next prompt (Enter it again)
                    self._typed_ahead = rest
                    buffer.document = Document(text, len(text))
            buffer.validate_and_handle()

    async def _completeness(self, code: str) -> tuple[str, str]:
        """The kernel's is_complete verdict; when it cannot tell in time, run the code."""
        try:
            reply = await self.client.is_complete(code, timeout=2)
        except KernelError:
            return "complete", ""
        return str(reply.content.get("status", "unknown")), str(reply.content.get("indent", ""))

    async def sync_execution_count(self) -> None:
        try:
            reply = await self.client.execute("", silent=True, store_history=False, timeout=10)
        except KernelError:
            return
        self._count_from(reply.content.get("execution_count"))

    def _count_from(self, count: Any) -> None:
        if isinstance(count, int):
            self.next_count = count + 1

    async def run(self) -> None:
        from prompt_toolkit.patch_stdout import patch_stdout

        remove = self.client.on_iopub(self._on_other_clients)
        try:
            while True:
                try:
                    # Only at the prompt does output go through patch_stdout (printed
                    # above the prompt); while code runs it is written straight away.
                    ahead, self._typed_ahead = self._typed_ahead, ""
                    with patch_stdout(raw=True):
                        code = await self._session.prompt_async(default=ahead)
                except KeyboardInterrupt:
                    continue
                except EOFError:
                    if await self._confirm_exit():
                        return
                    continue
                if code.strip() and await self.execute(code):
                    return
        finally:
            remove()

    async def execute(self, code: str) -> bool:
        """Run code, showing its output; True when the kernel asked the console to exit."""
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, self._on_sigint)
        try:
            reply = await self.client.execute_interactive(
                code, output_hook=render, stdin_hook=self._read_input, timeout=None
            )
        except KernelError as exc:
            print(f"{RED}{exc}{RESET}")
            return False
        finally:
            loop.remove_signal_handler(signal.SIGINT)
        self._count_from(reply.content.get("execution_count"))
        return render_payloads(reply)

    def _on_sigint(self) -> None:
        task = asyncio.ensure_future(self._interrupt())
        task.add_done_callback(_log_failure)

    async def _read_input(self, request: Message) -> str:
        """Answer input() / getpass() at the terminal."""
        from prompt_toolkit import PromptSession

        prompt = str(request.content.get("prompt", ""))
        password = bool(request.content.get("password", False))
        try:
            answer: str = await PromptSession().prompt_async(prompt, is_password=password)
        except (KeyboardInterrupt, EOFError):
            await self._interrupt()
            return ""
        return answer

    def _on_other_clients(self, msg: Message) -> None:
        if msg.parent_header.get("session") == self.client.session.session_id:
            return
        render(msg, remote=True)
        if msg.msg_type == "execute_input":
            self._count_from(msg.content.get("execution_count"))
            app = self._session.app
            if app.is_running:
                app.invalidate()


def _log_failure(task: asyncio.Future[object]) -> None:
    if not task.cancelled() and task.exception() is not None:
        print(f"{RED}cannot interrupt the kernel: {task.exception()}{RESET}")
