"""Side by side with jupyter_server's AsyncFileContentsManager: same models, names, files.

Both managers get identical directories and the same calls; their models must match
(timestamps aside, and the `trusted` cell marks that only the notebook-trust
feature adds), and so must the files they leave on disk, byte for byte.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jupyter_server.services.contents.filemanager import AsyncFileContentsManager

from carnet.server.contents import ContentsManager
from tests.server.contents.conftest import BASE_URL, SAMPLES, Api, run
from tests.support.servers import ServerDirs, launch_jupyter


def _populate(root: Path) -> None:
    (root / "sub").mkdir()
    (root / "t.txt").write_text("hello\n")
    (root / "b.bin").write_bytes(bytes(range(256)))
    (root / "img.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / "__pycache__").mkdir()
    (root / ".hidden").write_text("h")
    for name in ("nbformat-test4.5.ipynb", "pdsh-04.01-Simple-Line-Plots.ipynb"):
        shutil.copyfile(SAMPLES / name, root / name)


def _comparable(model: Any) -> Any:
    if model is None:  # delete
        return None
    if isinstance(model, list):
        return sorted((_comparable(m) for m in model), key=lambda m: json.dumps(m, sort_keys=True))
    model = json.loads(json.dumps(model, default=str))
    for key in ("last_modified", "created"):
        model.pop(key, None)
    if isinstance(model.get("content"), list):
        model["content"] = _comparable(model["content"])
    if model.get("type") == "notebook" and isinstance(model.get("content"), dict):
        for cell in model["content"]["cells"]:
            cell["metadata"].pop("trusted", None)
    return model


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Any, ContentsManager, Path, Path]:
    theirs, ours = tmp_path / "jupyter", tmp_path / "carnet"
    for root in (theirs, ours):
        root.mkdir()
        _populate(root)
    return AsyncFileContentsManager(root_dir=str(theirs)), ContentsManager(ours), theirs, ours


NB = "nbformat-test4.5.ipynb"
# (what, method, args, kwargs): each call is made on both managers, in this order.
CALLS: list[tuple[str, str, tuple[Any, ...], dict[str, Any]]] = [
    ("listing", "get", ("",), {}),
    ("listing, no content", "get", ("",), {"content": False}),
    ("text", "get", ("t.txt",), {}),
    ("text as base64", "get", ("t.txt",), {"format": "base64"}),
    ("binary", "get", ("b.bin",), {}),
    ("image", "get", ("img.png",), {}),
    ("image, no content", "get", ("img.png",), {"content": False}),
    ("notebook", "get", (NB,), {}),
    ("notebook with images", "get", ("pdsh-04.01-Simple-Line-Plots.ipynb",), {}),
    ("notebook hash", "get", (NB,), {"content": False, "require_hash": True}),
    ("notebook as file", "get", (NB,), {"type": "file"}),
    ("untitled notebook", "new_untitled", ("",), {"type": "notebook"}),
    ("untitled notebook 2", "new_untitled", ("",), {"type": "notebook"}),
    ("untitled file", "new_untitled", ("",), {"type": "file"}),
    ("untitled text", "new_untitled", ("sub",), {"type": "file", "ext": ".txt"}),
    ("untitled folder", "new_untitled", ("",), {"type": "directory"}),
    ("untitled folder 2", "new_untitled", ("",), {"type": "directory"}),
    ("copy", "copy", (NB,), {}),
    ("copy of a copy", "copy", ("nbformat-test4.5-Copy1.ipynb",), {}),
    ("copy into", "copy", ("t.txt", "sub"), {}),
    ("copy directory", "copy", ("sub", ""), {}),
    ("copy directory again", "copy", ("sub", ""), {}),
    ("save text", "save", ({"type": "file", "format": "text", "content": "x"}, "new.txt"), {}),
    ("save base64", "save", ({"type": "file", "format": "base64", "content": "AAEC"}, "n.bin"), {}),
    ("save directory", "save", ({"type": "directory"}, "dd"), {}),
    ("rename", "update", ({"path": "sub/r.txt"}, "new.txt"), {}),
    ("delete", "delete", ("n.bin",), {}),
]


def test_same_models_names_and_files(pair: tuple[Any, ContentsManager, Path, Path]) -> None:
    jupyter, carnet, theirs, ours = pair
    nb = run(jupyter.get(NB))["content"]
    save_notebook = ("save notebook", "save", ({"type": "notebook", "content": nb}, "s.ipynb"), {})
    checkpoints = ("checkpoints", "list_checkpoints", ("s.ipynb",), {})
    for what, method, args, kwargs in [*CALLS, save_notebook, checkpoints]:
        expected = _comparable(run(getattr(jupyter, method)(*args, **kwargs)))
        args = json.loads(json.dumps(args, default=dict))  # our own copy of the arguments
        actual = _comparable(run(getattr(carnet, method)(*args, **kwargs)))
        assert actual == expected, what

    def tree(root: Path) -> dict[str, bytes | None]:
        return {
            str(p.relative_to(root)): p.read_bytes() if p.is_file() else None
            for p in sorted(root.rglob("*"))
        }

    assert tree(ours) == tree(theirs)


@pytest.fixture
def jupyter_server(tmp_path: Path) -> Iterator[tuple[httpx.Client, Path]]:
    """A real `jupyter server` with a token and the same base_url as `api`."""
    server = launch_jupyter(
        ServerDirs(tmp_path / "jupyter"),
        f"--ServerApp.base_url={BASE_URL}",
        "--FileContentsManager.delete_to_trash=False",
    )
    client = httpx.Client(base_url=f"http://127.0.0.1:{server.port}", headers=server.auth_headers)
    try:
        yield client, server.root_dir
    finally:
        client.close()
        server.stop()


# (method, path, JSON body): a session as a frontend drives it, errors included.
SESSION: list[tuple[str, str, Any]] = [
    ("GET", "api/contents", None),
    ("GET", "api/contents/t.txt", None),
    ("GET", "api/contents/t.txt?format=base64", None),
    ("GET", "api/contents/t.txt?content=0&hash=1", None),
    ("GET", "api/contents/b.bin?format=text", None),
    ("GET", "api/contents/sub?type=file", None),
    ("GET", "api/contents/t.txt?type=directory", None),
    ("GET", "api/contents/missing.txt", None),
    ("GET", "api/contents/.hidden", None),
    ("GET", "api/contents/bad.ipynb", None),
    ("POST", "api/contents", {"type": "notebook"}),
    ("POST", "api/contents", {"type": "notebook"}),
    ("POST", "api/contents/sub", {"type": "file", "ext": ".txt"}),
    ("POST", "api/contents", {"type": "directory"}),
    ("POST", "api/contents", {"copy_from": "Untitled.ipynb"}),
    ("POST", "api/contents/sub", {"copy_from": "t.txt"}),
    ("POST", "api/contents", {"copy_from": "missing.txt"}),
    ("POST", "api/contents/t.txt", {"type": "file"}),
    ("POST", "api/contents/nowhere", {"type": "file"}),
    ("PUT", "api/contents/new%20file.txt", {"type": "file", "format": "text", "content": "x"}),
    ("PUT", "api/contents/new%20file.txt", {"type": "file", "format": "text", "content": "y"}),
    ("PUT", "api/contents/b64.bin", {"type": "file", "format": "base64", "content": "AAEC"}),
    ("PUT", "api/contents/dir2", {"type": "directory"}),
    ("PUT", "api/contents/t.txt", {"type": "file", "content": "x"}),
    ("PUT", "api/contents/t.txt", {"type": "file", "format": "text"}),
    ("PUT", "api/contents/t.txt", {"format": "text", "content": "x"}),
    ("PUT", "api/contents/t.txt", {"copy_from": "b.bin"}),
    ("PATCH", "api/contents/new%20file.txt", {"path": "sub/moved.txt"}),
    ("PATCH", "api/contents/sub/moved.txt", {"path": "t.txt"}),
    ("PATCH", "api/contents/missing.txt", {"path": "m.txt"}),
    ("PATCH", "api/contents/t.txt", None),
    ("POST", "api/contents/t.txt/checkpoints", None),
    ("GET", "api/contents/t.txt/checkpoints", None),
    ("POST", "api/contents/t.txt/checkpoints/checkpoint", None),
    ("DELETE", "api/contents/t.txt/checkpoints/checkpoint", None),
    ("DELETE", "api/contents/t.txt/checkpoints/checkpoint", None),
    ("DELETE", "api/contents/sub/moved.txt", None),
    ("DELETE", "api/contents/missing.txt", None),
    ("DELETE", "api/contents/dir2", None),
    ("GET", "files/b.bin", None),
    ("GET", "files/t.txt?download=1", None),
    ("GET", "files/missing.txt", None),
    ("GET", "files/.hidden", None),
]


def _summary(response: httpx.Response) -> dict[str, Any]:
    """What a client relies on: status, Location, model keys and identity, error reason."""
    summary: dict[str, Any] = {"status": response.status_code}
    summary["location"] = response.headers.get("location")
    content_type = response.headers.get("content-type", "")
    if response.request.url.path.startswith(f"{BASE_URL}files/"):
        if response.status_code == 200:  # (Jupyter's error pages are HTML, ours JSON)
            summary["content-type"] = content_type.split(";")[0]
            summary["body"] = response.content
        summary["attachment"] = "attachment" in response.headers.get("content-disposition", "")
        return summary
    if response.status_code < 300 and response.content:
        body = response.json()
        models = body if isinstance(body, list) else [body]
        summary["models"] = [
            {k: v for k, v in m.items() if k not in ("last_modified", "created", "content")}
            for m in models
        ]
    return summary


def test_rest_session_matches_jupyter_server(
    jupyter_server: tuple[httpx.Client, Path], api: Api
) -> None:
    jupyter, jupyter_root = jupyter_server
    for root in (jupyter_root, api.root):
        (root / "sub").mkdir()
        (root / "t.txt").write_text("hello\n")
        (root / "b.bin").write_bytes(b"\xff\xfe\x00")
        (root / ".hidden").write_text("h")
        (root / "bad.ipynb").write_text("{nope")
    for method, path, body in SESSION:
        kwargs = {} if body is None else {"json": body}
        expected = _summary(jupyter.request(method, BASE_URL + path, **kwargs))
        actual = _summary(api.request(method, "/" + path, **kwargs))
        assert actual == expected, (method, path, body)
