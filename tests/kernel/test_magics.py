"""%connect_info's text: attach by kernel id in the runtime directory, else by path."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.connection_files import write_connection_file
from carnet.kernel.magics import connect_info_text
from carnet.protocol.connection_file import ConnectionInfo


def test_kernel_in_runtime_dir_is_named_by_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    path = write_connection_file(
        ConnectionInfo(1, 2, 3, 4, 5, key="k"), tmp_path / "kernel-ab12.json"
    )
    text = connect_info_text(path)
    assert '"shell_port": 1' in text
    assert "carnet console --existing ab12\n" in text


def test_kernel_elsewhere_is_named_by_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    path = write_connection_file(ConnectionInfo(1, 2, 3, 4, 5, key="k"), tmp_path / "conn.json")
    assert f"carnet console --existing {path}\n" in connect_info_text(path)


def test_unreadable_file_is_explained(tmp_path: Path) -> None:
    missing = tmp_path / "gone.json"
    assert f"Cannot read the connection file {missing}" in connect_info_text(missing)
