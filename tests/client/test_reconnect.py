"""A client started before its kernel binds reaches it on a quick retry.

A kernel just launched binds its ports a few tens of ms after the client
connected; with zmq's default interval (100 ms plus jitter) its first reply
waited for the next attempt. Carnet's client retries after 10 ms, doubling
up to zmq's usual 100 ms, so a dead kernel is not knocked on more often.
"""

from __future__ import annotations

import asyncio

import zmq

from carnet.client.channels import _SOCKET_TYPES, KernelChannels
from carnet.client.ports import new_connection_info
from carnet.protocol import Session


def test_a_kernel_that_binds_late_gets_the_request() -> None:
    info = new_connection_info()
    session = Session(info.key_bytes)
    ctx = zmq.Context()
    shell = ctx.socket(zmq.ROUTER)

    async def main() -> None:
        channels = KernelChannels(info)
        await channels.start_channels()
        try:
            for channel in _SOCKET_TYPES:
                sock = channels._sockets[channel]
                assert sock.getsockopt(zmq.RECONNECT_IVL) == 10
                assert sock.getsockopt(zmq.RECONNECT_IVL_MAX) == 100
            pending = channels.send_request("shell", "kernel_info_request")
            shell.bind(info.url("shell"))  # the kernel comes up after the client
            request = session.deserialize(await asyncio.to_thread(shell.recv_multipart))
            assert request.msg_id == pending.msg_id
            reply = session.reply(request, "kernel_info_reply", {"status": "ok"})
            shell.send_multipart(session.serialize(reply))
            answer = await asyncio.wait_for(pending.reply, 10)
            assert answer.content == {"status": "ok"}
        finally:
            await channels.stop_channels()

    try:
        asyncio.run(main())
    finally:
        shell.close(0)
        ctx.term()
