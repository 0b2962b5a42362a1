"""The kernel side of the comm protocol, registered with the `comm` package.

Libraries (ipywidgets 8 and others) call comm.create_comm() and
comm.get_comm_manager(); install() points both at Carnet's classes, which
publish on IOPub. Messages from clients (comm_open/msg/close) are routed by
core.py to handle().
"""

from __future__ import annotations

import logging
from typing import Any

import comm as comm_package
from comm.base_comm import BaseComm, CommManager

from carnet.kernel.iopub import IOPub
from carnet.protocol import Message
from carnet.protocol.messages import JsonDict

log = logging.getLogger("carnet.kernel")

_iopub: IOPub | None = None
_manager: CommManager | None = None


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
        _iopub.send(
            msg_type,
            content,
            metadata=metadata or {},
            buffers=[bytes(b) for b in buffers or ()],
            topic=self.topic,
        )


def _create_comm(*args: Any, **kwargs: Any) -> Comm:
    return Comm(*args, **kwargs)


def get_manager() -> CommManager:
    global _manager
    if _manager is None:
        _manager = CommManager()
    return _manager


def install(iopub: IOPub) -> None:
    """Make comm.create_comm and comm.get_comm_manager Carnet's."""
    global _iopub
    _iopub = iopub
    comm_package.create_comm = _create_comm
    comm_package.get_comm_manager = get_manager


def handle(msg: Message) -> None:
    """A comm_open, comm_msg or comm_close from a client."""
    manager = get_manager()
    # The zmq stream and identity arguments are unused by CommManager's handlers.
    stream: Any = None
    as_dict = msg.to_dict()
    if msg.msg_type == "comm_open":
        manager.comm_open(stream, "", as_dict)
    elif msg.msg_type == "comm_msg":
        manager.comm_msg(stream, "", as_dict)
    elif msg.msg_type == "comm_close":
        manager.comm_close(stream, "", as_dict)
    else:
        raise ValueError(f"not a comm message: {msg.msg_type}")


def comm_info(target_name: str | None) -> JsonDict:
    comms = {
        comm_id: {"target_name": comm.target_name}
        for comm_id, comm in get_manager().comms.items()
        if not target_name or comm.target_name == target_name
    }
    return {"status": "ok", "comms": comms}
