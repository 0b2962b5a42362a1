"""The page routes over HTTP: shells with their config, static assets, custom/, errors."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from carnet.server.pages import shell
from tests.server.conftest import RunningServer, ServerDirs, launch

CONFIG = re.compile(r'<script id="carnet-config" type="application/json">(.*?)</script>')


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    if shell.bundle() is None:
        pytest.fail("the frontend is not built: run `make frontend`")
    dirs = ServerDirs(tmp_path_factory.mktemp("pages"))
    (dirs.config / "custom").mkdir()
    (dirs.config / "custom" / "custom.js").write_text("console.log('custom');\n")
    (dirs.root / "sub").mkdir()
    (dirs.root / "sub" / "a b.ipynb").write_text('{"nbformat": 4, "nbformat_minor": 5}')
    (dirs.root / "notes.txt").write_text("hi")
    running = launch(dirs, "--NotebookApp.base_url=/base/", "--NotebookApp.autosave_interval=30")
    yield running
    running.stop()


def page_config(body: str) -> dict[str, object]:
    match = CONFIG.search(body)
    assert match, body
    config: dict[str, object] = json.loads(match.group(1))
    return config


@pytest.mark.parametrize(
    "url, page, path",
    [
        ("tree", "tree", ""),
        ("tree/sub", "tree", "sub"),
        ("notebooks/sub/a%20b.ipynb", "notebook", "sub/a b.ipynb"),
        ("edit/notes.txt", "edit", "notes.txt"),
    ],
)
def test_pages_carry_their_config_and_never_the_token(
    server: RunningServer, url: str, page: str, path: str
) -> None:
    with server.client() as client:
        response = client.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    body = response.text
    config = page_config(body)
    assert config["page"] == page and config["path"] == path
    assert config["baseUrl"] == "/base/" and config["autosaveInterval"] == 30
    assert server.token not in body
    built = shell.bundle()
    assert built is not None
    assert f'src="/base/static/{built.script}"' in body
    assert '<script defer src="/base/custom/custom.js">' in body
    assert '<link rel="stylesheet" href="/base/custom/custom.css">' in body


def test_static_assets_are_cached_for_long(server: RunningServer) -> None:
    built = shell.bundle()
    assert built is not None
    with server.client() as client:
        script = client.get(f"static/{built.script}")
        assert script.status_code == 200
        assert "javascript" in script.headers["content-type"]
        assert "immutable" in script.headers["cache-control"]
        assert client.get("static/../pages/shell.py").status_code == 404
        assert client.get("static/%2e%2e/server/app.py").status_code == 404
        assert client.get("static/assets/nope.js").status_code == 404


def test_notebook_page_preloads_its_code(server: RunningServer) -> None:
    built = shell.bundle()
    assert built is not None
    notebook_modules = built.modules_for("notebook")
    # The page's own chunk and the editor library it imports; never the entry itself.
    assert any("notebook" in module for module in notebook_modules), notebook_modules
    assert built.script not in notebook_modules
    with server.client() as client:
        body = client.get("notebooks/sub/a%20b.ipynb").text
        for module in notebook_modules:
            assert f'<link rel="modulepreload" href="/base/static/{module}">' in body
            assert client.get(f"static/{module}").status_code == 200
        tree = client.get("tree").text
        assert 'rel="modulepreload" href="/base/static/assets/notebook' not in tree


def test_notebook_workers_are_served_and_allowed(server: RunningServer) -> None:
    """The workers the notebook code starts (kernel socket, blob URLs) load from static/."""
    built = shell.bundle()
    assert built is not None
    code = "".join((shell.STATIC_DIR / m).read_text("utf-8") for m in built.modules_for("notebook"))
    workers = set(re.findall(r'"((?:decoder|bloburl)\.worker-[\w-]+\.js)"', code))
    assert {w.split("-")[0] for w in workers} == {"decoder.worker", "bloburl.worker"}, workers
    with server.client() as client:
        for worker in workers:
            reply = client.get(f"static/assets/{worker}")
            assert reply.status_code == 200
            assert "javascript" in reply.headers["content-type"]
        # Module workers follow worker-src, then script-src, then default-src: none is set.
        csp = client.get("notebooks/sub/a%20b.ipynb").headers["content-security-policy"]
        assert not re.search(r"(worker|script|default)-src", csp), csp


def test_custom_files_come_from_the_config_dir(server: RunningServer) -> None:
    with server.client() as client:
        js = client.get("custom/custom.js")
        assert js.text == "console.log('custom');\n"
        assert js.headers["content-type"].startswith("text/javascript")
        css = client.get("custom/custom.css")  # absent: empty, so pages load cleanly
        assert css.status_code == 200 and css.text == ""
        assert client.get("custom/other.js").status_code == 404


def test_missing_things_are_404_and_files_redirect(server: RunningServer) -> None:
    with server.client() as client:
        assert client.get("notebooks/missing.ipynb").status_code == 404
        assert client.get("tree/missing").status_code == 404
        assert client.get("edit/sub").status_code == 404
        assert client.get("tree/../../etc").status_code == 404
        moved = client.get("tree/notes.txt")
        assert (
            moved.status_code in (302, 307) and moved.headers["location"] == "/base/edit/notes.txt"
        )


def test_pages_need_authentication(server: RunningServer) -> None:
    with server.client(authenticated=False) as client:
        assert client.get("tree").status_code in (302, 403)
        assert client.get("custom/custom.js").status_code in (302, 403)


def test_not_built_page_says_how_to_build(tmp_path: Path) -> None:
    assert shell.bundle(tmp_path) is None
    assert "make frontend" in shell.not_built_page()
    (tmp_path / "manifest.json").write_text("{broken")
    assert shell.bundle(tmp_path) is None
    manifest = {"src/main.ts": {"file": "assets/main-1.js", "css": ["assets/main-1.css"]}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert shell.bundle(tmp_path) == shell.Bundle("assets/main-1.js", ("assets/main-1.css",))


def test_config_json_cannot_break_out_of_its_script_tag() -> None:
    built = shell.Bundle("assets/m.js", ())
    body = shell.render_page(
        page="notebook",
        title="</title><script>x</script>",
        base_url="/",
        path="</script><script>alert(1)</script>.ipynb",
        xsrf_token="",
        autosave_interval=120,
        built=built,
    )
    assert "<script>alert(1)" not in body and "<script>x" not in body
    assert page_config(body)["path"] == "</script><script>alert(1)</script>.ipynb"
