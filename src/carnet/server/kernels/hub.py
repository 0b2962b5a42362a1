"""One kernel, many websockets: the KernelHub routes messages between them.

The server holds a single connection to each kernel (the manager's client)
and fans it out, instead of opening five zmq sockets per browser tab:

- iopub goes to every connected websocket, as the kernel wrote it: messages
  come packed (carnet.protocol.packed), their content never decoded here;
- a shell/control reply, or a stdin input_request, goes to the websocket that
  sent the request it answers (remembered by msg_id);
- lifecycle events (restarting, autorestarting, dead) become status messages,
  in Jupyter Server's words: an automatic restart is "restarting" too (the state
  JupyterLab's kernel client resets and reconnects on), told apart by its reason.

A websocket that drops leaves its session's messages buffered (bounded, for a
while) and replayed when the same session_id reconnects, so a network blip
loses no output; a client that names the last message it got is also sent what
was written after it but lost with the connection (replay.py). A client that
closed on purpose (a close frame, 1000 or 1001) while nothing was owed to it
gets no buffer: it is not coming back, and every broadcast kept for it would be
memory held for nobody.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from carnet.errors import KernelError
from carnet.protocol import Message, PackedMessage, Session
from carnet.server.kernels.recorder import OutputRecorder
from carnet.server.kernels.replay import Backlog, SentRing

if TYPE_CHECKING:
    from carnet.client.lifecycle import KernelEvent
    from carnet.client.multi import ManagedKernel

log = logging.getLogger("carnet.server")

# Requests whose replies we still expect; far more than any client keeps in flight.
MAX_ROUTES = 50_000
# Lifecycle states that clients see as iopub status messages.
STATUS_EVENTS = {"starting", "restarting", "autorestarting", "dead"}


class Connection(Protocol):
    """A websocket as the hub sees it: a session id, a non-blocking delivery, and what it
    wrote last."""

    session_id: str
    sent: SentRing

    def deliver(self, channel: str, msg: PackedMessage) -> None: ...

    def close(self) -> None: ...


class KernelHub:
    def __init__(self, kernel: ManagedKernel, recorder: OutputRecorder | None = None) -> None:
        self.kernel = kernel
        self.recorder = recorder
        self._connections: dict[str, list[Connection]] = {}
        self._backlogs: dict[str, Backlog] = {}
        # request msg_id -> (session_id, channel) of the websocket that sent it
        self._routes: OrderedDict[str, tuple[str, str]] = OrderedDict()
        # request msg_id -> its unanswered input_request (handed to a page that adopts the run)
        self._asking: dict[str, PackedMessage] = {}
        self._status_session = Session()
        self._detach_client: list[Callable[[], None]] = []
        self._attached_client: object = None
        self._unsubscribe = kernel.manager.subscribe(self._on_event)
        self._attach_client()

    # --- the kernel side ------------------------------------------------------

    def _attach_client(self) -> None:
        """(Re)attach to the manager's client; a restart may have made a new one."""
        try:
            client = self.kernel.manager.client
        except KernelError:
            return  # not started yet (or stopped): attached when it reports "running"
        if client is self._attached_client:
            return
        for undo in self._detach_client:
            undo()
        self._attached_client = client
        self._detach_client = [
            client.on_packed("iopub", self._on_iopub),
            client.on_packed("stdin", self._on_stdin),
            client.on_packed("shell", self._on_reply),
            client.on_packed("control", self._on_reply),
        ]

    def close(self) -> None:
        """The kernel is gone: close its websockets and stop listening."""
        for conns in list(self._connections.values()):
            for conn in conns:
                conn.close()
        self._backlogs.clear()
        for undo in self._detach_client:
            undo()
        self._detach_client = []
        self._unsubscribe()

    def _on_event(self, event: KernelEvent) -> None:
        if event.status == "running":
            self._attach_client()
        if event.status in STATUS_EVENTS:
            state = "restarting" if event.status == "autorestarting" else event.status
            content: dict[str, object] = {"execution_state": state}
            if event.status in ("autorestarting", "dead") and event.detail:
                # Extra fields, ignored by other clients: why it died, which restart this is.
                content |= {"reason": event.detail, "restart_count": event.restart_count}
            status = self._status_session.msg("status", content)
            self._broadcast("iopub", PackedMessage.from_message(status))

    def _on_iopub(self, msg: PackedMessage) -> None:
        self._broadcast("iopub", msg)
        if self.recorder is not None:
            self.recorder.on_iopub(msg)

    def _on_reply(self, msg: PackedMessage) -> None:
        self._asking.pop(msg.parent_msg_id, None)
        route = self._routes.pop(msg.parent_msg_id, None)
        if route is not None:
            self._deliver(route[0], route[1], msg)

    def _on_stdin(self, msg: PackedMessage) -> None:
        route = self._routes.get(msg.parent_msg_id)
        if route is not None:
            if msg.msg_type == "input_request":
                self._asking[msg.parent_msg_id] = msg
            self._deliver(route[0], "stdin", msg)

    def hand_over(self, msg_ids: Iterable[str], session_id: str) -> None:
        """A page adopted these runs: the ones whose sender is gone now answer to it.

        Their replies and input() prompts go to the adopting page from now on, and a
        prompt already waiting (asked while no page was open) is sent to it at once.
        """
        for msg_id in msg_ids:
            route = self._routes.get(msg_id)
            if route is None or route[0] == session_id or self.is_connected(route[0]):
                continue
            self._routes[msg_id] = (session_id, route[1])
            asking = self._asking.get(msg_id)
            if asking is not None:
                self._deliver(session_id, "stdin", asking)

    # --- the websocket side ---------------------------------------------------

    def attach(self, conn: Connection, last_msg_id: str = "") -> int:
        """Add a websocket; replays what its session missed. Returns how many.

        `last_msg_id`: the last message the client got before it dropped. What was written
        after it is sent again before the backlog; without it, only the backlog.
        """
        self._attach_client()
        self._connections.setdefault(conn.session_id, []).append(conn)
        self.kernel.add_connection()
        backlog = self._backlogs.pop(conn.session_id, None)
        if backlog is None:
            return 0
        # What it wrote last (possibly lost with the connection), then what it never wrote:
        # resumed after the last message the client names, wherever that is.
        owed = backlog.items()
        if last_msg_id:
            written = backlog.recent.items()
            owed = _after(written + owed, last_msg_id, owed, conn.session_id)
        # Carried on, so a client that drops again before getting anything new still finds
        # the message it names.
        conn.sent = backlog.recent
        if backlog.dropped:
            log.warning(
                "session %s missed %d messages beyond the replay buffer",
                conn.session_id,
                backlog.dropped,
            )
        for channel, msg in owed:
            conn.deliver(channel, msg)
        return len(owed)

    def detach(
        self,
        conn: Connection,
        undelivered: Iterable[tuple[str, PackedMessage]] = (),
        closed_cleanly: bool = False,
    ) -> None:
        """Remove a websocket; what it had not sent yet starts its session's backlog.

        `closed_cleanly`: the client closed it on purpose. Its session then gets a backlog
        only if something is still owed to it: undelivered messages, replies to its
        requests, or an input() prompt. What it wrote last is kept with the backlog.
        """
        conns = self._connections.get(conn.session_id, [])
        if conn in conns:
            conns.remove(conn)
            self.kernel.remove_connection()
        if not conns:
            self._connections.pop(conn.session_id, None)
            pending = list(undelivered)
            if closed_cleanly and not pending and not self._owes(conn.session_id):
                return
            backlog = self._backlogs[conn.session_id] = Backlog(conn.sent)
            for channel, msg in pending:
                backlog.add(channel, msg)

    def _owes(self, session_id: str) -> bool:
        """Whether a reply to one of the session's requests is still to come."""
        return any(route[0] == session_id for route in self._routes.values())

    def send(self, conn: Connection, channel: str, msg: Message) -> None:
        """A message from a websocket to the kernel."""
        self.kernel.touch()
        client = self.kernel.manager.client
        if channel == "stdin":
            # Answered (input_reply's parent is the input_request): nothing to hand over.
            for request_id, asking in list(self._asking.items()):
                if asking.msg_id == msg.parent_msg_id:
                    del self._asking[request_id]
        if channel in ("shell", "control"):
            # Only requests get replies (a comm_msg gets none): a route for anything else
            # would wait for nothing until MAX_ROUTES pushed it out.
            if msg.msg_type.endswith("_request"):
                self._routes[msg.msg_id] = (conn.session_id, channel)
                if len(self._routes) > MAX_ROUTES:
                    self._routes.popitem(last=False)
            if self.recorder is not None:
                self.recorder.on_request(conn.session_id, msg)
        client.send_message(channel, msg, expect_reply=False)

    def is_connected(self, session_id: str) -> bool:
        return bool(self._connections.get(session_id))

    @property
    def connection_count(self) -> int:
        return sum(len(c) for c in self._connections.values())

    # --- delivery -------------------------------------------------------------

    def _deliver(self, session_id: str, channel: str, msg: PackedMessage) -> None:
        conns = self._connections.get(session_id)
        if conns:
            for conn in conns:
                conn.deliver(channel, msg)
            return
        backlog = self._backlogs.get(session_id)
        if backlog is not None:
            backlog.add(channel, msg)

    def _broadcast(self, channel: str, msg: PackedMessage) -> None:
        for conns in self._connections.values():
            for conn in conns:
                conn.deliver(channel, msg)
        if self._backlogs:
            now = time.monotonic()
            for session_id, backlog in list(self._backlogs.items()):
                if backlog.expired(now):
                    del self._backlogs[session_id]
                else:
                    backlog.add(channel, msg)


def _after(
    sequence: list[tuple[str, PackedMessage]],
    last_msg_id: str,
    fallback: list[tuple[str, PackedMessage]],
    session_id: str,
) -> list[tuple[str, PackedMessage]]:
    """What follows `last_msg_id` in `sequence`; `fallback` when it is not there (too old)."""
    # From the newest back: a message may have been written twice (a handed-over prompt).
    for index in range(len(sequence) - 1, -1, -1):
        if sequence[index][1].msg_id == last_msg_id:
            return sequence[index + 1 :]
    log.warning("session %s resumes after a message no longer kept; it may miss some", session_id)
    return fallback
