"""What the server is doing, for /api/status and the no-activity shutdown."""

from __future__ import annotations

import time
from collections.abc import Sized
from datetime import UTC, datetime


def iso_utc(timestamp: float) -> str:
    """A Unix time as Jupyter's ISO 8601 form ('2026-01-01T12:00:00.000000Z')."""
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Activity:
    """Start time, last activity and open connections; kernel managers report here too.

    Request handling calls touch(); websocket handlers call connection_opened() and
    connection_closed(). Kernels are counted from app.state.kernels (anything with
    len()) when it exists.
    """

    def __init__(self) -> None:
        self.started = time.time()
        self.last_activity = self.started
        self.connections = 0

    def touch(self) -> None:
        self.last_activity = time.time()

    def connection_opened(self) -> None:
        self.connections += 1
        self.touch()

    def connection_closed(self) -> None:
        self.connections = max(0, self.connections - 1)
        self.touch()

    def idle_for(self, kernels: Sized | None) -> float:
        """Seconds with no request, connection or kernel (0 while anything is running)."""
        if self.connections or (kernels is not None and len(kernels)):
            return 0.0
        return time.time() - self.last_activity
