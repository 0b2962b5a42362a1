"""Listening sockets: the configured address and port, the next ports when it is taken.

Binding before the web server starts lets the server know its real port (for the
URLs, the info file and the cookie name) and try `port_retries` further ports.
"""

from __future__ import annotations

import errno
import os
import socket
from dataclasses import dataclass

from carnet.errors import ConfigError
from carnet.server import logs
from carnet.server.config.settings import ServerSettings

_BACKLOG = 128


@dataclass
class Bound:
    sockets: list[socket.socket]
    port: int


class PortsTaken(ConfigError):
    """No port in the allowed range was free."""


def bind(settings: ServerSettings) -> Bound:
    """Listening sockets for the settings' address, or ConfigError."""
    if settings.sock:
        return Bound([_bind_unix(settings.sock, settings.sock_mode)], 0)
    addresses = _addresses(settings.ip)
    if settings.port == 0:
        return _bind_all(addresses, 0)
    log = logs.server_log()
    for port in range(settings.port, settings.port + settings.port_retries + 1):
        try:
            return _bind_all(addresses, port)
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise ConfigError(f"cannot listen on {settings.ip or '*'}:{port}: {exc}") from None
            if settings.port_retries:
                log.info("The port %d is already in use, trying another port.", port)
    raise PortsTaken(
        f"The port {settings.port} is already in use and port_retries={settings.port_retries} "
        "found no free port after it; try --port"
    )


def _addresses(ip: str) -> list[tuple[socket.AddressFamily, str]]:
    """(family, address) pairs to listen on: '' means every IPv4 and IPv6 interface."""
    if ip in ("", "*"):
        pairs = [(socket.AF_INET, "0.0.0.0")]
        if socket.has_ipv6:
            pairs.append((socket.AF_INET6, "::"))
        return pairs
    try:
        infos = socket.getaddrinfo(ip, None, socket.AF_UNSPEC, socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise ConfigError(f"NotebookApp.ip: cannot resolve {ip!r}: {exc.strerror}") from None
    seen: list[tuple[socket.AddressFamily, str]] = []
    for family, _, _, _, sockaddr in infos:
        pair = (family, str(sockaddr[0]))
        if family in (socket.AF_INET, socket.AF_INET6) and pair not in seen:
            seen.append(pair)
    return seen


def _bind_all(addresses: list[tuple[socket.AddressFamily, str]], port: int) -> Bound:
    bound: list[socket.socket] = []
    try:
        for family, address in addresses:
            sock = _bind_one(family, address, port)
            if sock is None:
                continue
            bound.append(sock)
            port = port or sock.getsockname()[1]  # port 0: the rest use the one picked
    except OSError:
        for sock in bound:
            sock.close()
        raise
    if not bound:
        raise ConfigError(f"no usable address among {[a for _, a in addresses]}")
    return Bound(bound, port)


def _bind_one(family: socket.AddressFamily, address: str, port: int) -> socket.socket | None:
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            # One socket per family, so '::' must not also claim IPv4.
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind((address, port))
        sock.listen(_BACKLOG)
    except OSError as exc:
        sock.close()
        # An IPv6 address on a host without IPv6 is skipped, not fatal.
        if family == socket.AF_INET6 and exc.errno in (errno.EADDRNOTAVAIL, errno.EAFNOSUPPORT):
            return None
        raise
    sock.setblocking(False)
    return sock


def _bind_unix(path: str, mode: int) -> socket.socket:
    if os.path.exists(path):
        raise ConfigError(f"NotebookApp.sock: {path} already exists")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.bind(path)
        os.chmod(path, mode)
        sock.listen(_BACKLOG)
    except OSError as exc:
        sock.close()
        raise ConfigError(f"NotebookApp.sock: cannot listen on {path}: {exc}") from None
    sock.setblocking(False)
    return sock
