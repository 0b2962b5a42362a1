"""Typed identifiers, so a kernel id is never passed where a session id is meant."""

from __future__ import annotations

import uuid
from typing import NewType

KernelId = NewType("KernelId", str)
SessionId = NewType("SessionId", str)
MsgId = NewType("MsgId", str)


def new_kernel_id() -> KernelId:
    return KernelId(str(uuid.uuid4()))


def new_session_id() -> SessionId:
    return SessionId(str(uuid.uuid4()))
