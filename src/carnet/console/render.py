"""Kernel output as terminal text: streams and tracebacks keep their ANSI colours,
rich outputs fall back to text/plain."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from carnet.protocol import Message

RED = "\x1b[31m"
GREEN = "\x1b[32m"
DIM = "\x1b[2m"
RESET = "\x1b[0m"


def out_prompt(count: Any, color: bool = True) -> str:
    text = f"Out[{count}]: "
    return f"{RED}{text}{RESET}" if color else text


def in_prompt(count: Any, color: bool = True) -> str:
    text = f"In [{count}]: "
    return f"{GREEN}{text}{RESET}" if color else text


def plain_text(data: dict[str, Any]) -> str:
    """The text/plain form of a mime bundle, or a note naming what could not be shown."""
    text = data.get("text/plain")
    if isinstance(text, str):
        return text
    kinds = ", ".join(sorted(data)) or "no data"
    return f"<{kinds} output: not shown in a terminal>"


def render(msg: Message, out: TextIO | None = None, remote: bool = False) -> None:
    """Print one iopub message. `remote`: it answers another client's request."""
    out = out or sys.stdout
    content = msg.content
    kind = msg.msg_type
    if kind == "stream":
        text = str(content.get("text", ""))
        target = sys.stderr if content.get("name") == "stderr" and out is sys.stdout else out
        target.write(text)
        target.flush()
        return
    if kind == "execute_input" and remote:
        code = str(content.get("code", "")).rstrip("\n")
        out.write(
            f"\n{DIM}[another client]{RESET} {in_prompt(content.get('execution_count'))}{code}\n"
        )
    elif kind == "execute_result":
        text = plain_text(content.get("data", {}))
        prompt = out_prompt(content.get("execution_count"))
        out.write(prompt + ("\n" if "\n" in text else "") + text + "\n")
    elif kind == "display_data" or kind == "update_display_data":
        out.write(plain_text(content.get("data", {})) + "\n")
    elif kind == "error":
        traceback = content.get("traceback") or [f"{content.get('ename')}: {content.get('evalue')}"]
        out.write("\n".join(str(line) for line in traceback) + "\n")
    else:
        return
    out.flush()


def render_payloads(reply: Message, out: TextIO | None = None) -> bool:
    """Print pager payloads (`obj?`); True when the kernel asked the console to exit."""
    out = out or sys.stdout
    ask_exit = False
    for payload in reply.content.get("payload") or []:
        source = payload.get("source")
        if source == "page":
            out.write(plain_text(payload.get("data", {})) + "\n")
        elif source == "ask_exit":
            ask_exit = True
    out.flush()
    return ask_exit
