"""Configuration through the real `carnet notebook` process: files, sections, command line."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import ServerDirs, StartServer, carnet_command


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def run_carnet(dirs: ServerDirs, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        carnet_command("notebook", *args),
        input=stdin,
        capture_output=True,
        text=True,
        env=dirs.env(),
        cwd=dirs.base,
        timeout=30,
    )


def test_json_beats_py_notebookapp_beats_serverapp_and_log_settings_apply(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    write(
        server_dirs.config / "jupyter_notebook_config.py",
        "c.NotebookApp.base_url = '/from-py/'\n"
        "c.NotebookApp.headers = {'X-Rule': 'py'}\n"
        "c.ServerApp.tornado_settings = {'headers': {'X-Section': 'ServerApp'}}\n"
        "c.NotebookApp.tornado_settings = {'headers': {'X-Section': 'NotebookApp'}}\n"
        "c.ServerApp.default_url = '/server-default'\n"
        "c.Application.log_level = 'DEBUG'\n"
        "c.Application.log_format = 'CUSTOM %(levelname)s | %(message)s'\n",
    )
    write(
        server_dirs.config / "jupyter_notebook_config.json",
        json.dumps({"NotebookApp": {"base_url": "/from-json/", "headers": {"X-Rule": "json"}}}),
    )
    server = start_server()
    assert server.info["base_url"] == "/from-json/"
    with server.client() as client:
        response = client.get("api/status")
        assert response.status_code == 200
        assert response.headers["x-rule"] == "json"
        assert response.headers["x-section"] == "NotebookApp"
        root = client.get("", follow_redirects=False)
        assert root.status_code == 302
        assert root.headers["location"] == "/from-json/server-default"
    output = server.output()
    assert "CUSTOM INFO | Serving notebooks from local directory" in output
    # DEBUG level: successful requests are logged.
    assert "CUSTOM DEBUG | 200 GET /from-json/api/status" in output


def test_command_line_beats_files_and_serverapp_section_alone_applies(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    write(
        server_dirs.config / "jupyter_notebook_config.json",
        json.dumps({"NotebookApp": {"base_url": "/from-json/"}}),
    )
    write(
        server_dirs.config / "jupyter_notebook_config.py",
        "c.ServerApp.headers = {'X-Only-Server': 'yes'}\nc.Application.log_level = 40\n",
    )
    server = start_server("--ServerApp.base_url=/from-cli/")
    assert server.info["base_url"] == "/from-cli/"
    with server.client() as client:
        assert client.get("api/status").headers["x-only-server"] == "yes"
    # Numeric log level 40 (ERROR): the INFO start-up lines are not logged.
    assert "Serving notebooks" not in server.output()


def test_config_option_file_beats_the_config_dir(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    write(server_dirs.config / "jupyter_notebook_config.py", "c.NotebookApp.base_url = '/a/'\n")
    extra = write(server_dirs.base / "elsewhere.py", "c.NotebookApp.base_url = '/b/'\n")
    server = start_server(f"--config={extra}")
    assert server.info["base_url"] == "/b/"


def test_serverapp_root_dir_is_the_notebook_dir(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    served = server_dirs.base / "served"
    served.mkdir()
    config = server_dirs.config / "jupyter_notebook_config.py"
    write(config, f"c.ServerApp.root_dir = {str(served)!r}\n")
    server = start_server(notebook_dir=False)
    assert server.info["root_dir"] == str(served.resolve())


def test_path_argument_beats_configured_root_dir(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    served = server_dirs.base / "served"
    served.mkdir()
    server = start_server(str(served))
    assert server.info["root_dir"] == str(served.resolve())


@pytest.mark.parametrize(
    ("filename", "text", "expected"),
    [
        ("jupyter_notebook_config.py", "c.NotebookApp.prot = 8888\n", "NotebookApp.prot"),
        ("jupyter_notebook_config.py", "c.NotebookApp.port = 'many'\n", "NotebookApp.port"),
        ("jupyter_notebook_config.json", '{"ServerApp": {"open_browser": "x"}}', "open_browser"),
        ("jupyter_notebook_config.py", "c.NotebookApp.port = = 1\n", ":1: syntax error"),
        ("jupyter_notebook_config.json", '{"NotebookApp": {', "invalid config"),
        ("jupyter_notebook_config.py", "c.Application.log_level = 99\n", "log_level"),
        ("jupyter_notebook_config.py", "import nothing_here\n", ":1: ModuleNotFoundError"),
    ],
)
def test_bad_config_file_is_one_line_naming_file_and_option(
    server_dirs: ServerDirs, filename: str, text: str, expected: str
) -> None:
    path = write(server_dirs.config / filename, text)
    result = run_carnet(server_dirs, "--no-browser")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["--NotebookApp.no_such_option=1"],
            "command line: unknown option NotebookApp.no_such_option",
        ),
        (["--port=eighty"], "NotebookApp.port"),
        (["--config=/nonexistent/c.py"], "/nonexistent/c.py"),
        (["a", "b"], "at most one PATH"),
        (["does-not-exist.ipynb"], "no such file or directory"),
    ],
)
def test_bad_command_line_is_one_line(
    server_dirs: ServerDirs, args: list[str], expected: str
) -> None:
    result = run_carnet(server_dirs, "--no-browser", *args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unknown_sections_and_ignored_jupyter_options_do_not_fail(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    write(
        server_dirs.config / "jupyter_notebook_config.py",
        "c.LabApp.collaborative = True\n"
        "c.NotebookApp.enable_mathjax = True\n"
        "c.NotebookApp.nbserver_extensions = {'x': True}\n"
        "c.MappingKernelManager.cull_idle_timeout = 600\n",
    )
    server = start_server()
    assert "NotebookApp.enable_mathjax is not used by Carnet" in server.output()
    # Server extensions are loaded now: one that is not installed is a warning, not a crash.
    assert "server extension 'x' is not installed" in server.output()


def test_generate_config_writes_every_option_and_asks_before_overwriting(
    server_dirs: ServerDirs,
) -> None:
    target = server_dirs.config / "jupyter_notebook_config.py"
    first = run_carnet(server_dirs, "--generate-config")
    assert first.returncode == 0, first.stderr
    text = target.read_text()
    for line in (
        "# c.NotebookApp.port = 8888",
        "# c.NotebookApp.ip = 'localhost'",
        "# c.NotebookApp.token = '<generated>'",
        "# c.NotebookApp.cull_idle_timeout = 0",
        "# c.NotebookApp.tornado_settings = {}",
        "# c.ContentsManager.allow_hidden = False",
        "# c.Application.log_level = 20",
        "# c.MappingKernelManager.cull_busy = False",
    ):
        assert line in text
    assert "The port the server listens on" in text
    assert all(not line.startswith("c.NotebookApp") for line in text.splitlines())

    target.write_text("c.NotebookApp.port = 9999\n")
    refused = run_carnet(server_dirs, "--generate-config", stdin="n\n")
    assert "Overwrite" in refused.stdout
    assert target.read_text() == "c.NotebookApp.port = 9999\n"
    no_answer = run_carnet(server_dirs, "--generate-config", stdin="")
    assert target.read_text() == "c.NotebookApp.port = 9999\n", no_answer.stdout
    accepted = run_carnet(server_dirs, "--generate-config", stdin="y\n")
    assert accepted.returncode == 0
    assert target.read_text() == text
    target.write_text("c.NotebookApp.port = 9999\n")
    forced = run_carnet(server_dirs, "--generate-config", "-y")
    assert "Overwrite" not in forced.stdout
    assert target.read_text() == text


def test_generated_config_loads_cleanly_with_every_line_uncommented(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    assert run_carnet(server_dirs, "--generate-config").returncode == 0
    target = server_dirs.config / "jupyter_notebook_config.py"
    lines = target.read_text().splitlines()
    uncommented = [line[2:] if line.startswith("# c.") else line for line in lines]
    assert sum(line.startswith("c.") for line in uncommented) > 40
    target.write_text("\n".join(uncommented))
    server = start_server()
    with httpx.Client(base_url=server.url, headers=server.auth_headers) as client:
        assert client.get("api/status").status_code == 200
    assert "WARNING" not in server.output()
    assert "[W " not in server.output()


def test_help_all_lists_every_option(server_dirs: ServerDirs) -> None:
    result = run_carnet(server_dirs, "--help-all")
    assert result.returncode == 0
    for option in (
        "--NotebookApp.iopub_data_rate_limit",
        "--NotebookApp.shutdown_no_activity_timeout",
        "--NotebookApp.allow_origin_pat",
        "--MappingKernelManager.cull_busy",
        "--Application.log_level",
        "--no-browser",
        "--notebook-dir",
    ):
        assert option in result.stdout
    assert "ServerOptions" not in result.stdout  # only section names config files use
    short = run_carnet(server_dirs, "--help")
    assert short.returncode == 0
    assert "--help-all" in short.stdout
    assert "--NotebookApp.iopub_data_rate_limit" not in short.stdout


def test_files_along_the_config_path_merge_and_the_more_specific_wins(
    server_dirs: ServerDirs, start_server: StartServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from carnet import paths

    extra = server_dirs.base / "extra-config"
    write(
        extra / "jupyter_notebook_config.py",
        "c.NotebookApp.base_url = '/extra/'\nc.NotebookApp.headers = {'X-Extra': '1'}\n",
    )
    write(server_dirs.config / "jupyter_notebook_config.py", "c.NotebookApp.base_url = '/dir/'\n")
    env = server_dirs.env(JUPYTER_CONFIG_PATH=str(extra))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(extra))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(server_dirs.config))
    order = paths.config_path()  # most specific first
    winner = "/extra/" if order.index(extra) < order.index(server_dirs.config) else "/dir/"
    server = start_server(env=env)
    assert server.info["base_url"] == winner
    with server.client() as client:
        assert client.get("api/status").headers["x-extra"] == "1"
