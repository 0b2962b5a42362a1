"""The control channel, served on its own thread.

So that interrupt_request, shutdown_request and kernel_info_request are
answered while the main thread runs user code. Its handlers must therefore
be thread-safe and quick.
"""

from __future__ import annotations

import logging
import os
import threading

import zmq

from carnet.errors import ProtocolError
from carnet.kernel.core import Handler, Reply, error_content, reply_type, unknown_request
from carnet.kernel.iopub import IOPub
from carnet.protocol import Session

log = logging.getLogger("carnet.kernel")


class ControlThread:
    def __init__(
        self,
        socket: zmq.Socket[bytes],
        session: Session,
        iopub: IOPub,
        handlers: dict[str, Handler],
    ) -> None:
        self._socket = socket
        self._session = session
        self._iopub = iopub
        self.handlers = handlers
        self._stop_r, self._stop_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name="carnet-control", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Finish the request in hand, then close the socket."""
        if self._thread.is_alive():
            os.write(self._stop_w, b"\0")
            self._thread.join(timeout)

    def _run(self) -> None:
        poller = zmq.Poller()
        poller.register(self._socket, zmq.POLLIN)
        poller.register(self._stop_r, zmq.POLLIN)
        try:
            while True:
                events = dict(poller.poll())
                if self._socket in events:
                    self._serve_one()
                if self._stop_r in events:
                    return
        finally:
            self._socket.close(linger=1000)
            os.close(self._stop_r)

    def _serve_one(self) -> None:
        frames = self._socket.recv_multipart()
        try:
            msg = self._session.deserialize(frames)
        except ProtocolError as exc:
            log.warning("dropped message on control: %s", exc)
            return
        self._iopub.status("busy", msg)
        handler = self.handlers.get(msg.msg_type)
        reply: Reply
        try:
            if handler is None:
                log.warning("unknown message type %r on control", msg.msg_type)
                reply = (unknown_request(msg, "control"), {})
            else:
                reply = handler(msg)
        except Exception as exc:
            log.warning("%s failed on control: %s", msg.msg_type, exc)
            reply = (error_content(exc), {})
        if reply is not None:
            content, metadata = reply
            out = self._session.reply(msg, reply_type(msg.msg_type), content, metadata)
            self._socket.send_multipart(self._session.serialize(out))
        self._iopub.status("idle", msg)
