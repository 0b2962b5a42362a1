"""Side by side with jupyter_server's AsyncFileContentsManager: same models, names, files.

Both managers get identical directories and the same calls; their models must match
(timestamps aside, and the `trusted` cell marks that only the notebook-trust
feature adds), and so must the files they leave on disk, byte for byte.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.services.contents.filemanager import AsyncFileContentsManager

from carnet.server.contents import ContentsManager
from tests.server.contents.conftest import SAMPLES, run


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
