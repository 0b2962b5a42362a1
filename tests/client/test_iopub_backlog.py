"""A client that falls behind a kernel's output holds a few messages, not a thousand.

The peer is a kernel's IOPub socket made to report back-pressure (XPUB_NODROP) instead
of dropping, so the test can count how much the client takes in while it reads nothing.
"""

from __future__ import annotations

import asyncio
import contextlib

import zmq

from carnet.client.client import AsyncKernelClient
from carnet.client.ports import new_connection_info
from carnet.protocol import Session

MESSAGE = 1 << 20
# What the kernel's socket (1), loopback TCP's buffers (about 10 here) and the client's
# queue hold between them, in 1 MiB messages, with room to spare; zmq's default was 1000.
AT_MOST = 100
# Stop short of a big backlog if the client takes them all (the failure, in memory).
GIVE_UP = 2 * AT_MOST


def test_a_client_not_reading_iopub_leaves_the_backlog_with_the_kernel() -> None:
    info = new_connection_info()
    session = Session(info.key_bytes)
    ctx = zmq.Context()
    iopub = ctx.socket(zmq.XPUB)
    iopub.setsockopt(zmq.XPUB_NODROP, 1)
    iopub.setsockopt(zmq.SNDHWM, 1)
    # How long a full queue must stay full to count as full: zmq moves what it can in
    # far less, and a slower machine only makes the count smaller.
    iopub.setsockopt(zmq.SNDTIMEO, 2000)
    iopub.bind(info.url("iopub"))
    frames = session.serialize(session.msg("stream", {"name": "stdout", "text": "x" * MESSAGE}))

    async def main() -> int:
        client = AsyncKernelClient(info)
        await client.start_channels()
        try:
            await asyncio.to_thread(iopub.recv)  # the client's subscription
            # The event loop is held here, so the client reads nothing: everything sent
            # is queued somewhere. The send blocks (NODROP) once every queue is full.
            sent = 0
            with contextlib.suppress(zmq.Again):
                while sent < GIVE_UP:
                    iopub.send_multipart(frames)
                    sent += 1
            return sent
        finally:
            await client.stop_channels()

    try:
        sent = asyncio.run(main())
    finally:
        iopub.close(0)
        ctx.term()
    print(f"a client reading nothing took in {sent} messages of 1 MiB")
    assert 0 < sent <= AT_MOST
