"""Replay detection is the kernel's (its sockets are the ones anyone can connect to).

A client's sockets connect to the kernel, so only the kernel writes to them: a client
keeps no window of signatures, which in the server was 65,536 of them per kernel, held
for the kernel's lifetime.
"""

from __future__ import annotations

import pytest

from carnet.client.client import AsyncKernelClient
from carnet.client.ports import new_connection_info
from carnet.errors import InvalidSignature
from carnet.protocol import Session


def test_a_client_session_keeps_no_replay_window() -> None:
    info = new_connection_info()
    client = AsyncKernelClient(info)
    assert client.session.replay is None
    # What it reads is still verified: a message from another key is refused.
    forged = Session(b"not-the-key").msg("stream", {"name": "stdout", "text": "x"})
    frames = Session(b"not-the-key").serialize(forged)
    with pytest.raises(InvalidSignature):
        client.session.deserialize([bytes(f) for f in frames])


def test_a_kernel_session_keeps_one() -> None:
    assert Session(b"key").replay is not None
