"""The terminal websocket, /terminals/websocket/{name}, speaking terminado's JSON messages.

Every frame is a JSON array whose first item names it:
  client -> server: ["stdin", text], ["set_size", rows, cols, ...], ["disconnect", ...]
  server -> client: ["setup", {}] first, ["stdout", text], ["disconnect", 1] when the shell ends
On connect the recent output is replayed as one "stdout" message, so a page that
reconnects (a reload, a dropped network) shows the screen it had. Closing the
websocket leaves the shell running. Authentication, Host and Origin checks are
the security middleware's, as for a kernel websocket; read-only users are
refused here, since a shell is never read-only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from typing import TYPE_CHECKING

from carnet.errors import TerminalNotFound

if TYPE_CHECKING:
    from starlette.websockets import WebSocket

    from carnet.server.terminals.manager import TerminalManager
    from carnet.server.terminals.pty import Terminal

log = logging.getLogger("carnet.server")

# Messages queued for a client that does not read before it is dropped (it can reconnect).
MAX_QUEUED = 10_000
READ_ONLY_REASON = "read-only access: this user may not use terminals"


class SocketClient:
    """One websocket attached to a terminal: a bounded queue drained by its own task."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.queue: deque[list[object]] = deque()
        self.wakeup = asyncio.Event()
        self.closing = False

    def send(self, message: list[object]) -> None:
        if self.closing:
            return
        self.queue.append(message)
        if len(self.queue) > MAX_QUEUED:
            log.warning("terminal websocket is too slow; closing it")
            self.closing = True
        self.wakeup.set()

    async def write_forever(self) -> None:
        while not self.closing:
            await self.wakeup.wait()
            self.wakeup.clear()
            while self.queue and not self.closing:
                message = self.queue.popleft()
                await self.websocket.send_text(json.dumps(message))
                if message[0] == "disconnect":
                    self.closing = True
        with contextlib.suppress(Exception):
            await self.websocket.close(1000)


async def deny(websocket: WebSocket, status: int, message: str, reason: str) -> None:
    """Refuse a websocket before accepting it: an HTTP answer where the server can send one."""
    from carnet.server.http_errors import json_error

    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(json_error(status, message, reason))
    else:
        await websocket.close(code=1008)


def _handle(terminal: Terminal, frame: str) -> bool:
    """Apply one client message; False when the client says it is leaving."""
    try:
        message = json.loads(frame)
    except ValueError:
        return True
    if not isinstance(message, list) or not message:
        return True
    kind = message[0]
    if kind == "stdin" and len(message) > 1 and isinstance(message[1], str):
        terminal.write(message[1])
    elif kind == "set_size" and len(message) > 2:
        rows, cols = message[1], message[2]
        if (
            isinstance(rows, int)
            and isinstance(cols, int)
            and 0 < rows < 10000
            and 0 < cols < 10000
        ):
            terminal.resize(rows, cols)
    elif kind == "disconnect":
        return False
    return True


async def _read_forever(websocket: WebSocket, terminal: Terminal) -> None:
    while True:
        event = await websocket.receive()
        if event["type"] == "websocket.disconnect":
            return
        frame = event.get("text")
        if frame is None:
            frame = (event.get("bytes") or b"").decode("utf-8", errors="replace")
        if not _handle(terminal, frame):
            return


async def terminal_websocket(websocket: WebSocket) -> None:
    manager: TerminalManager | None = websocket.app.state.terminals
    name = websocket.path_params["name"]
    if manager is None:
        await deny(websocket, 404, "terminals are disabled on this server", "terminals disabled")
        return
    user = websocket.scope.get("user")
    if user is not None and user.read_only:
        await deny(websocket, 403, READ_ONLY_REASON, "read-only")
        return
    try:
        terminal = manager.get(name)
    except TerminalNotFound as exc:
        await deny(websocket, 404, str(exc), "not found")
        return
    await websocket.accept()
    client = SocketClient(websocket)
    client.send(["setup", {}])
    replay = terminal.replay()
    if replay:
        client.send(["stdout", replay])
    activity = websocket.app.state.activity
    activity.connection_opened()
    terminal.attach(client)
    writer = asyncio.create_task(client.write_forever())
    reader = asyncio.create_task(_read_forever(websocket, terminal))
    try:
        await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        terminal.detach(client)
        activity.connection_closed()
        for task in (reader, writer):
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
        with contextlib.suppress(Exception):
            await websocket.close(1000)
