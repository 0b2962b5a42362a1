"""Binding the kernel's five sockets from a ConnectionInfo (tcp or ipc)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import zmq

from carnet.protocol.connection_file import ConnectionInfo


@dataclass
class Sockets:
    shell: zmq.Socket[bytes]
    control: zmq.Socket[bytes]
    stdin: zmq.Socket[bytes]
    iopub: zmq.Socket[bytes]
    hb: zmq.Socket[bytes]


_KINDS = {
    "shell": zmq.ROUTER,
    "control": zmq.ROUTER,
    "stdin": zmq.ROUTER,
    "iopub": zmq.XPUB,
    "hb": zmq.ROUTER,
}


def _bind(socket: zmq.Socket[bytes], info: ConnectionInfo, channel: str) -> int:
    port = info.port(channel)
    if info.transport == "ipc":
        if port <= 0:
            # Pick the first free ipc "port": a path that does not exist yet.
            port = 1
            while Path(f"{info.ip}-{port}").exists():
                port += 1
        socket.bind(f"ipc://{info.ip}-{port}")
        return port
    host = f"[{info.ip}]" if ":" in info.ip else info.ip
    if port <= 0:
        return socket.bind_to_random_port(f"tcp://{host}")
    socket.bind(f"tcp://{host}:{port}")
    return port


def bind_sockets(
    context: zmq.Context[zmq.Socket[bytes]], info: ConnectionInfo, connection_file: Path | None
) -> tuple[Sockets, ConnectionInfo]:
    """Bind every channel; ports given as 0 are chosen now and written back to the file."""
    made: dict[str, zmq.Socket[bytes]] = {}
    ports: dict[str, int] = {}
    try:
        for channel, kind in _KINDS.items():
            socket = context.socket(kind)
            made[channel] = socket
            socket.linger = 1000
            if kind == zmq.ROUTER:
                # A client that reconnects with the same identity takes its route over.
                socket.router_handover = 1
            if channel == "stdin":
                # An input_request to a client whose stdin socket has not connected yet
                # fails (EHOSTUNREACH) instead of vanishing, so it can be sent again.
                socket.router_mandatory = 1
            if kind == zmq.XPUB:
                # Every subscription (not only the first per topic) gets an iopub_welcome.
                socket.setsockopt(zmq.XPUB_VERBOSE, 1)
            ports[f"{channel}_port"] = _bind(socket, info, channel)
    except BaseException:
        for socket in made.values():
            socket.close(linger=0)
        raise
    bound: ConnectionInfo = dataclasses.replace(info, **ports)  # type: ignore[arg-type]
    if connection_file is not None and bound != info:
        from carnet.connection_files import write_connection_file

        write_connection_file(bound, connection_file)
    return Sockets(**made), bound
