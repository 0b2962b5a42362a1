"""Where a new kernel listens: free TCP ports on loopback, or fresh ipc paths.

Ports are found by binding to them and releasing them, so another process may
take one before the kernel binds it; Jupyter accepts the same small race. A
port range lets firewalls open only that range.
"""

from __future__ import annotations

import os
import random
import secrets
import socket
from pathlib import Path

from carnet.errors import KernelStartError
from carnet.protocol.connection_file import CHANNELS, ConnectionInfo

PortRange = tuple[int, int]


def _bind(ip: str, port: int) -> socket.socket | None:
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.bind((ip, port))
    except OSError:
        sock.close()
        return None
    return sock


def free_tcp_ports(
    count: int, ip: str = "127.0.0.1", port_range: PortRange | None = None
) -> list[int]:
    """`count` distinct ports on `ip` that nothing listens on right now."""
    held: list[socket.socket] = []
    try:
        if port_range is None:
            for _ in range(count):
                sock = _bind(ip, 0)
                if sock is None:
                    raise KernelStartError(f"cannot bind a free port on {ip}")
                held.append(sock)
        else:
            low, high = port_range
            if not 0 < low <= high <= 65535:
                raise KernelStartError(f"invalid port range {low}-{high}")
            candidates = list(range(low, high + 1))
            random.shuffle(candidates)
            for port in candidates:
                sock = _bind(ip, port)
                if sock is not None:
                    held.append(sock)
                if len(held) == count:
                    break
            if len(held) < count:
                raise KernelStartError(
                    f"only {len(held)} of {count} ports free in range {low}-{high} on {ip}"
                )
        return [int(sock.getsockname()[1]) for sock in held]
    finally:
        for sock in held:
            sock.close()


def free_ipc_endpoints(count: int, ip: str) -> list[int]:
    """Numbers n such that the ipc socket path `<ip>-<n>` does not exist yet."""
    found: list[int] = []
    n = 1
    while len(found) < count:
        if not os.path.exists(f"{ip}-{n}"):
            found.append(n)
        n += 1
    return found


def ipc_paths(info: ConnectionInfo) -> list[Path]:
    """The socket files of an ipc kernel, to remove when it is gone."""
    if info.transport != "ipc":
        return []
    return [Path(f"{info.ip}-{info.port(channel)}") for channel in CHANNELS]


def new_connection_info(
    *,
    ip: str = "127.0.0.1",
    transport: str = "tcp",
    port_range: PortRange | None = None,
    kernel_name: str = "",
    signature_scheme: str = "hmac-sha256",
) -> ConnectionInfo:
    """Connection info with fresh endpoints and a random signing key."""
    if transport == "tcp":
        ports = free_tcp_ports(len(CHANNELS), ip, port_range)
    elif transport == "ipc":
        Path(ip).parent.mkdir(parents=True, exist_ok=True)
        ports = free_ipc_endpoints(len(CHANNELS), ip)
    else:
        raise KernelStartError(f"transport must be tcp or ipc, not {transport!r}")
    by_channel = {f"{channel}_port": port for channel, port in zip(CHANNELS, ports, strict=True)}
    return ConnectionInfo(
        **by_channel,
        key=secrets.token_hex(32),
        ip=ip,
        transport=transport,
        signature_scheme=signature_scheme,
        kernel_name=kernel_name,
    )
