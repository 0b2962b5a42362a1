"""ContentsManager used directly, as other server components (sessions, kernels) use it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carnet.errors import ContentsForbidden, ContentsNotFound, InvalidContents
from carnet.server.contents import ContentsManager
from tests.server.contents.conftest import run


def _notebook(cell_type: str) -> dict[str, object]:
    cell = {"cell_type": cell_type, "id": "a", "metadata": {}, "source": "x"}
    return {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_os_path_is_checked(cm: ContentsManager, root: Path) -> None:
    (root / "work").mkdir()
    assert cm.os_path("work") == root.resolve() / "work"
    assert cm.os_path("/work/") == root.resolve() / "work"
    assert cm.os_path("") == root.resolve()
    with pytest.raises(ContentsForbidden):
        cm.os_path("../elsewhere")
    with pytest.raises(ContentsNotFound):
        cm.os_path(".ssh")
    with pytest.raises(InvalidContents):
        cm.os_path("a\x00b")
    assert cm.is_hidden(".ssh/id_rsa") and not cm.is_hidden("work")
    assert ContentsManager(root, allow_hidden=True).is_hidden(".ssh") is False


def test_existence_queries(cm: ContentsManager, root: Path) -> None:
    (root / "d").mkdir()
    (root / "f.txt").write_text("")
    (root / ".h").write_text("")
    assert run(cm.dir_exists("d")) and run(cm.dir_exists("")) and not run(cm.dir_exists("f.txt"))
    assert run(cm.file_exists("f.txt")) and not run(cm.file_exists("d"))
    assert not run(cm.exists(".h")) and not run(cm.exists("../x")) and not run(cm.exists("zz"))


def test_validation_follows_changes_on_disk(cm: ContentsManager, root: Path) -> None:
    path = root / "n.ipynb"
    saved = run(cm.save({"type": "notebook", "content": _notebook("markdown")}, "n.ipynb"))
    assert "message" not in saved
    assert "message" not in run(cm.get("n.ipynb"))
    path.write_text(json.dumps(_notebook("sorcery")))  # another program breaks it
    assert run(cm.get("n.ipynb"))["message"].startswith("Notebook validation failed")
    path.write_text(json.dumps(_notebook("raw")))  # and fixes it
    assert "message" not in run(cm.get("n.ipynb"))
    broken = run(cm.save({"type": "notebook", "content": _notebook("sorcery")}, "n.ipynb"))
    assert "message" in broken and "message" in run(cm.get("n.ipynb"))


def test_future_minor_versions_validate_leniently(cm: ContentsManager, root: Path) -> None:
    nb = _notebook("markdown")
    nb["nbformat_minor"] = 99
    nb["cells"].append({"cell_type": "hologram", "id": "b", "metadata": {}})  # type: ignore[attr-defined]
    nb["future_key"] = True
    (root / "f.ipynb").write_text(json.dumps(nb))
    model = run(cm.get("f.ipynb"))
    assert "message" not in model
    assert model["content"]["cells"][1]["cell_type"] == "hologram"
    nb["nbformat_minor"] = 5
    (root / "p.ipynb").write_text(json.dumps(nb))
    assert "message" in run(cm.get("p.ipynb"))


def test_trust_hook_marks_on_read_and_signs_on_save(cm: ContentsManager, root: Path) -> None:
    seen: list[tuple[str, str, bool]] = []

    class Recorder:
        def mark(
            self, nb: dict[str, object], api_path: str, digest: str | None = None
        ) -> str | None:
            for cell in nb["cells"]:  # type: ignore[attr-defined]
                cell["metadata"]["trusted"] = True
            seen.append(("mark", api_path, True))
            return None

        def sign(self, nb: dict[str, object], api_path: str) -> str | None:
            trusted = all(c["metadata"].get("trusted") for c in nb["cells"])  # type: ignore[attr-defined]
            seen.append(("sign", api_path, trusted))
            return None

        def sign_parts(
            self, top: object, walks: list[bytes], all_trusted: bool, api_path: str
        ) -> str | None:
            seen.append(("sign", api_path, all_trusted))  # a save from cells kept or not
            return None

        def digest_parts(self, top: object, walks: list[bytes] | None) -> str | None:
            return None

        def signed(self, digest: str | None) -> bool | None:
            return None

    cm.trust = Recorder()
    nb = _notebook("code")
    output = {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<b>x</b>"}}
    nb["cells"][0].update(execution_count=None, outputs=[output])  # type: ignore[index]
    run(cm.save({"type": "notebook", "content": nb}, "t.ipynb"))
    model = run(cm.get("t.ipynb"))
    assert model["content"]["cells"][0]["metadata"]["trusted"] is True
    run(cm.save({"type": "notebook", "content": model["content"]}, "t.ipynb"))
    # The save is told whether every cell with rich output came marked trusted.
    assert seen == [
        ("sign", "t.ipynb", False),
        ("mark", "t.ipynb", True),
        ("sign", "t.ipynb", True),
    ]
    # Trust marks are transient: never written to the file.
    assert "trusted" not in (root / "t.ipynb").read_text()
