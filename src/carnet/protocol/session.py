"""A protocol session: who we are, how we sign, and making messages.

One Session per peer connection (kernel, client). It is pure: it makes and
reads frames; sockets belong to the adapters.
"""

from __future__ import annotations

import getpass
import itertools
import uuid
from collections.abc import Sequence
from typing import cast

from carnet.protocol.messages import PROTOCOL_VERSION, Content, JsonDict, Message, utcnow_iso
from carnet.protocol.signing import DEFAULT_SCHEME, ReplayGuard, Signer
from carnet.protocol.wire import Frame, RawMessage, parse_frames, serialize


def _default_username() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "username"


class Session:
    def __init__(
        self,
        key: bytes | str = b"",
        signature_scheme: str = DEFAULT_SCHEME,
        session_id: str | None = None,
        username: str | None = None,
        check_replay: bool = True,
    ) -> None:
        self.signer = Signer(key.encode() if isinstance(key, str) else key, signature_scheme)
        self.session_id = session_id or str(uuid.uuid4())
        self.username = username if username is not None else _default_username()
        self.replay = ReplayGuard() if check_replay else None
        self._prefix = uuid.uuid4().hex[:16]
        self._counter = itertools.count(1)

    def new_msg_id(self) -> str:
        return f"{self._prefix}_{next(self._counter)}"

    def header(self, msg_type: str, subshell_id: str | None = None) -> JsonDict:
        header: JsonDict = {
            "msg_id": self.new_msg_id(),
            "msg_type": msg_type,
            "username": self.username,
            "session": self.session_id,
            "date": utcnow_iso(),
            "version": PROTOCOL_VERSION,
        }
        if subshell_id is not None:
            header["subshell_id"] = subshell_id
        return header

    def msg(
        self,
        msg_type: str,
        content: Content | None = None,
        parent: Message | JsonDict | None = None,
        metadata: JsonDict | None = None,
        buffers: Sequence[bytes] = (),
        identities: Sequence[bytes] = (),
    ) -> Message:
        if isinstance(parent, Message):
            parent_header = parent.header
        elif parent is not None:
            parent_header = parent.get("header", parent)
        else:
            parent_header = {}
        return Message(
            header=self.header(msg_type),
            parent_header=dict(parent_header),
            metadata=metadata if metadata is not None else {},
            # Kept as given, not copied: every Content is a dict at run time.
            content=cast(JsonDict, content) if content is not None else {},
            buffers=tuple(buffers),
            identities=tuple(identities),
        )

    def reply(
        self, request: Message, msg_type: str, content: Content, metadata: JsonDict | None = None
    ) -> Message:
        """A reply routed back to the request's sender."""
        return self.msg(msg_type, content, request, metadata, identities=request.identities)

    def serialize(self, msg: Message) -> list[bytes | Frame]:
        return serialize(msg, self.signer)

    def parse(self, frames: Sequence[Frame]) -> RawMessage:
        return parse_frames(frames, self.signer, self.replay)

    def deserialize(self, frames: Sequence[Frame]) -> Message:
        return self.parse(frames).decode()

    def forget_replays(self) -> None:
        """Start a new replay window (a kernel restart keeps its key)."""
        if self.replay is not None:
            self.replay = ReplayGuard(self.replay.limit)
