"""Side by side with jupyter_server's FileContentsManager: the same models, names and files.

Both managers get identical directories and the same calls; their models must match
(timestamps aside, and the `trusted` cell marks that only the notebook-trust
feature adds), and so must the files they leave on disk, byte for byte.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.services.contents.filemanager import FileContentsManager

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
    return FileContentsManager(root_dir=str(theirs)), ContentsManager(ours), theirs, ours


def test_same_models_names_and_files(pair: tuple[Any, ContentsManager, Path, Path]) -> None:
    jupyter, carnet, theirs, ours = pair
    nb = jupyter.get("nbformat-test4.5.ipynb")["content"]
    calls: list[tuple[str, Callable[[Any], Any], Callable[[ContentsManager], Any]]] = [
        ("listing", lambda j: j.get(""), lambda c: c.get("")),
        (
            "listing, no content",
            lambda j: j.get("", content=False),
            lambda c: c.get("", content=False),
        ),
        ("text", lambda j: j.get("t.txt"), lambda c: c.get("t.txt")),
        (
            "text as base64",
            lambda j: j.get("t.txt", format="base64"),
            lambda c: c.get("t.txt", format="base64"),
        ),
        ("binary", lambda j: j.get("b.bin"), lambda c: c.get("b.bin")),
        ("image", lambda j: j.get("img.png"), lambda c: c.get("img.png")),
        (
            "image, no content",
            lambda j: j.get("img.png", content=False),
            lambda c: c.get("img.png", content=False),
        ),
        (
            "notebook",
            lambda j: j.get("nbformat-test4.5.ipynb"),
            lambda c: c.get("nbformat-test4.5.ipynb"),
        ),
        (
            "big notebook",
            lambda j: j.get("pdsh-04.01-Simple-Line-Plots.ipynb"),
            lambda c: c.get("pdsh-04.01-Simple-Line-Plots.ipynb"),
        ),
        (
            "notebook hash",
            lambda j: j.get("nbformat-test4.5.ipynb", content=False, require_hash=True),
            lambda c: c.get("nbformat-test4.5.ipynb", content=False, require_hash=True),
        ),
        (
            "notebook as file",
            lambda j: j.get("nbformat-test4.5.ipynb", type="file"),
            lambda c: c.get("nbformat-test4.5.ipynb", type="file"),
        ),
        (
            "untitled notebook",
            lambda j: j.new_untitled("", type="notebook"),
            lambda c: c.new_untitled("", type="notebook"),
        ),
        (
            "untitled notebook 2",
            lambda j: j.new_untitled("", type="notebook"),
            lambda c: c.new_untitled("", type="notebook"),
        ),
        (
            "untitled file",
            lambda j: j.new_untitled("", type="file"),
            lambda c: c.new_untitled("", type="file"),
        ),
        (
            "untitled text",
            lambda j: j.new_untitled("sub", type="file", ext=".txt"),
            lambda c: c.new_untitled("sub", type="file", ext=".txt"),
        ),
        (
            "untitled folder",
            lambda j: j.new_untitled("", type="directory"),
            lambda c: c.new_untitled("", type="directory"),
        ),
        (
            "untitled folder 2",
            lambda j: j.new_untitled("", type="directory"),
            lambda c: c.new_untitled("", type="directory"),
        ),
        (
            "copy",
            lambda j: j.copy("nbformat-test4.5.ipynb"),
            lambda c: c.copy("nbformat-test4.5.ipynb"),
        ),
        (
            "copy of copy",
            lambda j: j.copy("nbformat-test4.5-Copy1.ipynb"),
            lambda c: c.copy("nbformat-test4.5-Copy1.ipynb"),
        ),
        ("copy into", lambda j: j.copy("t.txt", "sub"), lambda c: c.copy("t.txt", "sub")),
        (
            "save notebook",
            lambda j: j.save({"type": "notebook", "content": nb}, "saved.ipynb"),
            lambda c: c.save(
                {"type": "notebook", "content": json.loads(json.dumps(nb))}, "saved.ipynb"
            ),
        ),
        (
            "save text",
            lambda j: j.save({"type": "file", "format": "text", "content": "x"}, "new.txt"),
            lambda c: c.save({"type": "file", "format": "text", "content": "x"}, "new.txt"),
        ),
        (
            "save base64",
            lambda j: j.save({"type": "file", "format": "base64", "content": "AAEC"}, "n.bin"),
            lambda c: c.save({"type": "file", "format": "base64", "content": "AAEC"}, "n.bin"),
        ),
        (
            "save directory",
            lambda j: j.save({"type": "directory"}, "dd"),
            lambda c: c.save({"type": "directory"}, "dd"),
        ),
        (
            "rename",
            lambda j: j.update({"path": "sub/r.txt"}, "new.txt"),
            lambda c: c.update({"path": "sub/r.txt"}, "new.txt"),
        ),
        (
            "checkpoints",
            lambda j: j.list_checkpoints("saved.ipynb"),
            lambda c: c.list_checkpoints("saved.ipynb"),
        ),
    ]
    for label, theirs_call, ours_call in calls:
        expected = _comparable(theirs_call(jupyter))
        actual = _comparable(run(ours_call(carnet)))
        assert actual == expected, label

    def tree(root: Path) -> dict[str, bytes | None]:
        return {
            str(p.relative_to(root)): p.read_bytes() if p.is_file() else None
            for p in sorted(root.rglob("*"))
        }

    assert tree(ours) == tree(theirs)
