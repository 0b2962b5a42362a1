"""The smallest real kernel: kernel_info, shutdown and heartbeat, nothing else.

It speaks the real protocol over real sockets (carnet.protocol + pyzmq), so a
manager test that starts it 100 times tests the manager, not a mock. Extra
arguments: `crash` exits at once with a message on stderr; `mute` never
answers (for start timeouts); `drop-first` ignores its first kernel_info_request, as if it
had been lost on the way; `deaf-first-connection` ignores what comes over its client's
first shell connection, and answers only once that client connects again.
"""

from __future__ import annotations

import sys

import zmq
import zmq.utils.monitor

from carnet.connection_files import read_connection_file
from carnet.errors import ProtocolError
from carnet.protocol import Session


def main() -> None:
    info = read_connection_file(sys.argv[1])
    mode = sys.argv[2] if len(sys.argv) > 2 else ""
    if mode == "crash":
        sys.exit("tiny kernel: crashing on purpose")
    if mode == "mute":
        print("tiny kernel: muted, will not answer", file=sys.stderr, flush=True)
    ctx = zmq.Context()
    session = Session(info.key_bytes, info.signature_scheme)
    sockets = {}
    for channel, kind in (
        ("shell", zmq.ROUTER),
        ("control", zmq.ROUTER),
        ("iopub", zmq.PUB),
        ("stdin", zmq.ROUTER),
        ("hb", zmq.REP),
    ):
        sock = ctx.socket(kind)
        sock.linger = 0
        if kind == zmq.ROUTER:
            sock.router_handover = 1  # as Carnet's kernel: a reconnected client takes over
        sock.bind(info.url(channel))
        sockets[channel] = sock
    poller = zmq.Poller()
    for channel in ("shell", "control", "hb"):
        poller.register(sockets[channel], zmq.POLLIN)
    monitor = sockets["shell"].get_monitor_socket(zmq.EVENT_ACCEPTED)
    poller.register(monitor, zmq.POLLIN)
    dropped = False
    connections = 0
    while True:
        for sock, _ in poller.poll():
            if sock is sockets["hb"]:
                sock.send(sock.recv())
                continue
            if sock is monitor:
                zmq.utils.monitor.recv_monitor_message(monitor)
                connections += 1
                continue
            try:
                request = session.deserialize(sock.recv_multipart())
            except ProtocolError as exc:
                # As a real kernel does. Tests run in parallel: a client whose kernel died
                # keeps reconnecting to its port, which this kernel may have been given.
                print(f"tiny kernel: dropped a message: {exc}", file=sys.stderr, flush=True)
                continue
            if mode == "mute" or (mode == "deaf-first-connection" and connections < 2):
                continue
            if mode == "drop-first" and not dropped and request.msg_type == "kernel_info_request":
                dropped = True
                continue
            publish = sockets["iopub"]
            publish.send_multipart(
                session.serialize(session.msg("status", {"execution_state": "busy"}, request))
            )
            if request.msg_type == "kernel_info_request":
                content = {
                    "status": "ok",
                    "protocol_version": "5.3",
                    "implementation": "tiny",
                    "implementation_version": "0",
                    "banner": "tiny",
                    "language_info": {"name": "none"},
                }
                sock.send_multipart(
                    session.serialize(session.reply(request, "kernel_info_reply", content))
                )
            elif request.msg_type == "shutdown_request":
                content = {"status": "ok", "restart": request.content.get("restart", False)}
                sock.send_multipart(
                    session.serialize(session.reply(request, "shutdown_reply", content))
                )
                ctx.destroy(linger=0)
                return
            publish.send_multipart(
                session.serialize(session.msg("status", {"execution_state": "idle"}, request))
            )


if __name__ == "__main__":
    main()
