"""/api/contents over real HTTP: models, creation, saving, renaming, deleting, errors."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from tests.server.contents.conftest import Api

MODEL_KEYS = {
    "name",
    "path",
    "type",
    "writable",
    "created",
    "last_modified",
    "mimetype",
    "content",
    "format",
    "size",
    "hash",
    "hash_algorithm",
}


def notebook(*sources: str) -> dict[str, object]:
    cells = [
        {"cell_type": "code", "id": f"c{i}", "metadata": {}, "source": source, "outputs": []}
        | {"execution_count": None}
        for i, source in enumerate(sources)
    ]
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def put_notebook(api: Api, path: str, nb: dict[str, object]) -> dict[str, object]:
    response = api.request("PUT", f"/api/contents/{path}", json={"type": "notebook", "content": nb})
    assert response.status_code in (200, 201), response.text
    return response.json()


def test_root_listing_matches_jupyter_model_shape(api: Api) -> None:
    (api.root / "a.txt").write_text("hello")
    (api.root / "sub").mkdir()
    (api.root / ".hidden").write_text("x")
    (api.root / "__pycache__").mkdir()
    for url in ("/api/contents", "/api/contents/"):
        response = api.get(url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert "GMT" in response.headers["last-modified"]
        model = response.json()
        assert set(model) == MODEL_KEYS
        assert (model["type"], model["format"], model["path"], model["name"]) == (
            "directory",
            "json",
            "",
            "",
        )
        entries = {entry["name"]: entry for entry in model["content"]}
        assert set(entries) == {"a.txt", "sub"}
        assert entries["a.txt"]["type"] == "file"
        assert entries["a.txt"]["size"] == 5
        assert entries["a.txt"]["mimetype"] == "text/plain"
        assert entries["a.txt"]["content"] is None
        assert entries["sub"]["type"] == "directory"
        assert entries["sub"]["size"] is None
        assert entries["a.txt"]["last_modified"].endswith("Z")


def test_get_file_formats_types_and_hash(api: Api) -> None:
    (api.root / "t.txt").write_text("héllo\n")
    (api.root / "b.bin").write_bytes(b"\xff\x00\xfe")
    text = api.get("/api/contents/t.txt").json()
    assert (text["content"], text["format"], text["mimetype"]) == ("héllo\n", "text", "text/plain")
    b64 = api.get("/api/contents/t.txt", params={"format": "base64"}).json()
    assert base64.b64decode(b64["content"]) == "héllo\n".encode()
    binary = api.get("/api/contents/b.bin").json()
    assert binary["format"] == "base64"
    assert binary["mimetype"] == "application/octet-stream"
    assert base64.b64decode(binary["content"]) == b"\xff\x00\xfe"
    refused = api.get("/api/contents/b.bin", params={"format": "text"})
    assert (refused.status_code, refused.json()["reason"]) == (400, "bad format")
    bare = api.get("/api/contents/t.txt", params={"content": "0"}).json()
    assert bare["content"] is None and bare["format"] is None and bare["hash"] is None
    hashed = api.get("/api/contents/t.txt", params={"content": "0", "hash": "1"}).json()
    assert hashed["hash_algorithm"] == "sha256"
    import hashlib

    assert hashed["hash"] == hashlib.sha256("héllo\n".encode()).hexdigest()


def test_get_type_hints_and_bad_arguments(api: Api) -> None:
    (api.root / "d").mkdir()
    put_notebook(api, "n.ipynb", notebook("1"))
    as_file = api.get("/api/contents/n.ipynb", params={"type": "file"}).json()
    assert as_file["type"] == "file" and as_file["format"] == "text"
    assert json.loads(as_file["content"])["nbformat"] == 4
    cases = [
        ("/api/contents/d", {"type": "file"}, "bad type"),
        ("/api/contents/n.ipynb", {"type": "directory"}, "bad type"),
        ("/api/contents/n.ipynb", {"type": "bogus"}, "bad type"),
        ("/api/contents/n.ipynb", {"format": "bogus"}, "bad format"),
        ("/api/contents/n.ipynb", {"content": "2"}, "bad request"),
        ("/api/contents/n.ipynb", {"hash": "yes"}, "bad request"),
    ]
    for url, params, reason in cases:
        response = api.get(url, params=params)
        assert response.status_code == 400, (url, params)
        assert response.json()["reason"] == reason
        assert "Traceback" not in response.text
    missing = api.get("/api/contents/nope.txt")
    assert (missing.status_code, missing.json()["reason"]) == (404, "not found")


def test_new_untitled_names_and_locations(api: Api) -> None:
    (api.root / "sub").mkdir()
    expected = [
        ({"type": "notebook"}, "Untitled.ipynb"),
        ({"type": "notebook"}, "Untitled1.ipynb"),
        ({"ext": ".ipynb"}, "Untitled2.ipynb"),
        ({"type": "file", "ext": ".txt"}, "untitled.txt"),
        ({"type": "file", "ext": ".txt"}, "untitled1.txt"),
        ({"type": "file"}, "untitled"),
        ({"type": "directory"}, "Untitled Folder"),
        ({"type": "directory"}, "Untitled Folder 1"),
    ]
    for body, name in expected:
        response = api.request("POST", "/api/contents/sub", json=body)
        assert response.status_code == 201, response.text
        assert response.json()["path"] == f"sub/{name}"
        assert response.headers["location"] == f"{api.prefix}/api/contents/sub/" + name.replace(
            " ", "%20"
        )
    nb = json.loads((api.root / "sub/Untitled.ipynb").read_text())
    assert (nb["nbformat"], nb["cells"]) == (4, [])
    assert (api.root / "sub/untitled.txt").read_bytes() == b""
    assert (api.root / "sub/Untitled Folder 1").is_dir()
    no_body = api.request("POST", "/api/contents")
    assert (no_body.status_code, no_body.json()["path"]) == (201, "untitled")
    bad = api.request("POST", "/api/contents", json={"type": "widget"})
    assert (bad.status_code, bad.json()["reason"]) == (400, "bad type")
    missing = api.request("POST", "/api/contents/nowhere", json={"type": "notebook"})
    assert missing.status_code == 404
    on_file = api.request("POST", "/api/contents/sub/untitled.txt", json={"type": "file"})
    assert on_file.status_code == 400


def test_copy_names_like_jupyter(api: Api) -> None:
    (api.root / "d").mkdir()
    put_notebook(api, "a.ipynb", notebook("x = 1"))
    names = []
    for source in ("a.ipynb", "/a.ipynb", "a-Copy1.ipynb"):
        response = api.request("POST", "/api/contents", json={"copy_from": source})
        assert response.status_code == 201, response.text
        names.append(response.json()["name"])
    assert names == ["a-Copy1.ipynb", "a-Copy2.ipynb", "a-Copy3.ipynb"]
    into_dir = api.request("POST", "/api/contents/d", json={"copy_from": "a.ipynb"})
    assert into_dir.json()["path"] == "d/a.ipynb"
    assert (api.root / "d/a.ipynb").read_bytes() == (api.root / "a.ipynb").read_bytes()
    (api.root / "d/inner").mkdir()
    (api.root / "d/link").symlink_to(api.root.parent)  # copied as a link, never followed
    directory = api.request("POST", "/api/contents", json={"copy_from": "d"})
    assert (directory.status_code, directory.json()["path"]) == (201, "d-Copy1")
    assert (api.root / "d-Copy1/a.ipynb").read_bytes() == (api.root / "a.ipynb").read_bytes()
    assert (api.root / "d-Copy1/inner").is_dir()
    assert os.readlink(api.root / "d-Copy1/link") == str(api.root.parent)
    into_itself = api.request("POST", "/api/contents/d/inner", json={"copy_from": "d"})
    assert (into_itself.status_code, into_itself.json()["reason"]) == (400, "bad path")
    assert sorted(p.name for p in (api.root / "d/inner").iterdir()) == []
    missing = api.request("POST", "/api/contents", json={"copy_from": "zzz.ipynb"})
    assert missing.status_code == 404
    put_copy = api.request("PUT", "/api/contents/x.ipynb", json={"copy_from": "a.ipynb"})
    assert put_copy.status_code == 400


def test_save_text_base64_directory_and_status_codes(api: Api) -> None:
    created = api.request(
        "PUT", "/api/contents/n.txt", json={"type": "file", "format": "text", "content": "one"}
    )
    assert created.status_code == 201
    assert created.headers["location"] == f"{api.prefix}/api/contents/n.txt"
    assert created.json()["content"] is None
    saved = api.request(
        "PUT", "/api/contents/n.txt", json={"type": "file", "format": "text", "content": "two"}
    )
    assert saved.status_code == 200
    assert (api.root / "n.txt").read_text() == "two"
    payload = base64.b64encode(bytes(range(256))).decode()
    b64 = api.request(
        "PUT", "/api/contents/b.bin", json={"type": "file", "format": "base64", "content": payload}
    )
    assert b64.status_code == 201
    assert (api.root / "b.bin").read_bytes() == bytes(range(256))
    made = api.request("PUT", "/api/contents/newdir", json={"type": "directory"})
    assert made.status_code == 201 and (api.root / "newdir").is_dir()
    assert made.json()["type"] == "directory"


def test_save_rejects_bad_models_and_loses_nothing(api: Api) -> None:
    (api.root / "keep.txt").write_text("precious")
    (api.root / "d").mkdir()
    bad_models = [
        ({"format": "text", "content": "x"}, "bad model"),
        ({"type": "file", "content": "x"}, "bad format"),
        ({"type": "file", "format": "text"}, "bad model"),
        ({"type": "file", "format": "text", "content": 5}, "bad model"),
        ({"type": "file", "format": "base64", "content": "@@@"}, "bad format"),
        ({"type": "notebook", "content": "not a notebook"}, "bad model"),
        ({"type": "notebook", "content": {"nbformat": 3, "worksheets": []}}, "bad model"),
        ({"type": "spreadsheet", "content": ""}, "bad type"),
    ]
    for body, reason in bad_models:
        response = api.request("PUT", "/api/contents/keep.txt", json=body)
        assert response.status_code == 400, body
        assert response.json()["reason"] == reason, body
        assert (api.root / "keep.txt").read_text() == "precious"
    # A model without content makes a new file; its format is still checked.
    new_with_bad_format = api.request(
        "PUT", "/api/contents/new.ipynb", json={"type": "notebook", "format": "pdf"}
    )
    assert (new_with_bad_format.status_code, new_with_bad_format.json()["reason"]) == (
        400,
        "bad format",
    )
    not_json = api.request("PUT", "/api/contents/keep.txt", content=b"{oops")
    assert (not_json.status_code, not_json.json()["reason"]) == (400, "bad request")
    not_object = api.request("PUT", "/api/contents/keep.txt", json=[1, 2])
    assert not_object.status_code == 400
    over_dir = api.request(
        "PUT", "/api/contents/d", json={"type": "file", "format": "text", "content": "x"}
    )
    assert (over_dir.status_code, over_dir.json()["reason"]) == (400, "bad type")
    dir_over_file = api.request("PUT", "/api/contents/keep.txt", json={"type": "directory"})
    assert dir_over_file.status_code == 400
    no_parent = api.request(
        "PUT", "/api/contents/no/such/x.txt", json={"type": "file", "format": "text", "content": ""}
    )
    assert no_parent.status_code == 404
    assert (api.root / "keep.txt").read_text() == "precious"
    assert sorted(p.name for p in api.root.iterdir()) == ["d", "keep.txt"]  # no temp files


def test_notebook_save_reports_validation_and_checkpoints_once(api: Api) -> None:
    model = put_notebook(api, "n.ipynb", notebook("print(1)"))
    assert "message" not in model
    checkpoint = api.root / ".ipynb_checkpoints" / "n-checkpoint.ipynb"
    assert checkpoint.read_bytes() == (api.root / "n.ipynb").read_bytes()
    invalid = notebook("x")
    invalid["cells"][0]["cell_type"] = "sorcery"  # type: ignore[index]
    saved = put_notebook(api, "n.ipynb", invalid)
    assert "validation failed" in saved["message"].lower()
    assert json.loads((api.root / "n.ipynb").read_text())["cells"][0]["cell_type"] == "sorcery"
    # The checkpoint made at the first save is not replaced by later saves.
    assert "sorcery" not in checkpoint.read_text()


def test_rename_and_its_errors(api: Api) -> None:
    put_notebook(api, "a.ipynb", notebook("1"))
    (api.root / "other.txt").write_text("other")
    (api.root / "d").mkdir()
    moved = api.request("PATCH", "/api/contents/a.ipynb", json={"path": "d/b.ipynb"})
    assert moved.status_code == 200, moved.text
    assert moved.json()["path"] == "d/b.ipynb"
    assert moved.headers["location"] == f"{api.prefix}/api/contents/d/b.ipynb"
    assert not (api.root / "a.ipynb").exists() and (api.root / "d/b.ipynb").is_file()
    assert (api.root / "d/.ipynb_checkpoints/b-checkpoint.ipynb").is_file()
    clash = api.request("PATCH", "/api/contents/d/b.ipynb", json={"path": "other.txt"})
    assert (clash.status_code, clash.json()["reason"]) == (409, "exists")
    assert (api.root / "other.txt").read_text() == "other"
    missing = api.request("PATCH", "/api/contents/ghost.txt", json={"path": "g.txt"})
    assert missing.status_code == 404
    no_body = api.request("PATCH", "/api/contents/other.txt")
    assert no_body.status_code == 400
    no_path = api.request("PATCH", "/api/contents/other.txt", json={"name": "x"})
    assert no_path.status_code == 400
    into_itself = api.request("PATCH", "/api/contents/d", json={"path": "d/inner"})
    assert into_itself.status_code == 400
    renamed_dir = api.request("PATCH", "/api/contents/d", json={"path": "e"})
    assert renamed_dir.status_code == 200 and (api.root / "e/b.ipynb").is_file()


def test_delete_files_and_directories(api: Api) -> None:
    put_notebook(api, "n.ipynb", notebook("1"))
    (api.root / "empty").mkdir()
    (api.root / "full").mkdir()
    (api.root / "full/x.txt").write_text("x")
    assert api.request("DELETE", "/api/contents/n.ipynb").status_code == 204
    assert not (api.root / "n.ipynb").exists()
    assert not (api.root / ".ipynb_checkpoints/n-checkpoint.ipynb").exists()
    assert api.request("DELETE", "/api/contents/empty").status_code == 204
    not_empty = api.request("DELETE", "/api/contents/full")
    assert (not_empty.status_code, not_empty.json()["reason"]) == (400, "not empty")
    assert (api.root / "full/x.txt").exists()
    assert api.request("DELETE", "/api/contents/").status_code == 400
    assert api.request("DELETE", "/api/contents/n.ipynb").status_code == 404


def test_checkpoints_create_list_restore_delete(api: Api) -> None:
    (api.root / "f.txt").write_text("version 1")
    assert api.get("/api/contents/f.txt/checkpoints").json() == []
    created = api.request("POST", "/api/contents/f.txt/checkpoints")
    assert created.status_code == 201
    checkpoint = created.json()
    assert checkpoint["id"] == "checkpoint" and checkpoint["last_modified"].endswith("Z")
    assert created.headers["location"] == (
        f"{api.prefix}/api/contents/f.txt/checkpoints/checkpoint"
    )
    assert (api.root / ".ipynb_checkpoints/f-checkpoint.txt").read_text() == "version 1"
    assert api.get("/api/contents/f.txt/checkpoints").json() == [checkpoint]
    (api.root / "f.txt").write_text("version 2")
    restored = api.request("POST", "/api/contents/f.txt/checkpoints/checkpoint")
    assert restored.status_code == 204
    assert (api.root / "f.txt").read_text() == "version 1"
    unknown = api.request("POST", "/api/contents/f.txt/checkpoints/other")
    assert unknown.status_code == 404
    assert api.request("DELETE", "/api/contents/f.txt/checkpoints/checkpoint").status_code == 204
    assert api.get("/api/contents/f.txt/checkpoints").json() == []
    again = api.request("DELETE", "/api/contents/f.txt/checkpoints/checkpoint")
    assert again.status_code == 404
    assert api.get("/api/contents/ghost.txt/checkpoints").status_code == 404
    (api.root / "d").mkdir()
    assert api.request("POST", "/api/contents/d/checkpoints").status_code == 400


def test_chunked_upload_replaces_atomically(api: Api) -> None:
    (api.root / "big.bin").write_bytes(b"old contents")
    parts = [bytes([i]) * 1000 for i in range(1, 4)]
    for number, part in zip((1, 2, -1), parts, strict=True):
        body = {
            "type": "file",
            "format": "base64",
            "chunk": number,
            "content": base64.b64encode(part).decode(),
        }
        response = api.request("PUT", "/api/contents/big.bin", json=body)
        assert response.status_code == 200, response.text
        assert response.json()["path"] == "big.bin"
        if number != -1:  # the old file stays whole until the last chunk arrives
            assert (api.root / "big.bin").read_bytes() == b"old contents"
    assert (api.root / "big.bin").read_bytes() == b"".join(parts)
    assert api.get("/api/contents/big.bin", params={"content": "0"}).json()["size"] == 3000
    assert sorted(p.name for p in api.root.iterdir()) == ["big.bin"]  # no staging left


def test_chunked_upload_errors(api: Api) -> None:
    def chunk(number: object, kind: str = "file", path: str = "up.txt") -> int:
        body = {"type": kind, "format": "text", "chunk": number, "content": "data"}
        return api.request("PUT", f"/api/contents/{path}", json=body).status_code

    assert chunk(2) == 400  # no upload in progress
    assert chunk(1) == 201
    assert chunk(3) == 400  # skipped chunk 2: the upload is abandoned
    assert list(api.root.iterdir()) == []
    assert chunk(0) == 400
    assert chunk("1") == 400
    assert chunk(1, kind="notebook", path="n.ipynb") == 400
    assert not (api.root / "up.txt").exists()
    assert chunk(-1) == 201  # a lone last chunk is a whole upload
    assert (api.root / "up.txt").read_text() == "data"


def test_expected_hash_refuses_saving_over_a_changed_file(api: Api) -> None:
    put_notebook(api, "n.ipynb", notebook("1"))
    loaded = api.get("/api/contents/n.ipynb", params={"hash": "1"}).json()
    body = {"type": "notebook", "content": loaded["content"], "expected_hash": loaded["hash"]}
    first = api.request("PUT", "/api/contents/n.ipynb", params={"hash": "1"}, json=body)
    assert first.status_code == 200, first.text
    new_hash = first.json()["hash"]
    assert new_hash == api.get("/api/contents/n.ipynb", params={"hash": "1"}).json()["hash"]
    # Unchanged file: saving again with the returned hash is never a conflict.
    body["expected_hash"] = new_hash
    assert api.request("PUT", "/api/contents/n.ipynb", json=body).status_code == 200
    (api.root / "n.ipynb").write_text(json.dumps(notebook("changed elsewhere")))
    conflict = api.request("PUT", "/api/contents/n.ipynb", json=body)
    assert (conflict.status_code, conflict.json()["reason"]) == (409, "changed on disk")
    assert "changed elsewhere" in (api.root / "n.ipynb").read_text()
    (api.root / "n.ipynb").unlink()
    deleted = api.request("PUT", "/api/contents/n.ipynb", json=body)
    assert deleted.status_code == 409 and not (api.root / "n.ipynb").exists()


def test_file_names_with_spaces_and_unicode(api: Api) -> None:
    name = "dossier é/nötebook #1?.txt"
    (api.root / "dossier é").mkdir()
    (api.root / name).write_text("ok")
    from urllib.parse import quote

    response = api.get("/api/contents/" + quote(name))
    assert response.status_code == 200
    assert response.json()["path"] == name
    assert response.json()["content"] == "ok"


def test_routes_document_themselves_for_openapi() -> None:
    from starlette.schemas import SchemaGenerator

    from carnet.server.api import contents, files

    schema = SchemaGenerator({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}})
    document = schema.get_schema(contents.routes() + files.routes())
    paths = document["paths"]
    assert set(paths["/api/contents/{path}"]) == {"get", "post", "put", "patch", "delete"}
    assert set(paths["/api/contents/{path}/checkpoints"]) == {"get", "post"}
    assert set(paths["/api/contents/{path}/checkpoints/{checkpoint_id}"]) == {"post", "delete"}
    assert "get" in paths["/files/{path}"]
    for operations in paths.values():
        for operation in operations.values():
            assert operation["summary"] and operation["responses"]
            for code, response in operation["responses"].items():
                # A stray comma in a YAML flow mapping would add a key here.
                assert isinstance(code, int) and 200 <= code < 600
                assert list(response) == ["description"] and response["description"], response


def test_extra_routes_come_before_the_catch_all(root: Path) -> None:
    from starlette.routing import Route

    from carnet.server.api import contents

    async def trust(request: object) -> None:
        """Trust a notebook."""

    extra = Route("/api/contents/{path:path}/trust", trust, methods=["POST"])
    table = contents.routes([extra])
    assert table.index(extra) < min(
        i for i, r in enumerate(table) if getattr(r, "path", "") == "/api/contents/{path:path}"
    )
