"""The server owns the running document: executions nobody is watching are saved.

When a browser tab sends a cell to the kernel (an execute_request carrying
`metadata.cellId`, the JupyterLab convention), the recorder follows that
execution's iopub messages. If the tab that asked is gone when the cell
finishes (closed, reloaded, laptop asleep), the recorder writes the cell's
outputs into the notebook file, so they are there when it is reopened. While
the tab is connected it writes nothing: the page saves its own document.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from carnet.protocol import Message
from carnet.server.kernels.outputs import CellRun

log = logging.getLogger("carnet.server")

# Executions followed at once; older ones are forgotten first (a runaway client).
MAX_RUNS = 1000

Writer = Callable[[CellRun], Awaitable[None]]


class OutputRecorder:
    def __init__(self, is_connected: Callable[[str], bool], write: Writer) -> None:
        self._is_connected = is_connected
        self._write = write
        # execute_request msg_id -> (session_id of the tab that sent it, the run)
        self._runs: OrderedDict[str, tuple[str, CellRun]] = OrderedDict()
        self._pending: set[asyncio.Task[None]] = set()

    def on_request(self, session_id: str, msg: Message) -> None:
        if msg.msg_type != "execute_request" or msg.content.get("silent"):
            return
        cell_id = msg.metadata.get("cellId")
        if not isinstance(cell_id, str) or not cell_id:
            return
        self._runs[msg.msg_id] = (session_id, CellRun(cell_id))
        if len(self._runs) > MAX_RUNS:
            self._runs.popitem(last=False)

    def on_iopub(self, msg: Message) -> None:
        entry = self._runs.get(msg.parent_msg_id)
        if entry is None:
            return
        session_id, run = entry
        if msg.msg_type == "status" and msg.content.get("execution_state") == "idle":
            del self._runs[msg.parent_msg_id]
            if not self._is_connected(session_id):
                task = asyncio.get_running_loop().create_task(self._save(run))
                self._pending.add(task)
                task.add_done_callback(self._pending.discard)
            return
        run.apply(msg)

    async def _save(self, run: CellRun) -> None:
        try:
            await self._write(run)
        except Exception:
            log.exception("could not record the outputs of cell %s", run.cell_id)

    async def drain(self) -> None:
        """Wait for writes in progress (at shutdown)."""
        while self._pending:
            await asyncio.gather(*list(self._pending), return_exceptions=True)
