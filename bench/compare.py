"""Side-by-side rows: Carnet's figure, Jupyter's, their ratio, and whether the target is met."""

from __future__ import annotations

from typing import Any

Targets = dict[str, tuple[str, float]]


def compare(ours: dict[str, float], theirs: dict[str, float], targets: Targets) -> list[Any]:
    rows = []
    for metric, (direction, target) in targets.items():
        mine, other = ours[metric], theirs[metric]
        ratio = mine / other if other else float("inf")
        met = ratio <= target if direction == "<=" else ratio >= target
        rows.append(
            {
                "metric": metric,
                "carnet": mine,
                "jupyter": other,
                "ratio": ratio,
                "target": f"{direction} {target}",
                "met": met,
            }
        )
    return rows
