"""Which addresses the server listens on, and how a taken port is handled."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from carnet.errors import ConfigError
from carnet.server import binding
from carnet.server.config.settings import ServerSettings


def test_star_and_empty_mean_every_ipv4_and_ipv6_interface() -> None:
    for ip in ("", "*"):
        pairs = binding._addresses(ip)
        assert (socket.AF_INET, "0.0.0.0") in pairs
        if socket.has_ipv6:
            assert (socket.AF_INET6, "::") in pairs


def test_unresolvable_ip_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cannot resolve"):
        binding._addresses("no-such-host.invalid")


def test_port_zero_binds_one_port_for_all_addresses(tmp_path: Path) -> None:
    settings = ServerSettings(root_dir=tmp_path, token="t", ip="127.0.0.1", port=0)
    bound = binding.bind(settings)
    try:
        assert bound.port > 0
        assert [s.getsockname()[1] for s in bound.sockets] == [bound.port]
    finally:
        for sock in bound.sockets:
            sock.close()


def test_taken_port_moves_on_or_fails(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        retry = ServerSettings(root_dir=tmp_path, token="t", ip="127.0.0.1", port=port)
        bound = binding.bind(retry.with_changes(port_retries=3))
        for sock in bound.sockets:
            sock.close()
        assert port < bound.port <= port + 3
        with pytest.raises(binding.PortsTaken, match=f"port {port} is already in use"):
            binding.bind(retry.with_changes(port_retries=0))


def test_unix_socket_gets_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "server.sock"
    settings = ServerSettings(root_dir=tmp_path, token="t", sock=str(path), sock_mode=0o600)
    bound = binding.bind(settings)
    try:
        assert path.stat().st_mode & 0o777 == 0o600
        with pytest.raises(ConfigError, match="already exists"):
            binding.bind(settings)
    finally:
        for sock in bound.sockets:
            sock.close()
