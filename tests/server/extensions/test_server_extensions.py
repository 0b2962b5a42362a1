"""Server extensions in a real server subprocess: the example extension (installed with
entry points in a temporary site directory) adds a JSON route behind Carnet's auth, reads
its traitlets options from the config file, serves files and a front-end module, and runs
its start-up and shut-down hooks; broken, Jupyter-only and missing extensions are logged
and the server runs without them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.support.extensions import env_with_site, install_server_example
from tests.support.waiting import wait_until

ENABLED = {
    "example_server": True,
    "broken_server": True,
    "jupyter_only_ext": True,
    "not_installed_ext": True,
    "switched_off": False,
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    base = tmp_path_factory.mktemp("server-ext")
    dirs = ServerDirs(base / "server")
    site = install_server_example(base / "site")
    markers = base / "markers"
    markers.mkdir()
    config = {
        "ServerApp": {"jpserver_extensions": {"broken_server": True, "jupyter_only_ext": True}},
        "NotebookApp": {"nbserver_extensions": ENABLED},
        "ExampleServer": {"greeting": "bonjour", "marker_dir": str(markers)},
    }
    (dirs.config / "jupyter_notebook_config.json").write_text(json.dumps(config))
    running = launch(
        dirs, "--NotebookApp.read_only_token=ro-token", env=env_with_site(dirs.env(), site)
    )
    running.markers = markers  # type: ignore[attr-defined]
    yield running
    running.stop()


def test_the_route_answers_with_the_configured_greeting(server: RunningServer) -> None:
    with server.client() as client:
        response = client.get("api/example/greeting")
    assert response.status_code == 200
    assert response.json()["greeting"] == "bonjour"  # c.ExampleServer.greeting


def test_the_route_is_behind_carnets_auth(server: RunningServer) -> None:
    with server.client(authenticated=False) as anonymous:
        assert anonymous.get("api/example/greeting").status_code == 403
        assert anonymous.post("api/example/echo", json={"a": 1}).status_code == 403
        bad = {"Authorization": "token wrong"}
        assert anonymous.get("api/example/greeting", headers=bad).status_code == 403
    with server.client() as client:
        echoed = client.post("api/example/echo", json={"a": 1})
    assert echoed.status_code == 200 and echoed.json() == {"a": 1}
    # A read-only user may read, never change anything, on an extension's routes too.
    read_only = {"Authorization": "token ro-token"}
    with server.client(authenticated=False) as ro:
        assert ro.get("api/example/greeting", headers=read_only).status_code == 200
        assert ro.post("api/example/echo", json={"a": 1}, headers=read_only).status_code == 403


def test_static_files_and_the_front_end_module_are_served(server: RunningServer) -> None:
    with server.client() as client:
        css = client.get("example-static/style.css")
        module = client.get("nbextensions/example_server/main.js")
        for bad in ("example-static/../__init__.py", "example-static/%2e%2e/__init__.py"):
            assert client.get(bad).status_code == 404, bad
        tree = client.get("tree")
        notebook_missing = client.get("edit/nothing.txt")
    assert css.status_code == 200 and "example server" in css.text
    assert module.status_code == 200
    assert module.headers["content-type"].startswith("text/javascript")
    # The tree page is told to load the module the extension declared for it.
    assert '"extensions":["example_server/main"]' in tree.text
    assert notebook_missing.status_code == 404
    with server.client(authenticated=False) as anonymous:
        refused = anonymous.get("nbextensions/example_server/main.js", follow_redirects=False)
    assert refused.status_code in (302, 403)


def test_hooks_run_at_start_up(server: RunningServer) -> None:
    markers: Path = server.markers  # type: ignore[attr-defined]
    assert (markers / "started").exists()


def test_other_extensions_are_logged_and_skipped(server: RunningServer) -> None:
    output = server.output()
    assert "Loaded server extension example_server" in output
    assert "The server extension 'broken_server' failed to load" in output
    assert "broken on purpose" in output
    assert "'jupyter_only_ext' is a Jupyter Server extension, not a Carnet one" in output
    assert "The server extension 'not_installed_ext' is not installed" in output
    assert "installed Carnet extensions: broken_server, example_server" in output
    assert "switched_off" not in output
    assert "Traceback" in output  # the broken extension's, for its author
    assert "Carnet must not load" not in output


def test_the_shut_down_hook_runs_when_the_server_stops(tmp_path: Path) -> None:
    dirs = ServerDirs(tmp_path / "server")
    site = install_server_example(tmp_path / "site")
    markers = tmp_path / "markers"
    markers.mkdir()
    running = launch(
        dirs,
        "--NotebookApp.nbserver_extensions=example_server=True",
        f"--ExampleServer.marker_dir={markers}",
        env=env_with_site(dirs.env(), site),
    )
    wait_until(lambda: (markers / "started").exists(), what="the start-up hook")
    assert not (markers / "stopped").exists()
    assert running.stop() == 0
    assert (markers / "stopped").exists()
