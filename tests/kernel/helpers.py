"""Small helpers shared by the kernel tests."""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient

Msg = dict[str, Any]


def shell_reply(kc: BlockingKernelClient, msg_id: str, timeout: float = 30) -> Msg:
    """The shell reply to msg_id, skipping replies to earlier requests."""
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no shell reply to {msg_id}")
        reply: Msg = kc.get_shell_msg(timeout=remaining)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def iopub_until_idle(kc: BlockingKernelClient, msg_id: str, timeout: float = 30) -> list[Msg]:
    """IOPub messages caused by msg_id (status messages left out), up to its idle status."""
    deadline = time.monotonic() + timeout
    seen: list[Msg] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no idle status for {msg_id}; saw {[m['msg_type'] for m in seen]}")
        try:
            msg: Msg = kc.get_iopub_msg(timeout=remaining)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status":
            if msg["content"]["execution_state"] == "idle":
                return seen
            continue
        seen.append(msg)


def execute(
    kc: BlockingKernelClient, code: str, timeout: float = 30, **options: Any
) -> tuple[Msg, list[Msg]]:
    """Run code; return its execute_reply and the IOPub messages it caused."""
    msg_id = kc.execute(code, **options)
    reply = shell_reply(kc, msg_id, timeout)
    return reply, iopub_until_idle(kc, msg_id, timeout)


def stream_text(outputs: list[Msg], name: str = "stdout") -> str:
    return "".join(
        m["content"]["text"]
        for m in outputs
        if m["msg_type"] == "stream" and m["content"]["name"] == name
    )


def of_type(outputs: list[Msg], msg_type: str) -> list[Msg]:
    return [m for m in outputs if m["msg_type"] == msg_type]


def evaluate(kc: BlockingKernelClient, expression: str) -> str:
    """text/plain of an expression, through user_expressions."""
    reply, _ = execute(kc, "", silent=True, user_expressions={"x": expression})
    value = reply["content"]["user_expressions"]["x"]
    assert value["status"] == "ok", value
    text: str = value["data"]["text/plain"]
    return text


# Kernel-side code (Carnet's kernel only) that returns once another request waits in the
# kernel's shell queue: a cell or handler that must still be running when a request sent
# after it arrives waits for that, not for a guessed time. It looks at the kernel's own
# state (KernelCore, found through gc) because no message can tell it from outside.
UNTIL_A_REQUEST_WAITS = (
    "import gc, time\n"
    "_core = next(o for o in gc.get_objects() if type(o).__name__ == 'KernelCore')\n"
    "while not (_core._backlog or _core._pending_frames()): time.sleep(0.01)\n"
)


def idle_signal_taken(kc: BlockingKernelClient) -> None:
    """Returns once a SIGINT already sent to an idle kernel has been handled: Linux gives a
    process's signal to its main thread (idle in poll), whose handler runs as soon as poll
    returns, before it serves the request sent here."""
    shell_reply(kc, kc.kernel_info())
