"""Which cells may show their output unsanitized: Jupyter's per-cell trust rules.

Only rich outputs (execute_result, display_data) can carry HTML or JavaScript; a
cell whose outputs are all streams and errors is safe whoever produced it. A cell
with rich output is trusted when the notebook's signature checks out, or when the
user produced that output (the UI then sets `metadata.trusted`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_RICH_OUTPUTS = ("execute_result", "display_data")
# Keys a rich output may have without carrying any data.
_HARMLESS_KEYS = frozenset({"output_type", "execution_count", "metadata"})


def code_cells(nb: dict[str, Any]) -> Iterator[dict[str, Any]]:
    cells = nb.get("cells")
    if not isinstance(cells, list):
        return
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            yield cell


def has_unsafe_output(cell: dict[str, Any]) -> bool:
    """Whether a code cell has output that could render as HTML or run JavaScript."""
    outputs = cell.get("outputs")
    if not isinstance(outputs, list):
        return False
    return any(
        isinstance(output, dict)
        and output.get("output_type") in _RICH_OUTPUTS
        and not _HARMLESS_KEYS.issuperset(output)
        for output in outputs
    )


def _metadata(cell: dict[str, Any]) -> dict[str, Any]:
    metadata = cell.get("metadata")
    if not isinstance(metadata, dict):
        metadata = cell["metadata"] = {}
    return metadata


def all_trusted(nb: dict[str, Any]) -> bool:
    """Whether every code cell with unsafe output is marked trusted (so saving may sign)."""
    return all(
        _metadata(cell).get("trusted") is True or not has_unsafe_output(cell)
        for cell in code_cells(nb)
    )


def mark(nb: dict[str, Any], signed: bool) -> None:
    """Set `metadata.trusted` on each code cell: all when signed, else the safe ones."""
    for cell in code_cells(nb):
        _metadata(cell)["trusted"] = signed or not has_unsafe_output(cell)
