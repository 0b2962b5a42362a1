"""Resolving the configured options into server settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from carnet.errors import ConfigError
from carnet.server.config.resolve import settings_from_argv


@pytest.fixture(autouse=True)
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE", "JUPYTER_PORT", "JUPYTER_CONFIG_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)


def test_token_is_generated_unless_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = settings_from_argv([]), settings_from_argv([])
    assert first.token_generated
    assert len(first.token) == 48
    assert first.token != second.token
    assert settings_from_argv(["--NotebookApp.token=mine"]).token == "mine"
    monkeypatch.setenv("JUPYTER_TOKEN", "from-env")
    assert settings_from_argv([]).token == "from-env"
    assert settings_from_argv(["--token=cli"]).token == "cli"


def test_token_file_and_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "token.txt").write_text("filed\n")
    monkeypatch.setenv("JUPYTER_TOKEN_FILE", str(tmp_path / "token.txt"))
    assert settings_from_argv([]).token == "filed"
    monkeypatch.delenv("JUPYTER_TOKEN_FILE")
    with_password = settings_from_argv(["--NotebookApp.password=sha1:ab:cd"])
    assert with_password.token == ""
    assert with_password.auth_enabled


def test_auth_is_off_only_with_both_empty() -> None:
    assert not settings_from_argv(["--NotebookApp.token="]).auth_enabled
    assert settings_from_argv(["--NotebookApp.token=x"]).auth_enabled


def test_base_url_ip_and_port(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings_from_argv(["--NotebookApp.base_url=a/b"]).base_url == "/a/b/"
    assert settings_from_argv(["--NotebookApp.base_url=/"]).base_url == "/"
    assert settings_from_argv(["--ip=*"]).ip == ""
    monkeypatch.setenv("JUPYTER_PORT", "9123")
    assert settings_from_argv([]).port == 9123
    assert settings_from_argv(["--port=9000"]).port == 9000


def test_path_argument(tmp_path: Path) -> None:
    sub = tmp_path / "work"
    sub.mkdir()
    (sub / "a.ipynb").write_text("{}")
    as_dir = settings_from_argv([str(sub)])
    assert (as_dir.root_dir, as_dir.file_to_run) == (sub.resolve(), "")
    as_file = settings_from_argv([str(sub / "a.ipynb")])
    assert (as_file.root_dir, as_file.file_to_run) == (sub.resolve(), "a.ipynb")
    inside_root = settings_from_argv([f"--notebook-dir={tmp_path}", "work/a.ipynb"])
    assert (inside_root.root_dir, inside_root.file_to_run) == (tmp_path.resolve(), "work/a.ipynb")


def test_headers_merge_and_reject_line_breaks() -> None:
    settings = settings_from_argv(
        [
            "--NotebookApp.tornado_settings={'headers': {'A': '1', 'B': '2'}}",
            "--NotebookApp.headers={'B': 'native'}",
        ]
    )
    assert settings.headers == {"A": "1", "B": "native"}
    with pytest.raises(ConfigError, match="line break"):
        settings_from_argv(["--NotebookApp.headers={'A': 'x\\r\\nSet-Cookie: y'}"])


def test_cull_options_from_the_kernel_manager_section(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "jupyter_notebook_config.py").write_text(
        "c.MappingKernelManager.cull_idle_timeout = 600\n"
        "c.MappingKernelManager.cull_busy = True\n"
        "c.NotebookApp.cull_busy = False\n"
        "c.FileContentsManager.allow_hidden = True\n"
    )
    settings = settings_from_argv([])
    assert settings.cull_idle_timeout == 600
    assert settings.cull_busy is False
    assert settings.allow_hidden is True
    assert settings.config.MappingKernelManager.cull_idle_timeout == 600


def test_tls_files_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="certfile"):
        settings_from_argv([f"--certfile={tmp_path / 'missing.pem'}"])
    (tmp_path / "key.pem").write_text("x")
    with pytest.raises(ConfigError, match="certfile is not"):
        settings_from_argv([f"--keyfile={tmp_path / 'key.pem'}"])


def test_every_declared_option_is_a_setting_with_the_declared_default() -> None:
    import dataclasses

    from carnet.server.config.options import ContentsManager, MappingKernelManager, ServerOptions
    from carnet.server.config.settings import NOT_SETTINGS, ServerSettings

    defaults = ServerSettings(root_dir=Path("/"), token="t")
    names = {f.name for f in dataclasses.fields(defaults)}
    resolved_elsewhere = {"token", "sock_mode", "local_hostnames"}
    for cls in (ServerOptions, ContentsManager, MappingKernelManager):
        for name, trait in cls.class_traits(config=True).items():
            if name in NOT_SETTINGS:
                assert name not in names
                continue
            assert name in names, name
            if name not in resolved_elsewhere and cls is not MappingKernelManager:
                assert getattr(defaults, name) == trait.default(), name
    assert defaults.local_hostnames == ("localhost",)
    assert defaults.sock_mode == 0o600


def test_settings_carry_each_sections_options() -> None:
    settings = settings_from_argv(
        [
            "--MappingKernelManager.kernel_info_timeout=7",
            "--show-hidden",
            "--NotebookApp.local_hostnames=a",
            "--NotebookApp.local_hostnames=b",
            "--NotebookApp.iopub_msg_rate_limit=5",
        ]
    )
    assert settings.kernel_info_timeout == 7.0
    assert settings.allow_hidden is True
    assert settings.local_hostnames == ("a", "b")
    assert settings.iopub_msg_rate_limit == 5.0


def test_the_config_modules_import_each_other_one_way() -> None:
    import subprocess
    import sys

    code = (
        "import sys, carnet.server.config.generate, carnet.server.config.settings\n"
        "print(sorted(m for m in sys.modules if m.startswith('carnet.server.config.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert "application" not in out and "load" not in out, out
