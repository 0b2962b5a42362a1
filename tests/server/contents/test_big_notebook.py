"""A 10 MB notebook saves and loads through /api/contents whole, again and again.

How fast (server CPU and wall time, side by side with Jupyter) is a figure of
bench/run.py's server suite (save_10mb_lines_*, load_10mb_lines_*), not a test.
"""

from __future__ import annotations

import json

import pytest

from tests.server.contents.conftest import Api
from tests.support.notebooks import TARGET_BYTES, line_heavy_notebook

pytestmark = pytest.mark.slow


def test_ten_megabyte_notebook_saves_and_loads_whole(api: Api) -> None:
    nb = line_heavy_notebook(1500)
    body = json.dumps({"type": "notebook", "content": nb}).encode()
    headers = {"Content-Type": "application/json"}
    for _ in range(3):
        saved = api.request("PUT", "/api/contents/big.ipynb", content=body, headers=headers)
        assert saved.status_code in (200, 201), saved.text[:200]
        (api.root / "big.ipynb").touch()  # a changed file: no cached validation
        loaded = api.get("/api/contents/big.ipynb")
        assert loaded.status_code == 200, loaded.text[:200]
    size = (api.root / "big.ipynb").stat().st_size
    assert size >= TARGET_BYTES
    model = loaded.json()
    # Opening marks each code cell's trust (checked in tests/trust); the rest is as saved.
    marks = [cell["metadata"].pop("trusted") for cell in model["content"]["cells"]]
    assert marks == [False] * len(nb["cells"])  # foreign HTML output, never signed
    assert model["content"] == nb and "message" not in model
