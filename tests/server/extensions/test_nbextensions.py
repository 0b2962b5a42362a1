"""`{base_url}nbextensions/NAME/FILE`: front-end extensions' files from every Jupyter data
directory, with the static files' safety rules, behind the login."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.support.extensions import install_frontend_examples


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    base = tmp_path_factory.mktemp("nbext")
    dirs = ServerDirs(base / "server")
    install_frontend_examples(dirs.data)
    (dirs.data / "nbextensions" / "example" / ".secret.js").write_text("secret")
    (dirs.base / "outside.js").write_text("outside")
    (dirs.data / "nbextensions" / "example" / "escape.js").symlink_to(dirs.base / "outside.js")
    # A second data directory (JUPYTER_PATH), which Jupyter searches before the user's.
    extra = base / "extra"
    (extra / "nbextensions" / "other").mkdir(parents=True)
    (extra / "nbextensions" / "other" / "main.js").write_text("export const other = 1;\n")
    (extra / "nbextensions" / "classic").mkdir()
    (extra / "nbextensions" / "classic" / "main.js").write_text("// from JUPYTER_PATH\n")
    running = launch(dirs, "--base-url=/prefix/", env=dirs.env(JUPYTER_PATH=str(extra)))
    yield running
    running.stop()


def test_files_come_from_the_data_path(server: RunningServer) -> None:
    assert server.url.endswith("/prefix/")
    with server.client() as client:
        example = client.get("nbextensions/example/main.js")
        other = client.get("nbextensions/other/main.js")
        classic = client.get("nbextensions/classic/main.js")
    assert example.status_code == 200
    assert "load_ipython_extension" in example.text
    assert example.headers["content-type"].startswith("text/javascript")
    assert example.headers["cache-control"] == "no-cache"
    assert other.status_code == 200 and "other" in other.text
    # In both directories: JUPYTER_PATH's copy, as Jupyter's search order has it.
    assert classic.status_code == 200 and classic.text == "// from JUPYTER_PATH\n"


@pytest.mark.parametrize(
    "path",
    [
        "nbextensions/example/missing.js",
        "nbextensions/example/.secret.js",
        "nbextensions/example/escape.js",
        "nbextensions/example/%2e%2e/classic/main.js",
        "nbextensions/..%2f..%2fconfig/x.js",
        "nbextensions/example/",
        "nbextensions/example",
        "nbextensions/.hidden/main.js",
    ],
)
def test_nothing_else_is_served(server: RunningServer, path: str) -> None:
    with server.client() as client:
        assert client.get(path).status_code == 404


def test_the_files_need_a_login(server: RunningServer) -> None:
    with server.client(authenticated=False) as anonymous:
        response = anonymous.get("nbextensions/example/main.js", follow_redirects=False)
    assert response.status_code == 302
    assert "/prefix/login" in response.headers["location"]


def test_no_extension_dirs_is_fine(tmp_path: Path) -> None:
    running = launch(ServerDirs(tmp_path))
    try:
        with running.client() as client:
            assert client.get("nbextensions/example/main.js").status_code == 404
    finally:
        running.stop()
