"""Big notebooks and big outputs, for tests and benchmarks alike."""

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


# A cell printing its size, then showing a 2600 x 2600 PNG of random pixels (over 20 MB).
BIG_PNG = """
import struct, zlib, os
from IPython.display import Image, display
w = h = 2600
raw = b"".join(b"\\0" + os.urandom(w * 3) for _ in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b"")
print(len(png))
display(Image(data=png, format="png"))
"""

# A cell showing a 27 MB HTML table, then printing "after".
BIG_HTML = """
from IPython.display import HTML, display
rows = "".join(f"<tr><td>{i}</td><td>{'y' * 60}</td></tr>" for i in range(230_000))
display(HTML("<table>" + rows + "</table>"))
print("after")
"""
