"""Side-by-side rows: Carnet's figure, Jupyter's, their ratio, and whether the target is met.

A target is a ratio to Jupyter's figure, an absolute limit on Carnet's (the bounds that
used to be test assertions: tests assert behaviour, never time), or both. A figure
Jupyter has no counterpart for is NaN in its column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Target:
    ratio: float | None = None  # Carnet / Jupyter at most this (at least, if higher_is_better)
    limit: float | None = None  # Carnet's own figure below this (above, if higher_is_better)
    higher_is_better: bool = False

    def describe(self) -> str:
        sign = ">=" if self.higher_is_better else "<="
        parts = [f"{sign}{self.ratio:g}x"] if self.ratio is not None else []
        if self.limit is not None:
            parts.append(f"{'>' if self.higher_is_better else '<'}{self.limit:g}")
        return " ".join(parts)

    def met(self, ours: float, ratio: float) -> bool:
        better = (lambda a, b: a >= b) if self.higher_is_better else (lambda a, b: a <= b)
        ok = not math.isnan(ours)
        if self.ratio is not None and not math.isnan(ratio):
            ok = ok and better(ratio, self.ratio)
        if self.limit is not None:
            ok = ok and better(ours, self.limit) and ours != self.limit
        return ok


Targets = dict[str, Target]


def compare(ours: dict[str, float], theirs: dict[str, float], targets: Targets) -> list[Any]:
    rows = []
    for metric, target in targets.items():
        mine, other = ours.get(metric, math.nan), theirs.get(metric, math.nan)
        ratio = math.nan if math.isnan(other) else (mine / other if other else math.inf)
        rows.append(
            {
                "metric": metric,
                "carnet": mine,
                "jupyter": other,
                "ratio": ratio,
                "target": target.describe(),
                "met": target.met(mine, ratio),
            }
        )
    return rows
