"""input() and getpass() over the stdin channel.

The request goes to the ROUTER identity of the client that sent the
execute_request (Jupyter clients give their shell and stdin sockets the same
identity) and we block, on the main thread, until its input_reply arrives.
Ctrl-C (SIGINT, or an interrupt_request) raises KeyboardInterrupt out of the wait.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import zmq

from carnet.errors import ProtocolError
from carnet.kernel.interrupts import InterruptGate
from carnet.kernel.wakeup import WakePipe
from carnet.protocol import Message, Session
from carnet.protocol.content import InputRequest
from carnet.protocol.wire import Frame

log = logging.getLogger("carnet.kernel")

# How long an input_request waits for the client's stdin socket to be connected.
STDIN_CONNECT_TIMEOUT = 10.0


class StdinBridge:
    def __init__(
        self,
        socket: zmq.Socket[bytes],
        session: Session,
        flush_output: Callable[[], None],
        interrupts: InterruptGate,
        wake_pipe: WakePipe,
    ) -> None:
        self._socket = socket
        self._interrupts = interrupts
        self._wake_pipe = wake_pipe
        self._session = session
        self._flush_output = flush_output
        # The execute_request being served, and whether its client accepts input.
        self.parent: Message | None = None
        self.allowed = False

    def request(self, prompt: str = "", password: bool = False) -> str:
        """Ask the client for a line of input; raises if the request disallowed stdin."""
        parent = self.parent
        if parent is None or not self.allowed:
            from IPython.core.error import StdinNotImplementedError

            raise StdinNotImplementedError(
                "input() was called, but this frontend does not support input requests "
                "(the execute_request had allow_stdin false)."
            )
        # The prompt must not overtake output printed before the input() call.
        self._flush_output()
        self._discard_stale_replies()
        content: InputRequest = {"prompt": str(prompt), "password": bool(password)}
        msg = self._session.msg(
            "input_request",
            content,
            parent,
            identities=parent.identities,
        )
        with self._interrupts.deferred():
            self._send(self._session.serialize(msg))
        poller = zmq.Poller()
        poller.register(self._socket, zmq.POLLIN)
        poller.register(self._wake_pipe.reader, zmq.POLLIN)
        while True:
            # Ctrl-C lands here; whatever it leaves unread is discarded before the next prompt.
            # Not a blocking recv: a SIGINT that came just before it, or that another thread
            # took, would not end it (wakeup.py). Its byte ends the poll; the handler runs on
            # the next bytecode.
            events = dict(poller.poll())
            if self._wake_pipe.reader in events:
                self._wake_pipe.drain()
            try:
                frames = self._socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                continue
            try:
                reply = self._session.deserialize(frames)
            except ProtocolError as exc:
                log.warning("dropped message on stdin: %s", exc)
                continue
            if reply.msg_type != "input_reply":
                log.warning("ignored %r on stdin while waiting for input_reply", reply.msg_type)
                continue
            value = reply.content.get("value", "")
            return value if isinstance(value, str) else str(value)

    def _send(self, frames: list[bytes | Frame]) -> None:
        """Send to the requesting client's stdin socket, waiting a while for it to connect.

        A client connects its stdin socket beside its shell socket, but the connection may
        still be in progress when the first cell asks for input at once.
        """
        deadline = time.monotonic() + STDIN_CONNECT_TIMEOUT
        while True:
            try:
                self._socket.send_multipart(frames)
                return
            except zmq.ZMQError as exc:
                if exc.errno != zmq.EHOSTUNREACH or time.monotonic() > deadline:
                    from IPython.core.error import StdinNotImplementedError

                    raise StdinNotImplementedError(
                        "input() was called, but the client's stdin channel is not connected"
                    ) from exc
                time.sleep(0.01)

    def _discard_stale_replies(self) -> None:
        """Replies to an input() that was interrupted must not answer the next one."""
        while True:
            try:
                self._socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                return

    def input(self, prompt: object = "") -> str:
        return self.request(str(prompt), password=False)

    def getpass(self, prompt: str = "Password: ", stream: object = None) -> str:
        return self.request(prompt, password=True)
