"""Carnet resolves Jupyter's directories exactly as jupyter_core does."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet import paths


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in (
        "JUPYTER_DATA_DIR",
        "JUPYTER_RUNTIME_DIR",
        "JUPYTER_CONFIG_DIR",
        "JUPYTER_PATH",
        "JUPYTER_CONFIG_PATH",
        "XDG_DATA_HOME",
        "JUPYTER_PREFER_ENV_PATH",
        "JUPYTER_PLATFORM_DIRS",
        "XDG_RUNTIME_DIR",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def test_defaults_match_jupyter_core(clean_env: Path) -> None:
    import jupyter_core.paths as jp

    assert paths.data_dir() == Path(jp.jupyter_data_dir())
    assert paths.runtime_dir() == Path(jp.jupyter_runtime_dir())
    assert paths.config_dir() == Path(jp.jupyter_config_dir())
    assert paths.jupyter_path("kernels") == [Path(p) for p in jp.jupyter_path("kernels")]
    assert paths.config_path() == [Path(p) for p in jp.jupyter_config_path()]


def test_environment_overrides_match_jupyter_core(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jupyter_core.paths as jp

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(clean_env / "d"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(clean_env / "r"))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(clean_env / "c"))
    monkeypatch.setenv("JUPYTER_PATH", f"{clean_env / 'p1'}:{clean_env / 'p2'}")
    monkeypatch.setenv("JUPYTER_PREFER_ENV_PATH", "1")
    assert paths.data_dir() == Path(jp.jupyter_data_dir()) == clean_env / "d"
    assert paths.runtime_dir() == Path(jp.jupyter_runtime_dir()) == clean_env / "r"
    assert paths.config_dir() == Path(jp.jupyter_config_dir()) == clean_env / "c"
    assert paths.jupyter_path("kernels") == [Path(p) for p in jp.jupyter_path("kernels")]
    assert paths.config_path() == [Path(p) for p in jp.jupyter_config_path()]
