"""The Jupyter messaging protocol, sans I/O.

Nothing here imports zmq or asyncio: frames (lists of bytes) go in, typed,
verified messages come out, and back. I/O adapters live in carnet.kernel and
carnet.client.

The names below are imported when first used (PEP 562): a starting kernel reads
its connection file (carnet.protocol.connection_file) and binds its sockets
before it needs messages, sessions or signatures.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carnet.protocol.messages import PROTOCOL_VERSION, Message
    from carnet.protocol.packed import PackedMessage
    from carnet.protocol.session import Session
    from carnet.protocol.signing import ReplayGuard, Signer
    from carnet.protocol.wire import DELIMITER, RawMessage

_MODULE_OF = {
    "DELIMITER": "wire",
    "PROTOCOL_VERSION": "messages",
    "Message": "messages",
    "PackedMessage": "packed",
    "RawMessage": "wire",
    "ReplayGuard": "signing",
    "Session": "session",
    "Signer": "signing",
}

__all__ = [
    "DELIMITER",
    "PROTOCOL_VERSION",
    "Message",
    "PackedMessage",
    "RawMessage",
    "ReplayGuard",
    "Session",
    "Signer",
]


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups do not come here
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
