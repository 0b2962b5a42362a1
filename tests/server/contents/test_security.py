"""Attacks on the contents service: traversal, symlink escapes, hidden files.

Each test plants a secret outside the root (or a hidden one inside it) and tries to
read, list, write, rename, copy or delete it through /api/contents and /files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.server.contents.conftest import Api

TRAVERSALS = [
    "%2e%2e/secret.txt",
    "%2E%2E/secret.txt",
    "sub/%2e%2e/%2e%2e/secret.txt",
    "%2e%2e%2fsecret.txt",
    "sub%2f%2e%2e%2f%2e%2e%2fsecret.txt",
    "..%2fsecret.txt",
]


@pytest.fixture
def outside(api: Api) -> Path:
    """A directory next to the root holding a secret the server must never touch."""
    directory = api.root.parent / "outside"
    directory.mkdir()
    (directory / "secret.txt").write_text("TOP SECRET")
    (api.root / "sub").mkdir()
    return directory


def _text_file(content: str) -> dict[str, str]:
    return {"type": "file", "format": "text", "content": content}


def test_dot_dot_in_every_encoding_is_refused(api: Api, outside: Path) -> None:
    # The root's parent holds outside/secret.txt; ../outside/secret.txt would reach it.
    for traversal in TRAVERSALS:
        path = traversal.replace("secret.txt", "outside/secret.txt")
        for url in (f"/api/contents/{path}", f"/files/{path}"):
            response = api.get(url)
            assert response.status_code in (403, 404), url
            assert "TOP SECRET" not in response.text
            assert response.json()["reason"] in ("outside root", "not found"), url
        written = api.request("PUT", f"/api/contents/{path}", json=_text_file("pwned"))
        assert written.status_code in (403, 404)
    assert (outside / "secret.txt").read_text() == "TOP SECRET"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_dot_dot_is_refused_with_a_reason(api: Api, outside: Path) -> None:
    response = api.get("/api/contents/%2e%2e/outside/secret.txt")
    assert response.status_code == 403
    assert response.json() == {
        "message": "'../outside/secret.txt' is outside the root directory",
        "reason": "outside root",
    }


def test_absolute_paths_stay_inside_the_root(api: Api, outside: Path) -> None:
    absolute = str(outside / "secret.txt")
    for url in (f"/api/contents/{absolute}", f"/api/contents/%2F{absolute.lstrip('/')}"):
        response = api.get(url)
        assert response.status_code == 404
        assert "TOP SECRET" not in response.text
    copied = api.request("POST", "/api/contents", json={"copy_from": absolute})
    assert copied.status_code == 404
    assert (
        api.request(
            "POST", "/api/contents", json={"copy_from": "../outside/secret.txt"}
        ).status_code
        == 403
    )


def test_double_encoding_is_just_a_strange_name(api: Api, outside: Path) -> None:
    response = api.get("/api/contents/%252e%252e/outside/secret.txt")
    assert response.status_code == 404
    assert "TOP SECRET" not in response.text


def test_nul_byte_is_a_bad_request(api: Api) -> None:
    response = api.get("/api/contents/a%00b")
    assert (response.status_code, response.json()["reason"]) == (400, "bad path")


def test_symlinks_leading_outside_are_refused(api: Api, outside: Path) -> None:
    (api.root / "link.txt").symlink_to(outside / "secret.txt")
    (api.root / "linkdir").symlink_to(outside)
    (api.root / "dangling.txt").symlink_to(outside / "new.txt")
    for url in (
        "/api/contents/link.txt",
        "/api/contents/linkdir",
        "/api/contents/linkdir/secret.txt",
        "/files/link.txt",
        "/files/linkdir/secret.txt",
    ):
        response = api.get(url)
        assert (response.status_code, response.json()["reason"]) == (403, "outside root"), url
        assert "TOP SECRET" not in response.text
    listing = {entry["name"] for entry in api.get("/api/contents").json()["content"]}
    assert listing == {"sub"}
    for path in ("link.txt", "linkdir/secret.txt", "linkdir/planted.txt", "dangling.txt"):
        response = api.request("PUT", f"/api/contents/{path}", json=_text_file("pwned"))
        assert response.status_code == 403, path
    assert api.request("POST", "/api/contents/linkdir", json={"type": "file"}).status_code == 403
    assert (
        api.request("PUT", "/api/contents/linkdir/d", json={"type": "directory"}).status_code == 403
    )
    renamed = api.request("PATCH", "/api/contents/sub", json={"path": "linkdir/sub"})
    assert renamed.status_code == 403 and (api.root / "sub").is_dir()
    assert api.request("DELETE", "/api/contents/linkdir/secret.txt").status_code == 403
    assert api.request("POST", "/api/contents/link.txt/checkpoints").status_code == 403
    copied = api.request("POST", "/api/contents/sub", json={"copy_from": "link.txt"})
    assert copied.status_code == 403
    assert (outside / "secret.txt").read_text() == "TOP SECRET"
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_planted_checkpoint_directory_cannot_redirect_writes(api: Api, outside: Path) -> None:
    (api.root / "f.txt").write_text("mine")
    (api.root / ".ipynb_checkpoints").symlink_to(outside)
    response = api.request("POST", "/api/contents/f.txt/checkpoints")
    assert (response.status_code, response.json()["reason"]) == (403, "outside root")
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_symlinks_inside_the_root_work(api: Api) -> None:
    (api.root / "real").mkdir()
    (api.root / "real/data.txt").write_text("inside")
    (api.root / "alias").symlink_to(api.root / "real")
    (api.root / "alias.txt").symlink_to("real/data.txt")
    assert api.get("/api/contents/alias/data.txt").json()["content"] == "inside"
    assert api.get("/api/contents/alias.txt").json()["content"] == "inside"
    assert api.get("/files/alias.txt").text == "inside"
    saved = api.request("PUT", "/api/contents/alias.txt", json=_text_file("changed"))
    assert saved.status_code == 200
    assert (api.root / "alias.txt").is_symlink()  # the save went through the link
    assert (api.root / "real/data.txt").read_text() == "changed"
    # Deleting a link removes the link, never what it points to.
    assert api.request("DELETE", "/api/contents/alias").status_code == 204
    assert (api.root / "real/data.txt").exists() and not (api.root / "alias").exists()


def test_hidden_files_are_invisible(api: Api) -> None:
    (api.root / ".env").write_text("PASSWORD=hunter2")
    (api.root / ".git").mkdir()
    (api.root / ".git/config").write_text("[core]")
    (api.root / "visible.txt").symlink_to(".env")
    listing = {entry["name"] for entry in api.get("/api/contents").json()["content"]}
    assert listing == set()
    for url in (
        "/api/contents/.env",
        "/api/contents/.git",
        "/api/contents/.git/config",
        "/api/contents/visible.txt",
        "/files/.env",
        "/files/.git/config",
        "/files/visible.txt",
    ):
        response = api.get(url)
        assert (response.status_code, response.json()["reason"]) == (404, "hidden"), url
        assert "hunter2" not in response.text
    for path in (".env", ".git/hooks-pre-commit", ".new"):
        response = api.request("PUT", f"/api/contents/{path}", json=_text_file("x"))
        assert response.status_code == 404, path
    assert api.request("PUT", "/api/contents/.d", json={"type": "directory"}).status_code == 404
    assert api.request("DELETE", "/api/contents/.env").status_code == 404
    renamed = api.request("PATCH", "/api/contents/visible.txt", json={"path": ".hidden"})
    assert renamed.status_code == 404
    onto_hidden = api.request("PATCH", "/api/contents/.env", json={"path": "shown.txt"})
    assert onto_hidden.status_code == 404
    copied = api.request("POST", "/api/contents", json={"copy_from": ".env"})
    assert copied.status_code == 404
    assert (api.root / ".env").read_text() == "PASSWORD=hunter2"
    assert sorted(p.name for p in api.root.iterdir()) == [".env", ".git", "visible.txt"]


def test_allow_hidden_shows_hidden_files_but_not_outside(api_hidden: Api) -> None:
    api = api_hidden
    (api.root / ".env").write_text("A=1")
    outside = api.root.parent / "elsewhere"
    outside.mkdir()
    (outside / "s.txt").write_text("S")
    (api.root / ".out").symlink_to(outside)
    listing = {entry["name"] for entry in api.get("/api/contents").json()["content"]}
    assert listing == {".env"}
    assert api.get("/api/contents/.env").json()["content"] == "A=1"
    assert api.get("/files/.env").text == "A=1"
    assert api.request("PUT", "/api/contents/.new", json=_text_file("n")).status_code == 201
    assert api.get("/api/contents/.out/s.txt").status_code == 403


def test_special_files_are_not_read(api: Api) -> None:
    os.mkfifo(api.root / "pipe")
    response = api.get("/api/contents/pipe")  # reading it would block forever
    assert (response.status_code, response.json()["reason"]) == (400, "bad type")
    assert api.get("/files/pipe").status_code == 404
    assert {e["name"] for e in api.get("/api/contents").json()["content"]} == set()
