"""Exit when the process that started the kernel dies.

A kernel whose manager crashed would otherwise live on forever. We poll
os.getppid() (re-parenting means the parent died) and, when the manager set
it, JPY_PARENT_PID. A parent that is PID 1 (init, or a container's entry
point) is never considered dead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

INTERVAL = 0.5


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _jpy_parent_pid() -> int | None:
    try:
        pid = int(os.environ.get("JPY_PARENT_PID", ""))
    except ValueError:
        return None
    return pid if pid > 1 else None


def watch_parent(
    on_death: Callable[[], None], interval: float = INTERVAL
) -> threading.Thread | None:
    """Call `on_death` once from a daemon thread when the parent goes away."""
    parent = os.getppid()
    watched = _jpy_parent_pid()
    if parent <= 1 and watched is None:
        return None

    def watch() -> None:
        stop = threading.Event()
        while not stop.wait(interval):
            if parent > 1 and os.getppid() != parent:
                break
            if watched is not None and not _alive(watched):
                break
        on_death()

    thread = threading.Thread(target=watch, name="carnet-parent-watch", daemon=True)
    thread.start()
    return thread
