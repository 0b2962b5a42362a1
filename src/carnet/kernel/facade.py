"""`get_ipython().kernel`: the part of ipykernel's Kernel that libraries reach for.

Libraries detect a notebook and find their way to the comm machinery through
the shell rather than through a documented API. What they read, and what
this object therefore offers:

- `getattr(get_ipython(), "kernel", None) is not None`: "running in a kernel"
  (ipywidgets registers its comm targets only then; many plotting and
  progress-bar libraries switch to rich output on it).
- `kernel.comm_manager.register_target(name, callback)` (ipywidgets 7, and
  libraries written against it).
- `kernel.get_parent()` and, for ipykernel < 6 code, `kernel._parent_header`:
  the request being served, as a message dict. ipywidgets' Output widget
  copies its msg_id so that the frontend routes the output inside the widget.
- `kernel.session.send(kernel.iopub_socket, msg_type, content, parent=...)`
  and `kernel.send_response(kernel.iopub_socket, msg_type, content)`: publish
  a message on IOPub. `iopub_socket` is a token naming the channel, not a
  socket: the kernel's sockets belong to their own threads.
- `kernel.shell`, `kernel.implementation`, `kernel.language_info`.

The shell also gets an `IPKernelApp` section in its config (holding
`connection_file`), which is how tqdm and others have long recognised a
Jupyter kernel, and get_parent()/set_parent() as ipykernel's shell has them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from carnet.kernel.comm import CarnetCommManager, get_manager
from carnet.kernel.iopub import IOPub
from carnet.protocol import Message
from carnet.protocol.content import KernelInfoReply
from carnet.protocol.messages import JsonDict


class IOPubChannel:
    """Stands where ipykernel code expects `kernel.iopub_socket`."""

    def __repr__(self) -> str:
        return "<Carnet IOPub channel>"


class SessionFacade:
    """`kernel.session`: only send() to the IOPub channel is supported."""

    def __init__(self, iopub: IOPub, channel: IOPubChannel) -> None:
        self._iopub = iopub
        self._channel = channel
        self.session = iopub.session.session_id
        self.username = iopub.session.username

    def send(
        self,
        stream: object,
        msg_or_type: JsonDict | str,
        content: JsonDict | None = None,
        parent: JsonDict | Message | None = None,
        ident: object = None,
        buffers: Sequence[bytes] | None = None,
        track: bool = False,
        header: JsonDict | None = None,
        metadata: JsonDict | None = None,
    ) -> JsonDict:
        """Publish on IOPub; returns the message as a dict, like jupyter_client."""
        if stream is not self._channel:
            raise ValueError(
                "Carnet's kernel publishes only on IOPub: pass kernel.iopub_socket as the stream"
            )
        if isinstance(msg_or_type, dict):
            msg_type = str(msg_or_type.get("msg_type") or msg_or_type["header"]["msg_type"])
            content = msg_or_type.get("content", content)
            metadata = msg_or_type.get("metadata", metadata)
            parent = parent or msg_or_type.get("parent_header") or None
        else:
            msg_type = msg_or_type
        parent_message = as_parent(parent)
        self._iopub.send(
            msg_type,
            dict(content or {}),
            parent=parent_message,
            metadata=dict(metadata or {}),
            buffers=[bytes(b) for b in buffers or ()],
        )
        return {"msg_type": msg_type, "content": content or {}, "metadata": metadata or {}}


def as_parent(parent: JsonDict | Message | None) -> Message | None:
    """A parent given as a request dict, or as just its header (ipykernel accepts both)."""
    if parent is None or isinstance(parent, Message):
        return parent
    if not parent:
        return None
    if "header" in parent:
        return Message.from_dict(parent)
    return Message(header=dict(parent))


class KernelFacade:
    """`get_ipython().kernel` in Carnet's kernel."""

    def __init__(self, shell: Any, iopub: IOPub, kernel_info: KernelInfoReply) -> None:
        self.shell = shell
        self.iopub_socket = IOPubChannel()
        self.session = SessionFacade(iopub, self.iopub_socket)
        self.implementation = str(kernel_info.get("implementation", "carnet"))
        self.implementation_version = str(kernel_info.get("implementation_version", ""))
        self.language_info: JsonDict = dict(kernel_info.get("language_info", {}))
        self.protocol_version = str(kernel_info.get("protocol_version", ""))
        self._iopub = iopub

    @property
    def comm_manager(self) -> CarnetCommManager:
        return get_manager()

    def get_parent(self, channel: str = "shell") -> JsonDict:
        """The request being served, as a message dict ({} between requests)."""
        parent = self._iopub.parent
        return parent.to_dict() if parent is not None else {}

    @property
    def _parent_header(self) -> JsonDict:
        return self.get_parent()

    def send_response(
        self,
        stream: object,
        msg_or_type: JsonDict | str,
        content: JsonDict | None = None,
        ident: object = None,
        buffers: Sequence[bytes] | None = None,
        track: bool = False,
        header: JsonDict | None = None,
        metadata: JsonDict | None = None,
        channel: str = "shell",
    ) -> JsonDict:
        """Publish with the request being served as parent."""
        return self.session.send(
            stream,
            msg_or_type,
            content,
            self._iopub.parent,
            ident,
            buffers,
            track,
            header,
            metadata,
        )

    def __repr__(self) -> str:
        return f"<Carnet kernel {self.implementation_version}>"
