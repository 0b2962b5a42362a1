"""Saves and loads of 10 MB notebooks through /api/contents, for the server suite.

Two shapes: 2,000 cells of one long output each, and the costliest per byte, many
cells of many-line outputs (tests.support.notebooks, the one tests/server/contents
saves and loads). Each figure is the median of a few requests, wall time and the
server's CPU time (on a shared machine the latter varies far less). The line-heavy
figures hold the bounds that were test assertions: under 0.8 s of server CPU and
5 s of wall time per request. Targets are issue #16's: loads <= 0.1x Jupyter and ahead
of Jupyverse, saves <= 0.2x Jupyter.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from tests.support.notebooks import line_heavy_notebook, python3_notebook

from bench.compare import Target

SAMPLES = 5

TARGETS = {
    "save_10mb_s": Target(ratio=0.2),
    "load_10mb_s": Target(ratio=0.1, ahead_of_jupyverse=True),
    "load_10mb_unchanged_s": Target(ratio=0.1, ahead_of_jupyverse=True),
    "save_10mb_lines_s": Target(ratio=0.2, limit=5.0),
    "load_10mb_lines_s": Target(ratio=0.1, limit=5.0, ahead_of_jupyverse=True),
    "load_10mb_lines_unchanged_s": Target(ratio=0.1, limit=5.0, ahead_of_jupyverse=True),
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
    return python3_notebook(cells)


def _cells(response: httpx.Response) -> int:
    content = response.json()["content"]
    if isinstance(content, str):  # Jupyverse sends the file's text
        content = json.loads(content)
    return len(content["cells"])


def measure(http: httpx.Client, cpu_s: Callable[[], float], root: Path) -> dict[str, float]:
    """Both shapes' figures, saved as 10mb.ipynb and 10mb_lines.ipynb under the server's root.

    A load is timed from the request to the whole body received (the client's own
    parse of it is the same for every server and left out). `load_*` is a notebook
    whose bytes changed since any load (one trailing space more each time: nothing
    known of it helps); `load_*_unchanged` the same file opened again, as a reload does.
    """
    figures: dict[str, float] = {}
    for name, nb in (("10mb", big_notebook()), ("10mb_lines", line_heavy_notebook(1500))):
        # As JupyterLab sends it: Jupyverse requires the path in the body.
        model = {"type": "notebook", "format": "json", "path": f"{name}.ipynb", "content": nb}
        body = json.dumps(model)
        path = f"api/contents/{name}.ipynb"
        file = root / f"{name}.ipynb"
        # The first save creates the file and its checkpoint; each server is timed the same way.
        saves, save_cpu = [], []
        for _ in range(SAMPLES):
            c0, t0 = cpu_s(), time.perf_counter()
            http.put(path, content=body).raise_for_status()
            saves.append(time.perf_counter() - t0)
            save_cpu.append(cpu_s() - c0)
        saved = file.read_bytes()
        for kind in ("", "_unchanged"):
            loads, load_cpu = [], []
            for i in range(SAMPLES):
                if not kind:
                    file.write_bytes(saved + b" " * (i + 1))
                c0, t0 = cpu_s(), time.perf_counter()
                response = http.get(path)
                response.raise_for_status()
                loads.append(time.perf_counter() - t0)
                load_cpu.append(cpu_s() - c0)
                if _cells(response) != len(nb["cells"]):
                    raise RuntimeError(f"{path}: the notebook did not load whole")
            figures[f"load_{name}{kind}_s"] = statistics.median(loads)
            figures[f"load_{name}{kind}_server_cpu_s"] = statistics.median(load_cpu)
        figures[f"save_{name}_s"] = statistics.median(saves)
        figures[f"save_{name}_server_cpu_s"] = statistics.median(save_cpu)
    return figures
