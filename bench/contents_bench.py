"""Saves and loads of 10 MB notebooks through /api/contents, for the server suite.

Two shapes: 2,000 cells of one long output each, and the costliest per byte, many
cells of many-line outputs (tests.support.notebooks, the one tests/server/contents
saves and loads). Each figure is the median of a few requests, wall time and the
server's CPU time (on a shared machine the latter varies far less). The line-heavy
figures hold the bounds that were test assertions: under 0.8 s of server CPU and
5 s of wall time per request.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from tests.support.notebooks import line_heavy_notebook

from bench.compare import Target

SAMPLES = 5

TARGETS = {
    "save_10mb_s": Target(ratio=0.5),
    "load_10mb_s": Target(ratio=0.5),
    "save_10mb_lines_s": Target(ratio=0.5, limit=5.0),
    "load_10mb_lines_s": Target(ratio=0.5, limit=5.0),
    "save_10mb_lines_server_cpu_s": Target(ratio=0.5, limit=0.8),
    "load_10mb_lines_server_cpu_s": Target(ratio=0.5, limit=0.8),
}


def big_notebook(target_bytes: int = 10 * 1024 * 1024) -> dict[str, Any]:
    cells = []
    line = "x" * 100 + "\n"
    per_cell = target_bytes // 2000
    for i in range(2000):
        cells.append(
            {
                "cell_type": "code",
                "execution_count": i + 1,
                "id": f"cell-{i}",
                "metadata": {},
                "source": f"print({i})",
                "outputs": [
                    {
                        "output_type": "stream",
                        "name": "stdout",
                        "text": line * (per_cell // len(line)),
                    }
                ],
            }
        )
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def measure(http: httpx.Client, cpu_s: Callable[[], float], root: Path) -> dict[str, float]:
    """Both shapes' figures, saved as big.ipynb and lines.ipynb under the server's root."""
    figures: dict[str, float] = {}
    for name, nb in (("10mb", big_notebook()), ("10mb_lines", line_heavy_notebook(1500))):
        body = json.dumps({"type": "notebook", "content": nb})
        path = f"api/contents/{name}.ipynb"
        # The first save creates the file and its checkpoint; each server is timed the same way.
        saves, loads, save_cpu, load_cpu = [], [], [], []
        for _ in range(SAMPLES):
            c0, t0 = cpu_s(), time.perf_counter()
            http.put(path, content=body).raise_for_status()
            saves.append(time.perf_counter() - t0)
            save_cpu.append(cpu_s() - c0)
        for _ in range(SAMPLES):
            (root / f"{name}.ipynb").touch()  # a changed file: nothing cached from before
            c0, t0 = cpu_s(), time.perf_counter()
            response = http.get(path)
            response.raise_for_status()
            load_cpu.append(cpu_s() - c0)
            if len(response.json()["content"]["cells"]) != len(nb["cells"]):
                raise RuntimeError(f"{path}: the notebook did not load whole")
            loads.append(time.perf_counter() - t0)
        figures[f"save_{name}_s"] = statistics.median(saves)
        figures[f"load_{name}_s"] = statistics.median(loads)
        figures[f"save_{name}_server_cpu_s"] = statistics.median(save_cpu)
        figures[f"load_{name}_server_cpu_s"] = statistics.median(load_cpu)
    return figures
