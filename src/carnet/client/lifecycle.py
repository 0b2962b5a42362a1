"""A kernel's lifecycle as a table, and the events its subscribers receive.

    new -> starting -> running -> restarting -----> starting
                          |  \\-> autorestarting -> starting   (after it died)
                          |  \\-> dead                        (died, no restart left)
                          \\----> shutdown

Every state change is published as a KernelEvent whose status is the new
state, so "starting", "running", "restarting", "autorestarting", "dead" and
"shutdown" reach the server's websockets in order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from carnet.errors import KernelError

log = logging.getLogger("carnet.client")

TRANSITIONS: dict[str, frozenset[str]] = {
    "new": frozenset({"starting", "shutdown"}),
    "starting": frozenset({"running", "autorestarting", "dead", "shutdown"}),
    "running": frozenset({"restarting", "autorestarting", "dead", "shutdown"}),
    "restarting": frozenset({"starting", "dead", "shutdown"}),
    "autorestarting": frozenset({"starting", "dead", "shutdown"}),
    "dead": frozenset({"restarting", "shutdown"}),
    "shutdown": frozenset(),
}


@dataclass(frozen=True)
class KernelEvent:
    kernel_id: str
    status: str
    restart_count: int = 0
    detail: str = ""


Listener = Callable[[KernelEvent], None]


class Lifecycle:
    """The current state of one kernel, its legal moves and its listeners."""

    def __init__(self, kernel_id: str) -> None:
        self.kernel_id = kernel_id
        self.state = "new"
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def move(self, state: str, restart_count: int = 0, detail: str = "") -> None:
        if state not in TRANSITIONS[self.state]:
            raise KernelError(f"kernel {self.kernel_id} cannot go from {self.state} to {state}")
        self.state = state
        event = KernelEvent(self.kernel_id, state, restart_count, detail)
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("kernel event listener failed on %s", state)
