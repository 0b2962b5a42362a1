"""A 10 MB notebook saves and loads through /api/contents well under a second."""

from __future__ import annotations

import json
import statistics
import time

from tests.server.contents.conftest import Api

TARGET_BYTES = 10_000_000
LIMIT_SECONDS = 1.0


def big_notebook(cells: int) -> dict[str, object]:
    """Many cells with many-line outputs: the costliest shape per byte (lines, not blobs)."""
    made = []
    for k in range(cells):
        stream = "".join(f"step {k}.{j}: loss=0.{j:04d}\n" for j in range(110))
        html = "".join(f"<tr><td>{j}</td><td>{k * j}</td></tr>\n" for j in range(50))
        made.append(
            {
                "cell_type": "code",
                "id": f"cell-{k}",
                "execution_count": k + 1,
                "metadata": {"tags": ["generated"]},
                "source": f"import numpy as np\nx = {k}\nprint(x)",
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": stream},
                    {
                        "output_type": "execute_result",
                        "execution_count": k + 1,
                        "metadata": {},
                        "data": {"text/plain": f"<table {k}>", "text/html": html},
                    },
                ],
            }
        )
    return {"cells": made, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_ten_megabyte_notebook_saves_and_loads_fast(api: Api) -> None:
    nb = big_notebook(1500)
    body = json.dumps({"type": "notebook", "content": nb}).encode()
    headers = {"Content-Type": "application/json"}
    saves, loads = [], []
    for _ in range(3):
        start = time.perf_counter()
        saved = api.request("PUT", "/api/contents/big.ipynb", content=body, headers=headers)
        saves.append(time.perf_counter() - start)
        assert saved.status_code in (200, 201)
        (api.root / "big.ipynb").touch()  # a changed file: no cached validation
        start = time.perf_counter()
        loaded = api.get("/api/contents/big.ipynb")
        loads.append(time.perf_counter() - start)
        assert loaded.status_code == 200
        assert "message" not in loaded.json()
    size = (api.root / "big.ipynb").stat().st_size
    assert size >= TARGET_BYTES
    assert loaded.json()["content"] == nb
    save, load = statistics.median(saves), statistics.median(loads)
    print(f"\n{size / 1e6:.1f} MB notebook: save {save:.3f} s, load {load:.3f} s (median of 3)")
    assert save < LIMIT_SECONDS and load < LIMIT_SECONDS, (saves, loads)
