"""Messages from a kernel with a bad signature are logged and dropped.

The peer here is a hostile kernel: real zmq sockets that sign with a wrong key.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
import zmq

from carnet.client.client import AsyncKernelClient
from carnet.client.ports import new_connection_info
from carnet.protocol import Message, Session


def test_forged_replies_and_iopub_are_dropped(caplog: pytest.LogCaptureFixture) -> None:
    info = new_connection_info()
    good = Session(info.key_bytes)
    forger = Session(b"not-the-key")
    ctx = zmq.Context()
    shell = ctx.socket(zmq.ROUTER)
    iopub = ctx.socket(zmq.PUB)
    shell.bind(info.url("shell"))
    iopub.bind(info.url("iopub"))

    async def main() -> None:
        client = AsyncKernelClient(info)
        seen: list[Message] = []
        client.on_iopub(seen.append)
        await client.start_channels()
        try:
            pending = client.send_request("shell", "kernel_info_request")
            frames = await asyncio.to_thread(shell.recv_multipart)
            request = good.deserialize(frames)
            for session in (forger, good):
                reply = session.reply(request, "kernel_info_reply", {"status": "ok"})
                shell.send_multipart(session.serialize(reply))
            answer = await client.wait_reply(pending, timeout=5)
            assert answer.content == {"status": "ok"}

            # SUB connects lazily: publish until the good message gets through.
            for _ in range(250):
                for session, text in ((forger, "forged"), (good, "genuine")):
                    msg = session.msg("stream", {"name": "stdout", "text": text})
                    iopub.send_multipart(session.serialize(msg))
                await asyncio.sleep(0.02)
                if seen:
                    break
            assert {m.content["text"] for m in seen} == {"genuine"}
        finally:
            await client.stop_channels()

    with caplog.at_level(logging.WARNING, logger="carnet.client"):
        asyncio.run(main())
    shell.close(0)
    iopub.close(0)
    ctx.term()
    dropped = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert any("shell" in m for m in dropped) and any("iopub" in m for m in dropped)


def test_unawaited_replies_go_to_channel_handlers() -> None:
    """How the server forwards: send with expect_reply=False, get replies by channel."""
    info = new_connection_info()
    kernel = Session(info.key_bytes)
    ctx = zmq.Context()
    control = ctx.socket(zmq.ROUTER)
    control.bind(info.url("control"))

    async def main() -> None:
        client = AsyncKernelClient(info)
        on_control: list[Message] = []
        unmatched: list[Message] = []
        client.on_channel("control", on_control.append)
        client.on_unmatched_reply(unmatched.append)
        await client.start_channels()
        try:
            request = client.session.msg("interrupt_request", {})
            client.send_message("control", request, expect_reply=False)
            frames = await asyncio.to_thread(control.recv_multipart)
            received = kernel.deserialize(frames)
            assert received.msg_id == request.msg_id
            control.send_multipart(
                kernel.serialize(kernel.reply(received, "interrupt_reply", {"status": "ok"}))
            )
            for _ in range(250):
                if on_control:
                    break
                await asyncio.sleep(0.02)
            assert [m.parent_msg_id for m in on_control] == [request.msg_id]
            assert unmatched == on_control
        finally:
            await client.stop_channels()

    asyncio.run(main())
    control.close(0)
    ctx.term()
