"""Big notebooks of the costliest shape per byte, for tests and benchmarks alike."""

from __future__ import annotations

from typing import Any

TARGET_BYTES = 10_000_000


def line_heavy_notebook(cells: int) -> dict[str, Any]:
    """Many cells with many-line outputs: the costliest shape per byte (lines, not blobs).

    1,500 cells make a 10 MB notebook.
    """
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
