from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from carnet.connection_files import (
    find_connection_file,
    read_connection_file,
    write_connection_file,
)
from carnet.errors import ConnectionFileError, KernelNotFound
from carnet.protocol.connection_file import ConnectionInfo, kernel_id_of


def info(**kw: object) -> ConnectionInfo:
    base: dict[str, object] = dict(
        shell_port=1001,
        iopub_port=1002,
        stdin_port=1003,
        control_port=1004,
        hb_port=1005,
        key="abc",
    )
    base.update(kw)
    return ConnectionInfo.from_dict(base)


def test_written_private_and_readable_by_jupyter_client(tmp_path: Path) -> None:
    path = write_connection_file(info(kernel_name="python3"), tmp_path / "kernel-x.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    from jupyter_client.connect import ConnectionFileMixin  # interop proof

    loader = ConnectionFileMixin(connection_file=str(path))
    loader.load_connection_file()
    assert loader.shell_port == 1001
    assert loader.session.key == b"abc"
    assert loader.ip == "127.0.0.1"
    assert loader.transport == "tcp"
    assert read_connection_file(path) == info(kernel_name="python3")


def test_urls_for_tcp_ipv6_and_ipc() -> None:
    assert info().url("shell") == "tcp://127.0.0.1:1001"
    assert info(ip="::1").url("hb") == "tcp://[::1]:1005"
    assert info(transport="ipc", ip="/tmp/k").url("iopub") == "ipc:///tmp/k-1002"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"shell_port": 1}, "missing"),
        (
            dict(shell_port="x", iopub_port=1, stdin_port=1, control_port=1, hb_port=1),
            "integers",
        ),
        (
            dict(
                shell_port=1, iopub_port=1, stdin_port=1, control_port=1, hb_port=1, transport="udp"
            ),
            "transport",
        ),
    ],
)
def test_bad_connection_info(data: dict[str, object], message: str) -> None:
    with pytest.raises(ConnectionFileError, match=message):
        ConnectionInfo.from_dict(data)


def test_unreadable_files_name_the_path(tmp_path: Path) -> None:
    bad = tmp_path / "kernel-bad.json"
    bad.write_text("{nope")
    with pytest.raises(ConnectionFileError, match=r"kernel-bad\.json"):
        read_connection_file(bad)
    with pytest.raises(ConnectionFileError, match="no such"):
        read_connection_file(tmp_path / "missing.json")


def make_kernels(runtime: Path, ids: list[str]) -> None:
    for n, kid in enumerate(ids):
        path = write_connection_file(info(), runtime / f"kernel-{kid}.json")
        stamp = time.time() - 100 + n  # later ids are more recent
        os.utime(path, (stamp, stamp))


def test_find_by_every_form(tmp_path: Path) -> None:
    ids = ["87f7d2c0-1111", "87f7aaaa-2222", "c0ffee00-3333"]
    make_kernels(tmp_path, ids)
    expect = {kid: tmp_path / f"kernel-{kid}.json" for kid in ids}
    assert find_connection_file(None, tmp_path) == expect["c0ffee00-3333"]
    assert find_connection_file(str(expect["87f7aaaa-2222"]), tmp_path) == expect["87f7aaaa-2222"]
    assert find_connection_file("kernel-87f7d2c0-1111.json", tmp_path) == expect["87f7d2c0-1111"]
    assert find_connection_file("87f7d2c0-1111", tmp_path) == expect["87f7d2c0-1111"]
    assert find_connection_file("87f7d2", tmp_path) == expect["87f7d2c0-1111"]
    assert find_connection_file("c0f", tmp_path) == expect["c0ffee00-3333"]
    assert kernel_id_of(expect["c0ffee00-3333"]) == "c0ffee00-3333"


def test_ambiguous_and_missing_list_candidates(tmp_path: Path) -> None:
    make_kernels(tmp_path, ["87f7d2c0-1111", "87f7aaaa-2222"])
    with pytest.raises(KernelNotFound, match="ambiguous") as amb:
        find_connection_file("87f7", tmp_path)
    assert sorted(amb.value.candidates) == ["87f7aaaa-2222", "87f7d2c0-1111"]
    assert "87f7aaaa-2222" in str(amb.value)
    with pytest.raises(KernelNotFound, match="no kernel matches") as missing:
        find_connection_file("ffff", tmp_path)
    assert "87f7d2c0-1111" in str(missing.value)
    with pytest.raises(KernelNotFound, match="no running kernel"):
        find_connection_file(None, tmp_path / "empty")


def test_json_shape_is_jupyters(tmp_path: Path) -> None:
    path = write_connection_file(info(), tmp_path / "kernel-1.json")
    data = json.loads(path.read_text())
    assert set(data) == {
        "shell_port",
        "iopub_port",
        "stdin_port",
        "control_port",
        "hb_port",
        "ip",
        "key",
        "transport",
        "signature_scheme",
        "kernel_name",
    }
