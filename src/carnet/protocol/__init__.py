"""The Jupyter messaging protocol, sans I/O.

Nothing here imports zmq or asyncio: frames (lists of bytes) go in, typed,
verified messages come out, and back. I/O adapters live in carnet.kernel and
carnet.client.
"""

from carnet.protocol.messages import PROTOCOL_VERSION, Message
from carnet.protocol.packed import PackedMessage
from carnet.protocol.session import Session
from carnet.protocol.signing import ReplayGuard, Signer
from carnet.protocol.wire import DELIMITER, RawMessage

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
