"""Packed handlers get a kernel's message as it was written; decoded handlers get it read.

How the server relays output (on_packed): the parts must be the kernel's bytes, not a
re-encoding, and the content must not be needed to pass a message on. The peer is a
kernel made of real zmq sockets, writing JSON as other kernels may (other spacing,
escaped non-ASCII).
"""

from __future__ import annotations

import asyncio
import logging

import pytest
import zmq

from carnet.client.client import AsyncKernelClient
from carnet.client.ports import new_connection_info
from carnet.protocol import Message, PackedMessage, Session
from carnet.protocol.messages import pack


def test_packed_handlers_get_the_kernels_bytes(caplog: pytest.LogCaptureFixture) -> None:
    info = new_connection_info()
    kernel = Session(info.key_bytes)
    ctx = zmq.Context()
    iopub = ctx.socket(zmq.PUB)
    iopub.bind(info.url("iopub"))
    spaced = b'{ "name" : "stdout", "text": "\\u00e9 x" }'
    broken = b'{"name": "stdout", "text": '  # signed, but not JSON

    def frames(content: bytes) -> list[bytes]:
        header = kernel.header("stream")
        parts = [pack(header), pack({"msg_id": "request"}), b"{}", content]
        return [b"kernel.stream", b"<IDS|MSG>", kernel.signer.sign(parts), *parts]

    async def main() -> tuple[list[PackedMessage], list[Message]]:
        client = AsyncKernelClient(info)
        packed: list[PackedMessage] = []
        decoded: list[Message] = []
        client.on_packed("iopub", packed.append)
        client.on_iopub(decoded.append)
        await client.start_channels()
        try:
            # SUB connects lazily: publish until the first message gets through.
            for _ in range(250):
                iopub.send_multipart(frames(spaced))
                await asyncio.sleep(0.02)
                if packed:
                    break
            iopub.send_multipart(frames(broken))
            for _ in range(250):
                if packed[-1].parts[3] == broken:
                    break
                await asyncio.sleep(0.02)
        finally:
            await client.stop_channels()
        return packed, decoded

    with caplog.at_level(logging.WARNING, logger="carnet.client"):
        packed, decoded = asyncio.run(main())
    iopub.close(0)
    ctx.term()
    assert packed[0].parts[3] == spaced
    assert packed[0].parent_msg_id == "request" and packed[0].msg_type == "stream"
    assert packed[-1].parts[3] == broken
    # Decoded handlers get the same messages read, and never the one that cannot be.
    assert decoded and {m.content["text"] for m in decoded} == {"é x"}
    assert len(decoded) == len(packed) - 1
    assert any("not valid JSON" in r.getMessage() for r in caplog.records)
