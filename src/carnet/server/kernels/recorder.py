"""The server owns the running document: it follows every cell a page runs.

When a browser tab sends a cell to the kernel (an execute_request carrying
`metadata.cellId`, the JupyterLab convention), the recorder follows that
execution's iopub messages into a CellRun. Two things come of it:

- a page opened (or reloaded) while the cell runs gets the outputs so far from
  `snapshot()` and follows the rest over its websocket, after adopting the run;
- if no page that sent or adopted the run is connected when the cell finishes
  (tab closed, laptop asleep), the recorder writes the outputs into the notebook
  file, so they are there when it is reopened. While one is, it writes nothing:
  the page saves its own document.

The write waits WRITE_DELAY seconds, during which the finished run is still
offered to pages: a tab reloaded just as its cell ends (it read the file before
the write) adopts it instead of finding the file changed under it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from carnet.errors import MalformedMessage
from carnet.protocol import Message, PackedMessage
from carnet.server.kernels.outputs import MEMORY_LIMIT, CellRun

log = logging.getLogger("carnet.server")

# Executions followed at once; older ones are forgotten first (a runaway client).
MAX_RUNS = 1000
# Ids of a run's recent messages, sent with a snapshot so that a page can tell which of
# the messages its websocket got since it connected the snapshot already holds.
RECENT_SECONDS = 60.0
RECENT_MAX = 10_000
# How long a finished run nobody watches waits to be written (a reloading page may adopt it).
WRITE_DELAY = 3.0

Writer = Callable[[CellRun], Awaitable[None]]


@dataclass
class _Tracked:
    msg_id: str
    run: CellRun
    # Sessions whose page shows this run: the one that sent it, and any that adopted it.
    watchers: set[str]
    started: bool = False
    finished: bool = False
    last_msg_id: str | None = None
    recent: deque[tuple[float, str]] = field(default_factory=lambda: deque(maxlen=RECENT_MAX))

    def snapshot(self, now: float) -> dict[str, Any]:
        while self.recent and now - self.recent[0][0] > RECENT_SECONDS:
            self.recent.popleft()
        return {
            "cell_id": self.run.cell_id,
            "msg_id": self.msg_id,
            "state": "idle" if self.finished else "running" if self.started else "queued",
            "execution_count": self.run.execution_count,
            "outputs": self.run.outputs,
            "display_ids": self.run.display_ids,
            "last_msg_id": self.last_msg_id,
            "recent_msg_ids": [msg_id for _, msg_id in self.recent],
        }


class OutputRecorder:
    def __init__(
        self,
        is_connected: Callable[[str], bool],
        write: Writer,
        memory_limit: int = MEMORY_LIMIT,
        spill_dir: str | None = None,
        write_delay: float = WRITE_DELAY,
    ) -> None:
        self._is_connected = is_connected
        self._write = write
        self.memory_limit = memory_limit
        self.spill_dir = spill_dir
        self.write_delay = write_delay
        # execute_request msg_id -> the run it started, in the order they were sent
        self._runs: OrderedDict[str, _Tracked] = OrderedDict()
        # Finished runs nobody watched, waiting to be written.
        self._finished: dict[str, tuple[_Tracked, asyncio.TimerHandle]] = {}
        self._pending: set[asyncio.Task[None]] = set()

    def on_request(self, session_id: str, msg: Message) -> None:
        if msg.msg_type != "execute_request" or msg.content.get("silent"):
            return
        cell_id = msg.metadata.get("cellId")
        if not isinstance(cell_id, str) or not cell_id:
            return
        run = CellRun(cell_id, self.memory_limit, self.spill_dir)
        self._runs[msg.msg_id] = _Tracked(msg.msg_id, run, {session_id})
        if len(self._runs) > MAX_RUNS:
            self._runs.popitem(last=False)[1].run.close()

    def on_iopub(self, msg: PackedMessage) -> None:
        """Every iopub message passes here; only a status and the runs followed are decoded."""
        try:
            self._on_iopub(msg)
        except MalformedMessage as exc:  # signed by the kernel, but not JSON: not recorded
            log.warning("could not record a %s message: %s", msg.msg_type, exc)

    def _on_iopub(self, msg: PackedMessage) -> None:
        state = msg.content().get("execution_state") if msg.msg_type == "status" else None
        if state == "starting":
            self.kernel_gone()
            return
        tracked = self._runs.get(msg.parent_msg_id)
        if tracked is None:
            return
        tracked.started = True
        tracked.last_msg_id = msg.msg_id
        tracked.recent.append((time.monotonic(), msg.msg_id))
        if state == "idle":
            del self._runs[msg.parent_msg_id]
            self._finish(tracked)
            return
        tracked.run.apply(msg.decode())

    def kernel_gone(self) -> None:
        """The kernel process died or a new one started: its runs end with what they printed."""
        runs, self._runs = list(self._runs.values()), OrderedDict()
        for tracked in runs:
            if tracked.started:
                self._finish(tracked)
            else:
                tracked.run.close()  # never ran: the page shows it as not run either

    def _watched(self, tracked: _Tracked) -> bool:
        return any(self._is_connected(s) for s in tracked.watchers)

    def _finish(self, tracked: _Tracked) -> None:
        tracked.finished = True
        if self._watched(tracked):
            tracked.run.close()
            return
        loop = asyncio.get_running_loop()
        timer = loop.call_later(self.write_delay, self._settle, tracked.msg_id)
        self._finished[tracked.msg_id] = (tracked, timer)

    def _settle(self, msg_id: str) -> None:
        """The delay is over: written, unless a page has adopted the run meanwhile."""
        tracked, _ = self._finished.pop(msg_id)
        if self._watched(tracked):
            tracked.run.close()
            return
        task = asyncio.get_running_loop().create_task(self._save(tracked.run))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _save(self, run: CellRun) -> None:
        try:
            await self._write(run)
        except Exception:
            log.exception("could not record the outputs of cell %s", run.cell_id)
        finally:
            run.close()

    def snapshot(self, adopt_for: str | None = None) -> list[dict[str, Any]]:
        """The runs finished but not yet written, then those in progress, oldest first.

        With `adopt_for`, that session's page now shows them: the recorder leaves
        the file alone when they finish (or their write is due) while it is connected.
        """
        now = time.monotonic()
        result = []
        for tracked in [t for t, _ in self._finished.values()] + list(self._runs.values()):
            if adopt_for is not None:
                tracked.watchers.add(adopt_for)
            result.append(tracked.snapshot(now))
        return result

    def close(self) -> None:
        """The kernel is gone: its runs' scratch files go too (finished ones are written)."""
        for tracked in self._runs.values():
            tracked.run.close()
        self._runs.clear()
        self._write_finished()

    def _write_finished(self) -> None:
        for msg_id, (_, timer) in list(self._finished.items()):
            timer.cancel()
            self._settle(msg_id)

    async def drain(self) -> None:
        """Write what waits, and wait for writes in progress (at shutdown)."""
        self._write_finished()
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
