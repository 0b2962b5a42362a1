"""`carnet extension list | enable | disable`: both kinds of extension, written where the
classic notebook's tools write them, and clear errors for bad or unknown names."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.server.conftest import ServerDirs, launch
from tests.support.extensions import (
    env_with_site,
    install_frontend_examples,
    install_server_example,
)
from tests.support.servers import carnet_command


@pytest.fixture
def dirs(tmp_path: Path) -> ServerDirs:
    dirs = ServerDirs(tmp_path / "server")
    install_frontend_examples(dirs.data)
    return dirs


@pytest.fixture
def env(dirs: ServerDirs, tmp_path: Path) -> dict[str, str]:
    return env_with_site(dirs.env(), install_server_example(tmp_path / "site"))


def carnet(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        carnet_command("extension", *args), capture_output=True, text=True, env=env, timeout=60
    )


def test_enable_and_disable_a_server_extension(dirs: ServerDirs, env: dict[str, str]) -> None:
    config = dirs.config / "jupyter_notebook_config.json"
    config.write_text(json.dumps({"NotebookApp": {"port_retries": 3}}))
    enabled = carnet(env, "enable", "example_server")
    assert enabled.returncode == 0, enabled.stderr
    assert "enabled server extension example_server" in enabled.stdout
    data = json.loads(config.read_text())
    assert data["NotebookApp"] == {
        "port_retries": 3,
        "nbserver_extensions": {"example_server": True},
    }
    listed = carnet(env, "list")
    assert listed.returncode == 0, listed.stderr
    assert "example_server  enabled   carnet_example_server:ExampleServer" in listed.stdout
    assert "broken_server  disabled" in listed.stdout
    # The server loads what the command enabled.
    server = launch(dirs, env=env)
    try:
        with server.client() as client:
            assert client.get("api/example/greeting").json()["greeting"] == "hello"
    finally:
        server.stop()
    assert carnet(env, "disable", "example_server").returncode == 0
    data = json.loads(config.read_text())
    assert data["NotebookApp"]["nbserver_extensions"] == {"example_server": False}
    assert "example_server  disabled" in carnet(env, "list").stdout


def test_enable_and_disable_a_front_end_extension(dirs: ServerDirs, env: dict[str, str]) -> None:
    enabled = carnet(env, "enable", "example/main")
    assert enabled.returncode == 0, enabled.stderr
    notebook = dirs.config / "nbconfig" / "notebook.json"
    assert json.loads(notebook.read_text()) == {"load_extensions": {"example/main": True}}
    assert carnet(env, "enable", "classic/main", "--section=tree").returncode == 0
    tree = dirs.config / "nbconfig" / "tree.json"
    assert json.loads(tree.read_text()) == {"load_extensions": {"classic/main": True}}
    listed = carnet(env, "list").stdout
    assert "notebook: example/main  enabled" in listed
    assert "tree: classic/main  enabled" in listed
    assert carnet(env, "disable", "example/main").returncode == 0
    assert json.loads(notebook.read_text()) == {"load_extensions": {"example/main": False}}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["enable", "nope"],
            "no server extension 'nope' is installed (installed Carnet extensions: "
            "broken_server, example_server)",
        ),
        (["enable", "jupyter_only_ext"], "'jupyter_only_ext' is a Jupyter Server extension"),
        (["enable", "bad name!"], "invalid server extension name 'bad name!'"),
        (["enable", "missing/main"], "no front-end extension 'missing/main'"),
        (["enable", "../../etc/main"], "invalid front-end extension '../../etc/main'"),
        (["enable", "example/main", "--section=bogus"], "unknown section 'bogus'"),
    ],
)
def test_bad_names_are_clear_errors(
    dirs: ServerDirs, env: dict[str, str], args: list[str], message: str
) -> None:
    result = carnet(env, *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (dirs.config / "jupyter_notebook_config.json").exists()
    assert not (dirs.config / "nbconfig").exists()


def test_usage(env: dict[str, str]) -> None:
    assert carnet(env).returncode == 2
    assert "carnet extension list" in carnet(env, "--help").stdout
    assert carnet(env, "frobnicate").returncode == 2


def test_a_broken_config_file_is_not_overwritten(dirs: ServerDirs, env: dict[str, str]) -> None:
    config = dirs.config / "jupyter_notebook_config.json"
    config.write_text("{not json")
    result = carnet(env, "enable", "example_server")
    assert result.returncode == 1
    assert "invalid JSON" in result.stderr
    assert config.read_text() == "{not json"
