"""Which addresses and host names are local: for the DNS rebinding check and for refusing
to serve without authentication on the network."""

from __future__ import annotations

import ipaddress
import socket


def is_loopback_ip(text: str) -> bool:
    """Whether the text is a literal loopback IP address (127.0.0.0/8, ::1, ::ffff:127.x)."""
    try:
        address = ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def listens_on_loopback_only(ip: str) -> bool:
    """Whether the configured listening address reaches loopback interfaces only."""
    if ip in ("", "*", "0.0.0.0", "::"):
        return False
    if is_loopback_ip(ip):
        return True
    try:
        infos = socket.getaddrinfo(ip, None, socket.AF_UNSPEC, socket.SOCK_STREAM)
    except socket.gaierror:
        return False  # binding will report it; do not call it local
    return bool(infos) and all(is_loopback_ip(str(info[4][0])) for info in infos)


def split_host(host_header: str) -> str:
    """The host name of a Host header value, lower-cased, without port or brackets."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host[1:]
    if host.count(":") == 1:
        host = host.partition(":")[0]
    return host.rstrip(".")


def is_local_host(host_header: str, local_hostnames: tuple[str, ...]) -> bool:
    """Whether a Host header names this machine (a loopback IP or a configured local name)."""
    host = split_host(host_header)
    if not host:
        return False
    return is_loopback_ip(host) or host in {name.lower() for name in local_hostnames}
