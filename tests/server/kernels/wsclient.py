"""A small websocket client for the kernel channels, in either wire format."""

from __future__ import annotations

import contextlib
import json
import socket
import time
import uuid
from typing import Any

from websockets.sync.client import ClientConnection, connect

from carnet.protocol import Message
from carnet.server.ws.formats import (
    V1_SUBPROTOCOL,
    WsMessage,
    decode_legacy,
    decode_v1,
    encode_legacy,
    encode_v1,
)
from tests.support.wsclose import close_reading


class KernelSocket:
    def __init__(
        self,
        server: Any,
        kernel_id: str,
        session_id: str = "",
        v1: bool = False,
        last_msg_id: str = "",
    ):
        self.session_id = session_id or uuid.uuid4().hex
        self.v1 = v1
        url = server.url.replace("http", "ws", 1) + (
            f"api/kernels/{kernel_id}/channels?session_id={self.session_id}"
        )
        if last_msg_id:  # resuming after a drop: the last message this session got
            url += f"&last_msg_id={last_msg_id}"
        self.ws: ClientConnection = connect(
            url,
            additional_headers=server.auth_headers,
            subprotocols=[V1_SUBPROTOCOL] if v1 else None,  # type: ignore[list-item]
            max_size=None,
        ).__enter__()  # websockets >= 17.1 wants the context-manager protocol
        self.received: list[tuple[str, Message]] = []

    def close(self) -> None:
        close_reading(self.ws)

    def abort(self) -> None:
        """Cuts the TCP connection with no close frame: a network drop, as the server sees it."""
        with contextlib.suppress(OSError):
            self.ws.socket.shutdown(socket.SHUT_RDWR)
        self.ws.socket.close()

    def __enter__(self) -> KernelSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(
        self,
        channel: str,
        msg_type: str,
        content: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        parent: dict[str, Any] | None = None,
    ) -> str:
        header = {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "test",
            "session": self.session_id,
            "date": "2026-01-01T00:00:00Z",
            "version": "5.3",
        }
        msg = Message(header, parent or {}, metadata or {}, content or {})
        wire = WsMessage.from_message(channel, msg)
        self.ws.send(encode_v1(wire) if self.v1 else encode_legacy(wire))
        return str(header["msg_id"])

    def send_raw(self, frame: str | bytes) -> None:
        self.ws.send(frame)

    def recv(self, timeout: float = 10.0) -> tuple[str, Message]:
        frame = self.ws.recv(timeout=timeout)
        if self.v1:
            assert isinstance(frame, bytes), "v1 frames are binary"
            wire = decode_v1(frame)
        else:
            wire = decode_legacy(frame)
        item = (wire.channel, wire.decode())
        self.received.append(item)
        return item

    def execute(self, code: str, timeout: float = 30.0, **content: Any) -> list[Message]:
        """Run code; every message for it up to both its reply and its idle status."""
        msg_id = self.send("shell", "execute_request", {"code": code, "silent": False, **content})
        return self.collect(msg_id, timeout)

    def collect(self, msg_id: str, timeout: float = 30.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        got: list[Message] = []
        reply = idle = False
        while not (reply and idle):
            _, msg = self.recv(max(0.1, deadline - time.monotonic()))
            if msg.parent_msg_id != msg_id:
                continue
            got.append(msg)
            reply = reply or msg.msg_type.endswith("_reply")
            idle = idle or (
                msg.msg_type == "status" and msg.content.get("execution_state") == "idle"
            )
        return got


def stdout_of(messages: list[Message]) -> str:
    return "".join(
        m.content["text"]
        for m in messages
        if m.msg_type == "stream" and m.content.get("name") == "stdout"
    )


def reply_of(messages: list[Message]) -> Message:
    return next(m for m in messages if m.msg_type.endswith("_reply"))


def dumps(obj: Any) -> str:
    return json.dumps(obj)
