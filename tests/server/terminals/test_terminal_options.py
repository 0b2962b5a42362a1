"""The terminal options in --generate-config, --help-all and config files."""

from __future__ import annotations

from tests.server.conftest import ServerDirs, StartServer
from tests.server.test_config import run_carnet


def test_generated_config_and_help_list_the_terminal_options(server_dirs: ServerDirs) -> None:
    assert run_carnet(server_dirs, "--generate-config").returncode == 0
    text = (server_dirs.config / "jupyter_notebook_config.py").read_text()
    for line in (
        "# c.NotebookApp.terminals_enabled = True",
        "# c.NotebookApp.terminado_settings = {}",
        "# c.TerminalManager.cull_inactive_timeout = 0",
        "# c.TerminalManager.cull_interval = 300",
    ):
        assert line in text
    help_all = run_carnet(server_dirs, "--help-all").stdout
    assert "--TerminalManager.cull_inactive_timeout" in help_all
    assert "--NotebookApp.terminals_enabled" in help_all


def test_terminal_options_are_used_not_ignored(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    (server_dirs.config / "jupyter_notebook_config.py").write_text(
        "c.ServerApp.terminals_enabled = False\nc.TerminalManager.cull_inactive_timeout = 60\n"
    )
    server = start_server()
    assert "not used by Carnet" not in server.output()
    with server.client() as http:
        assert http.get("api/terminals").status_code == 404
    bad = server_dirs.config / "jupyter_notebook_config.py"
    bad.write_text("c.TerminalManager.cull_inactive_timeout = 'soon'\n")
    refused = run_carnet(server_dirs, "--no-browser", "--port=0")
    assert refused.returncode != 0
    assert "TerminalManager.cull_inactive_timeout" in refused.stderr + refused.stdout
