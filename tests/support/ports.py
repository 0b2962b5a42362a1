"""The one place that picks free ports before a process binds them.

Racy by nature: the port is free when picked, and another process may take it before
ours binds it. Servers therefore start on --port=0 and report the port they got
(tests.support.servers). What is left cannot do that:
- a kernel's connection file names its five ports before the kernel starts, and the
  client connects to those;
- nginx's config names the port it listens on, and nginx reports no port it picked.
"""

from __future__ import annotations

import socket


def free_ports(count: int) -> list[int]:
    """`count` distinct loopback ports that were free a moment ago."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))  # all held at once, so the ports differ
        return [int(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def free_port() -> int:
    return free_ports(1)[0]
