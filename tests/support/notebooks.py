"""Big notebooks and big outputs, for tests and benchmarks alike."""

from __future__ import annotations

import base64
import struct
import zlib
from typing import Any

TARGET_BYTES = 10_000_000


def python3_notebook(cells: list[dict[str, Any]]) -> dict[str, Any]:
    """An nbformat 4.5 notebook of `cells`, with the python3 kernelspec."""
    return {
        "cells": cells,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


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
def small_png(width: int = 160, height: int = 120) -> str:
    """A small deterministic plot-like PNG (a few kB of base64), made without an imaging library."""
    rows = b"".join(
        b"\x00"
        + bytes(c for x in range(width) for c in (x // 10 * 16, y // 10 * 20, 255 - x // 10 * 16))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
    return base64.b64encode(png + chunk(b"IEND", b"")).decode()


def shaped_notebook(cells: int = 2000) -> dict[str, Any]:
    """A notebook shaped like real ones (issue 16): every tenth cell markdown, every code cell
    with a ~75-line stdout stream, a small PNG every 50 cells; about 10 MB for 2,000 cells.
    Deterministic: the same bytes on every run."""
    out = []
    png = small_png()
    for i in range(cells):
        if i % 10 == 9:
            out.append(
                {
                    "cell_type": "markdown",
                    "id": f"md-{i}",
                    "metadata": {},
                    "source": f"## Step {i}\n\nNotes on *step* {i}: the loss went down.",
                }
            )
            continue
        lines = "".join(
            f"epoch {i:4d} batch {b:3d} loss={((i * 75 + b) % 9973) / 9973:.6f} acc=0.{b:04d}"
            f" lr=1e-3 grad={(i * b) % 1000:04d}e-4 t={b + 100}ms\n"
            for b in range(75)
        )
        outputs: list[dict[str, Any]] = [{"output_type": "stream", "name": "stdout", "text": lines}]
        if i % 50 == 0:
            outputs.append(
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"image/png": png, "text/plain": "<Figure size 160x120>"},
                }
            )
        out.append(
            {
                "cell_type": "code",
                "execution_count": i + 1,
                "id": f"code-{i}",
                "metadata": {},
                "source": f"for b in range(75):\n    print(f'epoch {i} batch {{b}}', step(b))",
                "outputs": outputs,
            }
        )
    return python3_notebook(out)


# Code making `png`, a 2600 x 2600 PNG of random pixels (over 20 MB), and importing
# Image and display.
MAKE_BIG_PNG = """
import struct, zlib, os
from IPython.display import Image, display
w = h = 2600
raw = b"".join(b"\\0" + os.urandom(w * 3) for _ in range(h))
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b"")
"""

# Displaying it, once MAKE_BIG_PNG ran.
SHOW_BIG_PNG = 'display(Image(data=png, format="png"))\n'

# A cell making and showing it.
BIG_PNG = MAKE_BIG_PNG + "print(len(png))\n" + SHOW_BIG_PNG

# A cell showing a 27 MB HTML table, then printing "after".
BIG_HTML = """
from IPython.display import HTML, display
rows = "".join(f"<tr><td>{i}</td><td>{'y' * 60}</td></tr>" for i in range(230_000))
display(HTML("<table>" + rows + "</table>"))
print("after")
"""
