"""Tab completion and syntax highlighting from the kernel."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterable
from typing import Any

from carnet.client.client import AsyncKernelClient
from carnet.errors import KernelError


def make_completer(client: AsyncKernelClient) -> Any:
    """A prompt_toolkit Completer that asks the kernel (complete_request)."""
    from prompt_toolkit.completion import CompleteEvent, Completer, Completion
    from prompt_toolkit.document import Document

    class KernelCompleter(Completer):
        def get_completions(self, document: Document, event: CompleteEvent) -> Iterable[Completion]:
            return []  # only the async path is used: the kernel answers asynchronously

        async def get_completions_async(
            self, document: Document, event: CompleteEvent
        ) -> AsyncGenerator[Completion, None]:
            try:
                # Generous: typing never waits for it, and a first completion may load jedi.
                reply = await client.complete(document.text, document.cursor_position, timeout=15)
            except KernelError:
                return
            content = reply.content
            if content.get("status") != "ok":
                return
            start = int(content.get("cursor_start", document.cursor_position))
            for match in content.get("matches", []):
                yield Completion(str(match), start_position=start - document.cursor_position)

    return KernelCompleter()


def make_lexer(language_info: dict[str, Any]) -> Any:
    """A pygments lexer for the kernel's language, or None when pygments has none."""
    from prompt_toolkit.lexers import PygmentsLexer
    from pygments.lexers import get_lexer_by_name  # type: ignore[import-untyped]
    from pygments.util import ClassNotFound  # type: ignore[import-untyped]

    name = language_info.get("pygments_lexer") or language_info.get("name") or "text"
    try:
        lexer = get_lexer_by_name(str(name))
    except ClassNotFound:
        return None
    return PygmentsLexer(type(lexer))
