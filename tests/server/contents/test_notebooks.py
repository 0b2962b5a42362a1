"""Real notebooks through /api/contents: loading, upgrading, byte-stable saving, bad files.

nbformat (the reference implementation) is the oracle: what we send must be what
nbformat reads, and what we write must be what nbformat writes.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat

from tests.server.contents.conftest import SAMPLES, Api

SAMPLE_NAMES = sorted(p.name for p in SAMPLES.glob("*.ipynb"))
V4_SAMPLES = [n for n in SAMPLE_NAMES if json.loads((SAMPLES / n).read_text())["nbformat"] == 4]
OLD_SAMPLES = [n for n in SAMPLE_NAMES if n not in V4_SAMPLES]


def _copy(api: Api, name: str) -> Path:
    target = api.root / name
    shutil.copyfile(SAMPLES / name, target)
    target.chmod(0o644)
    return target


def _reference(raw: str) -> dict[str, object]:
    """What nbformat reads from a v4 file, as plain JSON data."""
    node = nbformat.reads(raw, as_version=nbformat.NO_CONVERT)
    return json.loads(json.dumps(node))


def _without_ids(nb: dict[str, object]) -> dict[str, object]:
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:  # type: ignore[attr-defined]
        cell.pop("id", None)
    return _without_trust_marks(nb)


def _without_trust_marks(nb: dict[str, object]) -> dict[str, object]:
    """A model without the per-cell trust marks opening adds (tested in tests/trust)."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:  # type: ignore[attr-defined]
        cell["metadata"].pop("trusted", None)
    return nb


def test_samples_are_present() -> None:
    assert len(V4_SAMPLES) >= 5 and len(OLD_SAMPLES) >= 2


def test_v4_samples_load_as_nbformat_reads_them(api: Api) -> None:
    for name in V4_SAMPLES:
        _copy(api, name)
        response = api.get(f"/api/contents/{name}")
        assert response.status_code == 200, name
        model = response.json()
        assert (model["type"], model["format"], model["mimetype"]) == ("notebook", "json", None)
        assert model["size"] == (SAMPLES / name).stat().st_size
        expected = _reference((SAMPLES / name).read_text())
        assert _without_trust_marks(model["content"]) == expected, name


def test_v4_samples_save_exactly_as_nbformat_writes_them(api: Api) -> None:
    for name in V4_SAMPLES:
        path = _copy(api, name)
        original = path.read_bytes()
        content = api.get(f"/api/contents/{name}").json()["content"]
        body = {"type": "notebook", "content": content}
        assert api.request("PUT", f"/api/contents/{name}", json=body).status_code == 200
        written = path.read_bytes()
        node = nbformat.reads(original.decode(), as_version=nbformat.NO_CONVERT)
        assert written == (nbformat.writes(node) + "\n").encode(), name
        # Saving what was just saved changes nothing.
        again = api.get(f"/api/contents/{name}").json()["content"]
        api.request("PUT", f"/api/contents/{name}", json={"type": "notebook", "content": again})
        assert path.read_bytes() == written, name


def test_canonical_notebooks_round_trip_byte_for_byte(api: Api) -> None:
    stable = 0
    for name in V4_SAMPLES:
        raw = (SAMPLES / name).read_text()
        canonical = nbformat.writes(nbformat.reads(raw, as_version=nbformat.NO_CONVERT)) + "\n"
        if canonical != raw:
            continue
        path = _copy(api, name)
        content = api.get(f"/api/contents/{name}").json()["content"]
        api.request("PUT", f"/api/contents/{name}", json={"type": "notebook", "content": content})
        assert path.read_text() == raw, name
        stable += 1
    assert stable >= 4


def test_old_formats_are_upgraded_to_v4(api: Api) -> None:
    for name in OLD_SAMPLES:
        path = _copy(api, name)
        original = path.read_bytes()
        model = api.get(f"/api/contents/{name}").json()
        assert model["content"]["nbformat"] == 4, name
        assert "message" not in model, name
        upgraded = json.loads(json.dumps(nbformat.read(SAMPLES / name, as_version=4)))
        assert _without_ids(model["content"]) == _without_ids(upgraded), name
        assert path.read_bytes() == original  # reading never rewrites the file
        body = {"type": "notebook", "content": model["content"]}
        assert api.request("PUT", f"/api/contents/{name}", json=body).status_code == 200
        saved = json.loads(path.read_text())
        assert saved["nbformat"] == 4 and "orig_nbformat" not in saved["metadata"], name


def test_invalid_notebook_loads_with_a_validation_message(api: Api) -> None:
    _copy(api, "nbformat-invalid.ipynb")
    model = api.get("/api/contents/nbformat-invalid.ipynb").json()
    assert model["content"]["cells"]
    assert model["message"].startswith("Notebook validation failed")
    for name in V4_SAMPLES:
        if name != "nbformat-invalid.ipynb":
            _copy(api, name)
            assert "message" not in api.get(f"/api/contents/{name}").json(), name


def test_missing_and_duplicate_cell_ids_are_repaired(api: Api) -> None:
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": "a"},
            {"cell_type": "markdown", "id": "same", "metadata": {}, "source": "b"},
            {"cell_type": "markdown", "id": "same", "metadata": {}, "source": "c"},
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (api.root / "ids.ipynb").write_text(json.dumps(nb))
    model = api.get("/api/contents/ids.ipynb").json()
    ids = [cell["id"] for cell in model["content"]["cells"]]
    assert len(set(ids)) == 3 and ids[1] == "same"
    assert "message" not in model


CORRUPTED = [
    b"",
    b"{not json",
    b'{"cells": []}',
    b"[1, 2, 3]",
    b'{"nbformat": 5, "nbformat_minor": 0, "cells": [], "metadata": {}}',
    b"\xff\xfe\x00garbage",
]


def test_corrupted_notebooks_are_refused_and_never_overwritten(api: Api) -> None:
    for number, raw in enumerate(CORRUPTED):
        _check_corrupted(api, f"broken{number}.ipynb", raw)


def _check_corrupted(api: Api, name: str, raw: bytes) -> None:
    path = api.root / name
    path.write_bytes(raw)
    response = api.get(f"/api/contents/{name}")
    assert (response.status_code, response.json()["reason"]) == (400, "unreadable notebook")
    assert name in response.json()["message"]
    assert str(api.root) not in response.text  # no server paths leak
    # Nothing a client does without content replaces it with an empty notebook.
    assert api.request("POST", "/api/contents", json={"type": "notebook"}).status_code == 201
    assert api.request("PUT", f"/api/contents/{name}").status_code in (400, 404)
    no_content = api.request("PUT", f"/api/contents/{name}", json={"type": "notebook"})
    assert no_content.status_code == 400
    checkpoint = api.request("POST", f"/api/contents/{name}/checkpoints")
    assert checkpoint.status_code == 201
    restored = api.request("POST", f"/api/contents/{name}/checkpoints/checkpoint")
    assert restored.status_code == 204
    as_file = api.get(f"/api/contents/{name}", params={"type": "file", "format": "base64"})
    assert as_file.status_code == 200
    assert path.read_bytes() == raw
