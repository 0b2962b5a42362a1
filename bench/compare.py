"""Side-by-side rows: Carnet's figure, Jupyter's, their ratio, and whether the target is met.

A target is a ratio to Jupyter's figure, an absolute limit on Carnet's (the bounds that
used to be test assertions: tests assert behaviour, never time), or both; a Target() with
neither is a row shown for context ("met" is None). A figure
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
    ahead_of_jupyverse: bool = False  # and better than Jupyverse's figure, where measured

    @property
    def informational(self) -> bool:
        """A figure shown side by side for context, with nothing to meet."""
        return self.ratio is None and self.limit is None and not self.ahead_of_jupyverse

    def describe(self) -> str:
        if self.informational:
            return "(context)"
        sign = ">=" if self.higher_is_better else "<="
        parts = [f"{sign}{self.ratio:g}x"] if self.ratio is not None else []
        if self.limit is not None:
            parts.append(f"{'>' if self.higher_is_better else '<'}{self.limit:g}")
        if self.ahead_of_jupyverse:
            parts.append("<jv" if not self.higher_is_better else ">jv")
        return " ".join(parts)

    def met(self, ours: float, ratio: float, ratio_jv: float = math.nan) -> bool:
        better = (lambda a, b: a >= b) if self.higher_is_better else (lambda a, b: a <= b)
        ok = not math.isnan(ours)
        if self.ratio is not None and not math.isnan(ratio):
            ok = ok and better(ratio, self.ratio)
        if self.limit is not None:
            ok = ok and better(ours, self.limit) and ours != self.limit
        if self.ahead_of_jupyverse and not math.isnan(ratio_jv):
            ok = ok and better(ratio_jv, 1.0) and ratio_jv != 1.0
        return ok


Targets = dict[str, Target]


def _ratio(mine: float, other: float) -> float:
    return math.nan if math.isnan(other) else (mine / other if other else math.inf)


def compare(
    ours: dict[str, float],
    theirs: dict[str, float],
    targets: Targets,
    jupyverse: dict[str, float] | None = None,
) -> list[Any]:
    """One row per target; with `jupyverse`, its figure and Carnet's ratio to it too."""
    rows = []
    for metric, target in targets.items():
        mine, other = ours.get(metric, math.nan), theirs.get(metric, math.nan)
        third = (jupyverse or {}).get(metric, math.nan)
        ratio, ratio_jv = _ratio(mine, other), _ratio(mine, third)
        row = {
            "metric": metric,
            "carnet": mine,
            "jupyter": other,
            "ratio": ratio,
            "target": target.describe(),
            "met": None if target.informational else target.met(mine, ratio, ratio_jv),
        }
        if jupyverse is not None:
            row.update(jupyverse=third, ratio_jupyverse=ratio_jv)
        rows.append(row)
    return rows
