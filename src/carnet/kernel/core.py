# Over 300 lines: the dispatch table and the loop that runs it read best side by side.
"""The kernel core: a dispatch table from msg_type to handler, and the shell loop.

Modelled on xeus' xkernel_core: protocol machinery here, language behind the
Interpreter interface. Every request gets status busy, its reply, and status
idle, with all of its output published before idle. A message that fails
verification is logged and dropped; a request type we do not know gets an
error reply, never silence.
"""

from __future__ import annotations

import collections
import logging
import uuid
from collections.abc import Callable
from typing import cast

import zmq

from carnet.errors import ProtocolError
from carnet.kernel.interpreter import Interpreter, KernelIO
from carnet.kernel.wakeup import WakePipe
from carnet.protocol import Message, Session
from carnet.protocol.content import (
    ErrorReply,
    ExecuteInput,
    ExecuteReplyAborted,
    ExecuteRequest,
    HistoryRequest,
    ShutdownReply,
)
from carnet.protocol.messages import Content, JsonDict, utcnow_iso

log = logging.getLogger("carnet.kernel")

# A handler returns (content, metadata) for its reply, or None when the message has none.
Reply = tuple[Content, JsonDict] | None
Handler = Callable[[Message], Reply]


def reply_type(msg_type: str) -> str:
    return msg_type.removesuffix("_request") + "_reply"


def error_content(exc: BaseException) -> ErrorReply:
    import traceback

    return {
        "status": "error",
        "ename": type(exc).__name__,
        "evalue": str(exc),
        "traceback": traceback.format_exception(exc),
    }


def unknown_request(msg: Message, channel: str) -> ErrorReply:
    return {
        "status": "error",
        "ename": "UnknownRequest",
        "evalue": f"Carnet's kernel does not handle {msg.msg_type!r} on the {channel} channel",
        "traceback": [],
    }


class KernelCore:
    def __init__(
        self,
        session: Session,
        shell_socket: zmq.Socket[bytes],
        io: KernelIO,
        interpreter: Interpreter,
        on_shutdown: Callable[[Message], ShutdownReply],
        wake_pipe: WakePipe,
    ) -> None:
        self.session = session
        self.socket = shell_socket
        self.io = io
        self.interpreter = interpreter
        self.engine_id = str(uuid.uuid4())
        self.stopping = False
        # True while serve() runs: only then may a SIGTERM unwind the main thread.
        self.serving = False
        self._on_shutdown = on_shutdown
        self._backlog: collections.deque[Message] = collections.deque()
        self._abort_queued = False
        # Execute requests that a Ctrl-C between requests was meant for (see interrupts.py).
        self._interrupted: set[str] = set()
        self._in_hand = False
        io.interrupts.requests_waiting = self._requests_waiting
        io.interrupts.wake = self.wake
        self._wake_pipe = wake_pipe
        self.handlers: dict[str, Handler] = {
            "kernel_info_request": self._kernel_info,
            "execute_request": self._execute,
            "complete_request": self._complete,
            "inspect_request": self._inspect,
            "history_request": self._history,
            "is_complete_request": self._is_complete,
            "comm_info_request": self._comm_info,
            "comm_open": self._comm,
            "comm_msg": self._comm,
            "comm_close": self._comm,
            "shutdown_request": self._shutdown,
        }

    # -- the loop ---------------------------------------------------------------------------

    def wake(self) -> None:
        """Make the shell loop look at its flags (thread-safe)."""
        self._wake_pipe.wake()

    def serve(self) -> None:
        poller = zmq.Poller()
        poller.register(self.socket, zmq.POLLIN)
        poller.register(self._wake_pipe.reader, zmq.POLLIN)
        try:
            self.serving = True
            self._serve(poller)
        finally:
            # A SIGTERM handled before this line unwinds serve(), where the caller
            # catches it; one handled after it must not cut into the caller's close.
            self.serving = False

    def _serve(self, poller: zmq.Poller) -> None:
        while not self.stopping:
            self._assign_stray_interrupt()
            if self._backlog:
                self.handle(self._backlog.popleft())
                continue
            delay = self.interpreter.idle_delay()
            events = dict(poller.poll(None if delay is None else int(delay * 1000)))
            if not events and delay is not None:
                self.interpreter.idle_work()
                continue
            if self._wake_pipe.reader in events:
                self._wake_pipe.drain()
                self._assign_stray_interrupt()
                if self._backlog:
                    continue
            if self.socket in events:
                self._in_hand = True
                msg = self._receive(zmq.NOBLOCK)
                if msg is not None:
                    self.handle(msg)
                self._in_hand = False
            elif not self.interpreter.ready:
                # Woken by the import thread: build the shell while nobody waits.
                self.interpreter.prepare()

    def _receive(self, flags: int = 0) -> Message | None:
        try:
            frames = self.socket.recv_multipart(flags)
        except zmq.Again:
            return None
        try:
            return self.session.deserialize(frames)
        except ProtocolError as exc:
            log.warning("dropped message on shell: %s", exc)
            return None

    def _requests_waiting(self) -> bool:
        """Called from the SIGINT handler, on the main thread, between two bytecodes."""
        return self._in_hand or bool(self._backlog) or self._pending_frames()

    def _assign_stray_interrupt(self) -> None:
        """Ctrl-C while requests waited: it is meant for the first waiting execution."""
        if not self.io.interrupts.take_stray():
            return
        while (msg := self._receive(zmq.NOBLOCK)) is not None or self._pending_frames():
            if msg is not None:
                self._backlog.append(msg)
        for msg in self._backlog:
            if msg.msg_type == "execute_request":
                self._interrupted.add(msg.msg_id)
                return

    def handle(self, msg: Message) -> None:
        if msg.msg_type != "execute_request":
            self._in_hand = False
            # A Ctrl-C that came while this request was being received is meant for an
            # execution waiting behind it, if there is one: look now, before this reply lets
            # a client send its next cell, which the Ctrl-C was never meant for.
            self._assign_stray_interrupt()
        iopub = self.io.iopub
        iopub.parent = msg
        iopub.status("busy", msg)
        handler = self.handlers.get(msg.msg_type)
        reply: Reply
        try:
            if handler is None:
                log.warning("unknown message type %r on shell", msg.msg_type)
                reply = (unknown_request(msg, "shell"), {})
            else:
                reply = handler(msg)
        except (Exception, KeyboardInterrupt) as exc:
            log.warning("%s failed: %s", msg.msg_type, exc)
            reply = (error_content(exc), {"status": "error"})
        self.io.capture.sync()
        # Only requests that arrived before the failure is reported count as queued.
        to_abort = self._take_waiting_executes() if self._abort_queued else []
        self._abort_queued = False
        if reply is not None:
            content, metadata = reply
            self.socket.send_multipart(
                self.session.serialize(
                    self.session.reply(msg, reply_type(msg.msg_type), content, metadata)
                )
            )
        iopub.status("idle", msg)
        for waiting in to_abort:
            self._abort(waiting)

    def _take_waiting_executes(self) -> list[Message]:
        """After a failed cell with stop_on_error, the execute requests already queued."""
        taken: list[Message] = []
        while True:
            msg = self._receive(zmq.NOBLOCK)
            if msg is None:
                if self._pending_frames():
                    continue
                return taken
            if msg.msg_type == "execute_request":
                taken.append(msg)
            else:
                self._backlog.append(msg)

    def _abort(self, msg: Message) -> None:
        """Answer a queued execute_request 'aborted' without running it."""
        self._interrupted.discard(msg.msg_id)
        self.io.iopub.status("busy", msg)
        content: ExecuteReplyAborted = {"status": "aborted", "execution_count": None}
        metadata = {"status": "aborted", "engine": self.engine_id, "dependencies_met": True}
        self.socket.send_multipart(
            self.session.serialize(self.session.reply(msg, "execute_reply", content, metadata))
        )
        self.io.iopub.status("idle", msg)

    def _pending_frames(self) -> bool:
        events = int(self.socket.getsockopt(zmq.EVENTS))
        return bool(events & zmq.POLLIN)

    # -- handlers ---------------------------------------------------------------------------

    def _kernel_info(self, msg: Message) -> Reply:
        return self.interpreter.kernel_info(), {}

    def _execute(self, msg: Message) -> Reply:
        # Typed to catch a misspelt field; the values are checked below, as sent by anyone.
        content = cast(ExecuteRequest, msg.content)
        code = content.get("code")
        if not isinstance(code, str):
            raise TypeError("execute_request content needs a string 'code'")
        silent = bool(content.get("silent", False))
        store_history = bool(content.get("store_history", not silent)) and not silent
        user_expressions = content.get("user_expressions") or {}
        if not isinstance(user_expressions, dict):
            raise TypeError("execute_request user_expressions must be an object")
        allow_stdin = bool(content.get("allow_stdin", True))
        started = utcnow_iso()
        interpreter = self.interpreter
        interrupted = msg.msg_id in self._interrupted
        self._interrupted.discard(msg.msg_id)
        # From here on Ctrl-C is held for this cell; the interpreter raises it in user code.
        with self.io.interrupts.execution(interrupted):
            self._in_hand = False
            if not silent:
                execute_input: ExecuteInput = {
                    "code": code,
                    "execution_count": interpreter.count_for(code, silent, store_history),
                }
                self.io.iopub.send("execute_input", execute_input)
            self.io.stdin.parent = msg
            try:
                reply = interpreter.execute(
                    code, silent, store_history, user_expressions, allow_stdin
                )
            finally:
                self.io.stdin.parent = None
        status = reply.get("status", "ok")
        if status == "error" and not silent and content.get("stop_on_error", True):
            self._abort_queued = True
        metadata = {
            "started": started,
            "dependencies_met": True,
            "engine": self.engine_id,
            "status": status,
        }
        return reply, metadata

    def _complete(self, msg: Message) -> Reply:
        code = str(msg.content.get("code", ""))
        cursor_pos = msg.content.get("cursor_pos")
        position = len(code) if cursor_pos is None else int(cursor_pos)
        return self.interpreter.complete(code, position), {}

    def _inspect(self, msg: Message) -> Reply:
        code = str(msg.content.get("code", ""))
        cursor_pos = msg.content.get("cursor_pos")
        position = len(code) if cursor_pos is None else int(cursor_pos)
        detail = int(msg.content.get("detail_level", 0))
        return self.interpreter.inspect(code, position, detail), {}

    def _history(self, msg: Message) -> Reply:
        return self.interpreter.history(cast(HistoryRequest, msg.content)), {}

    def _is_complete(self, msg: Message) -> Reply:
        return self.interpreter.is_complete(str(msg.content.get("code", ""))), {}

    def _comm_info(self, msg: Message) -> Reply:
        # The comm package imports traitlets, which IPython's import thread may be
        # importing right now: importing it here too could deadlock the two (Python then
        # fails one of them, and IPython never loads). Wait for that thread first.
        self.interpreter.wait_ready()
        from carnet.kernel import comm

        target = msg.content.get("target_name")
        return comm.get_manager().info(str(target) if target else None), {}

    def _comm(self, msg: Message) -> Reply:
        # Comm targets are registered by user code, so the shell must exist; waiting for it
        # also keeps this thread from importing what the import thread imports (see above).
        try:
            self.interpreter.wait_ready()
        except Exception as exc:  # IPython is broken: still close the comm opened here
            log.warning("%s: the shell is unavailable: %s", msg.msg_type, exc)
        from carnet.kernel import comm

        comm.install(self.io.iopub, self.io.capture.flush)
        try:
            comm.get_manager().handle(msg)
        except Exception as exc:
            log.warning("%s failed: %s", msg.msg_type, exc)
        return None

    def _shutdown(self, msg: Message) -> Reply:
        return self._on_shutdown(msg), {}
