"""Read-only access, enforced as ASGI middleware after authentication.

A read-only user (read_only_token / read_only_password) may read everything a
full user may: contents, files, kernelspecs, the kernel and session lists, and
a kernel's websocket, where it receives iopub output. Every state-changing HTTP
request gets 403. On a kernel websocket, every message the client sends (they
are all shell, control or stdin requests: execute, complete, interrupt, input
replies...) is dropped before the kernel sees it, and the client gets an error
reply to it so a frontend can tell the user why nothing ran. Only kernel_info_request,
which changes nothing, reaches the kernel.
"""

from __future__ import annotations

import uuid

from carnet.errors import ProtocolError
from carnet.server import asgi, http_errors, logs
from carnet.server.auth.identity import User
from carnet.server.auth.xsrf import SAFE_METHODS

# Logging in and out changes nothing on the server.
_ALLOWED_PATHS = frozenset({"/login", "/logout"})
# Asks only for what the kernel is; frontends send it to learn that the kernel is ready.
_HARMLESS_REQUESTS = frozenset({"kernel_info_request"})
REASON = "read-only access: this user may not execute, edit, save or manage kernels"


class ReadOnlyMiddleware:
    """403 on state-changing requests of read-only users; filters their websocket input."""

    def __init__(self, app: asgi.ASGIApp, base_url: str) -> None:
        self.app = app
        self.base_url = base_url

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        user: User | None = scope.get("user")
        if user is None or not user.read_only or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await _InputFilter(scope, receive, send).run(self.app)
            return
        relative = asgi.relative_path(scope, self.base_url)
        if scope["method"] in SAFE_METHODS or relative in _ALLOWED_PATHS:
            await self.app(scope, receive, send)
            return
        await http_errors.send_error(send, 403, REASON, "read-only")


class _InputFilter:
    """Wraps one read-only websocket: client frames are answered here, never forwarded."""

    def __init__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        self.scope = scope
        self.receive = receive
        self.send = send
        self.v1 = False

    async def run(self, app: asgi.ASGIApp) -> None:
        await app(self.scope, self.filtered_receive, self.watching_send)

    async def watching_send(self, message: asgi.Message) -> None:
        if message["type"] == "websocket.accept":
            from carnet.server.ws.formats import V1_SUBPROTOCOL

            self.v1 = message.get("subprotocol") == V1_SUBPROTOCOL
        await self.send(message)

    async def filtered_receive(self) -> asgi.Message:
        while True:
            message = await self.receive()
            if message["type"] != "websocket.receive":
                return message
            if await self._refused(message.get("bytes") or message.get("text") or b""):
                continue
            return message

    async def _refused(self, data: str | bytes) -> bool:
        """Answer a reader's message with an error, unless it is harmless (then False)."""
        from carnet.protocol.messages import Message, utcnow_iso
        from carnet.server.ws.formats import (
            WsMessage,
            decode_legacy,
            decode_v1,
            encode_legacy,
            encode_v1,
        )

        try:
            wire = decode_v1(data) if self.v1 and isinstance(data, bytes) else decode_legacy(data)
            request = wire.decode()
        except ProtocolError:
            return True
        if wire.channel == "shell" and request.msg_type in _HARMLESS_REQUESTS:
            return False
        logs.server_log().warning(
            "Read-only user's %s %s dropped", wire.channel, request.msg_type or "message"
        )
        if not request.msg_type.endswith("_request"):
            return True  # input_reply, comm messages: nothing to answer
        header = {
            **request.header,
            "msg_id": uuid.uuid4().hex,
            "msg_type": request.msg_type[: -len("_request")] + "_reply",
            "date": utcnow_iso(),
        }
        content = {
            "status": "error",
            "ename": "PermissionError",
            "evalue": REASON,
            "traceback": [f"PermissionError: {REASON}"],
        }
        reply = WsMessage.from_message(wire.channel, Message(header, request.header, {}, content))
        frame = encode_v1(reply) if self.v1 else encode_legacy(reply)
        if isinstance(frame, str):
            await self.send({"type": "websocket.send", "text": frame})
        else:
            await self.send({"type": "websocket.send", "bytes": frame})
        return True
