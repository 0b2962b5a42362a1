"""/api/config/{section}: the front-end config (nbconfig/<section>.json), merged like Jupyter's."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.server.conftest import RunningServer, ServerDirs, StartServer
from tests.server.security.conftest import browser, login

READER_TOKEN = "reader-token-0123456789"


def _write(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def test_sections_merge_along_the_config_path_and_patch_writes_the_users_file(
    start_server: StartServer, server_dirs: ServerDirs, tmp_path: Path
) -> None:
    # JUPYTER_CONFIG_PATH comes before the user's dir in Jupyter's path: it wins.
    extra = tmp_path / "extra"
    _write(extra / "nbconfig" / "tree.json", {"a": {"x": 1}, "shared": "extra"})
    user = server_dirs.config / "nbconfig"
    _write(user / "tree.json", {"a": {"y": 2}, "shared": "user", "u": 1})
    # A package's defaults, below the .json of the same directory.
    _write(user / "tree.d" / "pkg.json", {"u": 0, "d": True})
    server = start_server(env=server_dirs.env(JUPYTER_CONFIG_PATH=str(extra)))
    with server.client() as client:
        got = client.get("api/config/tree")
        assert got.status_code == 200
        assert got.json() == {"a": {"x": 1, "y": 2}, "shared": "extra", "u": 1, "d": True}
        assert client.get("api/config/nosuchsection").json() == {}

        patched = client.patch("api/config/tree", json={"a": {"y": None, "z": 3}, "u": None})
        assert patched.status_code == 200
        # The user's "u" is gone, so the package default shows again.
        assert patched.json() == {"a": {"x": 1, "z": 3}, "shared": "extra", "u": 0, "d": True}
        assert json.loads((user / "tree.json").read_text()) == {"a": {"z": 3}, "shared": "user"}
        assert client.get("api/config/tree").json() == patched.json()

        # The first PATCH of a section creates the user's file (and nbconfig/ if need be).
        created = client.patch("api/config/common", json={"language": "en"})
        assert created.json() == {"language": "en"}
        assert json.loads((user / "common.json").read_text()) == {"language": "en"}
        assert client.put("api/config/common", json={"k": 1}).status_code == 204
        assert client.get("api/config/common").json() == {"k": 1}

        not_object = client.patch("api/config/tree", content=b"[1]")
        assert not_object.status_code == 400


def test_bad_section_names_are_refused(server: RunningServer) -> None:
    # A literal ".." is resolved by the client before sending; encoded, it reaches us.
    with server.client() as client:
        for name in ["a.b", "a%2Fb", "..%2F..%2Fjupyter_notebook_config", "%2E%2E", "a b"]:
            for method in ("GET", "PATCH"):
                response = client.request(method, f"api/config/{name}", json={"x": 1})
                assert response.status_code == 400, (method, name, response.text)
                assert response.json()["reason"] == "bad section"
    assert not (server.dirs.config / "nbconfig").exists()
    assert not list(server.dirs.config.glob("*.json"))


def test_a_corrupt_file_is_named_and_never_overwritten(server: RunningServer) -> None:
    path = server.dirs.config / "nbconfig" / "notebook.json"
    path.parent.mkdir()
    path.write_text('{"CodeCell": {"cm_config": ')
    with server.client() as client:
        for response in (
            client.get("api/config/notebook"),
            client.patch("api/config/notebook", json={"Notebook": {"Header": False}}),
        ):
            assert response.status_code == 500
            assert response.json()["reason"] == "corrupt config file"
            assert str(path) in response.json()["message"]
    assert path.read_text() == '{"CodeCell": {"cm_config": '
    path.write_text("[]")  # valid JSON, but not an object
    with server.client() as client:
        assert str(path) in client.get("api/config/notebook").json()["message"]


def test_writes_need_write_permission_and_the_xsrf_token(start_server: StartServer) -> None:
    server = start_server(f"--NotebookApp.read_only_token={READER_TOKEN}")
    reader = {"Authorization": f"token {READER_TOKEN}"}
    with httpx.Client(base_url=server.url, headers=reader, timeout=10) as client:
        assert client.get("api/config/notebook").status_code == 200
        refused = client.patch("api/config/notebook", json={"x": 1})
        assert refused.status_code == 403
        assert refused.json()["reason"] == "read-only"
    with httpx.Client(base_url=server.url, timeout=10) as anonymous:
        assert anonymous.get("api/config/notebook").status_code == 403
    with browser(server) as client:
        assert login(client, server.token).status_code == 302
        assert client.patch("api/config/notebook", json={"x": 1}).status_code == 403
        ok = client.patch(
            "api/config/notebook", json={"x": 1}, headers={"X-XSRFToken": client.cookies["_xsrf"]}
        )
        assert ok.status_code == 200
    assert json.loads((server.dirs.config / "nbconfig" / "notebook.json").read_text()) == {"x": 1}
