"""A minimal blocking client on raw pyzmq + Carnet's sans-IO protocol.

The benchmarks drive Carnet's kernel and ipykernel through this same client, so
the client's own cost is identical on both sides and as small as possible.
"""

from __future__ import annotations

import time
from typing import Any

import zmq

from carnet.protocol import Message, Session
from carnet.protocol.connection_file import ConnectionInfo


class BenchClient:
    def __init__(self, info: ConnectionInfo) -> None:
        self.ctx = zmq.Context()
        self.session = Session(info.key_bytes, info.signature_scheme)
        self.shell = self.ctx.socket(zmq.DEALER)
        self.shell.linger = 0
        self.shell.connect(info.url("shell"))
        self.control = self.ctx.socket(zmq.DEALER)
        self.control.linger = 0
        self.control.connect(info.url("control"))
        self.iopub = self.ctx.socket(zmq.SUB)
        self.iopub.linger = 0
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(info.url("iopub"))

    def close(self) -> None:
        self.shell.close()
        self.control.close()
        self.iopub.close()
        self.ctx.term()

    def send(
        self, msg_type: str, content: dict[str, Any] | None = None, channel: str = "shell"
    ) -> Message:
        msg = self.session.msg(msg_type, content or {})
        socket = self.control if channel == "control" else self.shell
        socket.send_multipart(self.session.serialize(msg), copy=False)
        return msg

    def shell_reply(self, request: Message, timeout: float = 30.0) -> Message:
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.shell.poll(int(left * 1000)):
                raise TimeoutError(f"no reply to {request.msg_type}")
            reply = self.session.deserialize(self.shell.recv_multipart())
            if reply.parent_msg_id == request.msg_id:
                return reply

    def iopub_until_idle(self, request: Message, timeout: float = 120.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        seen: list[Message] = []
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not self.iopub.poll(int(left * 1000)):
                raise TimeoutError(f"no idle status for {request.msg_type}")
            msg = self.session.deserialize(self.iopub.recv_multipart())
            if msg.parent_msg_id != request.msg_id:
                continue
            seen.append(msg)
            if msg.msg_type == "status" and msg.content.get("execution_state") == "idle":
                return seen

    def wait_for_iopub(self, timeout: float = 30.0) -> None:
        """Send kernel_info until iopub delivers (the SUB socket may join late)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            request = self.send("kernel_info_request")
            self.shell_reply(request)
            if self.iopub.poll(500):
                while self.iopub.poll(200):
                    self.iopub.recv_multipart()
                return
        raise TimeoutError("iopub never delivered")
