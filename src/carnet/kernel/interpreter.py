"""The interface between the protocol machinery (core.py) and a language.

core.py speaks Jupyter messages; an Interpreter only turns request contents
into reply contents. Output (streams, displays, errors) goes through the
KernelIO handed to it, so the interpreter never touches a socket directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from carnet.kernel.interrupts import InterruptGate
from carnet.kernel.iopub import IOPub
from carnet.kernel.stdin import StdinBridge
from carnet.kernel.streams import Capture
from carnet.protocol.content import (
    CompleteReply,
    ExecuteReply,
    HistoryReply,
    HistoryRequest,
    InspectReply,
    IsCompleteReply,
    KernelInfoReply,
)


@dataclass
class KernelIO:
    """What an interpreter may use to talk to clients."""

    iopub: IOPub
    capture: Capture
    stdin: StdinBridge
    connection_file: Path | None
    interrupts: InterruptGate


class Interpreter(Protocol):
    @property
    def ready(self) -> bool:
        """True once execute/complete/... can run without waiting for start-up work."""

    def prepare(self) -> None:
        """Finish start-up work now if it can be done without blocking long."""

    def wait_ready(self) -> None:
        """Finish start-up work, waiting for it if need be."""

    @property
    def execution_count(self) -> int:
        """The count the next stored execution will get."""

    def count_for(self, code: str, silent: bool, store_history: bool) -> int:
        """The execution_count of this request's messages, asked before it runs."""

    def kernel_info(self) -> KernelInfoReply:
        """Must be cheap and thread-safe: it is answered during start-up and on control."""

    def execute(
        self,
        code: str,
        silent: bool,
        store_history: bool,
        user_expressions: dict[str, str],
        allow_stdin: bool,
    ) -> ExecuteReply: ...

    # Positions count Unicode code points (protocol 5.2+): Python's str indices.
    def complete(self, code: str, cursor_pos: int) -> CompleteReply: ...

    def inspect(self, code: str, cursor_pos: int, detail_level: int) -> InspectReply: ...

    def is_complete(self, code: str) -> IsCompleteReply: ...

    def history(self, request: HistoryRequest) -> HistoryReply: ...

    def idle_delay(self) -> float | None:
        """After this many idle seconds the shell loop calls idle_work(); None: no work."""

    def idle_work(self) -> None:
        """Deferred housekeeping (saving history), run while no request waits."""

    def shutdown(self) -> None:
        """Save state (history) before the process exits; called on the main thread."""
