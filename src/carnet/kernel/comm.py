"""The kernel side of the comm protocol, registered with the `comm` package.

Libraries (ipywidgets 8 and others) call comm.create_comm() and
comm.get_comm_manager(); install() points both at Carnet's classes, which
publish on IOPub. Messages from clients (comm_open/msg/close) are routed by
core.py to handle().
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import comm as comm_package
from comm.base_comm import BaseComm, CommManager

from carnet.kernel.iopub import IOPub
from carnet.protocol import Message
from carnet.protocol.content import CommInfo, CommInfoReply

log = logging.getLogger("carnet.kernel")

_iopub: IOPub | None = None
# Sends buffered stdout/stderr: text printed before a comm message must reach clients first
# (ipywidgets' Output widget changes its msg_id by comm message around captured prints).
_flush_streams: Callable[[], None] = lambda: None  # noqa: E731 (replaced by install())
_manager: CarnetCommManager | None = None


class Comm(BaseComm):
    """A comm whose messages go out on the kernel's IOPub channel."""

    def publish_msg(
        self,
        msg_type: str,
        data: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        buffers: list[bytes] | None = None,
        **keys: Any,
    ) -> None:
        if _iopub is None:
            raise RuntimeError("comms cannot be used before the kernel has started")
        content = {"data": data or {}, "comm_id": self.comm_id, **keys}
        _flush_streams()
        _iopub.send(
            msg_type,
            content,
            metadata=metadata or {},
            buffers=[bytes(b) for b in buffers or ()],
            topic=self.topic,
        )


class CarnetCommManager(CommManager):
    """The comm registry; takes Carnet's Message objects from the shell loop."""

    def handle(self, msg: Message) -> None:
        """A comm_open, comm_msg or comm_close from a client."""
        handlers = {
            "comm_open": self.comm_open,
            "comm_msg": self.comm_msg,
            "comm_close": self.comm_close,
        }
        handler = handlers.get(msg.msg_type)
        if handler is None:
            raise ValueError(f"not a comm message: {msg.msg_type}")
        content = msg.content
        if not isinstance(content.get("comm_id"), str):
            raise ValueError(f"{msg.msg_type} without a string comm_id")
        if msg.msg_type == "comm_open" and not isinstance(content.get("target_name"), str):
            raise ValueError("comm_open without a string target_name")
        # The zmq stream and identity arguments are unused by CommManager's handlers.
        stream: Any = None
        handler(stream, "", msg.to_dict())

    def info(self, target_name: str | None) -> CommInfoReply:
        comms: dict[str, CommInfo] = {
            comm_id: {"target_name": comm.target_name}
            for comm_id, comm in self.comms.items()
            if not target_name or comm.target_name == target_name
        }
        return {"status": "ok", "comms": comms}


def _create_comm(*args: Any, **kwargs: Any) -> Comm:
    return Comm(*args, **kwargs)


def get_manager() -> CarnetCommManager:
    global _manager
    if _manager is None:
        _manager = CarnetCommManager()
    return _manager


def install(iopub: IOPub, flush_streams: Callable[[], None] | None = None) -> None:
    """Make comm.create_comm and comm.get_comm_manager Carnet's."""
    global _iopub, _flush_streams
    _iopub = iopub
    if flush_streams is not None:
        _flush_streams = flush_streams
    comm_package.create_comm = _create_comm
    comm_package.get_comm_manager = get_manager
