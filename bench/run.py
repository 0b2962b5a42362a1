"""Run the side-by-side benchmarks and print figures and ratios (Carnet / Jupyter).

Usage: python bench/run.py [kernel|server|trust|browser ...] [--quick]
(default: kernel, server and trust; browser drives Chromium against Notebook 7).
Results are also written to bench/results/<suite>.json. Run it from the repository root.
"""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SUITES = ("kernel", "server", "trust", "browser")


def run_suite(suite: str, quick: bool) -> dict[str, Any]:
    if suite == "kernel":
        from bench import kernel_bench

        if quick:
            return kernel_bench.run(round_trips=100, prints=20_000, starts=2)
        return kernel_bench.run()
    if suite == "server":
        from bench import server_bench

        return server_bench.run(round_trips=100, prints=20_000) if quick else server_bench.run()
    if suite == "trust":
        from bench import trust_bench

        return trust_bench.run(samples=1 if quick else 5)
    from bench import browser_bench

    return browser_bench.run(samples=1 if quick else 3)


def number(value: float) -> str:
    return f"{'n/a':>12}" if math.isnan(value) else f"{value:>12.3f}"


def print_report(suite: str, report: dict[str, Any]) -> None:
    rows = report["comparison"]
    third = any("jupyverse" in row for row in rows)
    print(f"\n== {suite} ==")
    extra = f"{'jupyverse':>12}{'ratio':>8}" if third else ""
    print(f"{'metric':<32}{'carnet':>12}{'jupyter':>12}{'ratio':>8}{extra}  {'target':<16} met")
    for row in rows:
        cells = f"{number(row['jupyverse'])}{ratio_text(row['ratio_jupyverse'])}" if third else ""
        met = "-" if row["met"] is None else "yes" if row["met"] else "NO"
        print(
            f"{row['metric']:<32}{number(row['carnet'])}{number(row['jupyter'])}"
            f"{ratio_text(row['ratio'])}{cells}  {row['target']:<16} {met}"
        )


def ratio_text(value: float) -> str:
    return f"{'n/a' if math.isnan(value) else f'{value:.2f}':>8}"


def compile_like_an_install() -> None:
    """Give Carnet's modules their bytecode files, as `pip install` does for every package.

    An editable checkout has none until a run writes them, and none is ever written under
    PYTHONDONTWRITEBYTECODE (or a stale one is recompiled at every import): every kernel
    and server started would compile Carnet's sources (30 ms of a kernel's start here)
    while Jupyter's, installed by pip, load theirs.
    """
    import compileall

    import carnet

    compileall.compile_dir(Path(carnet.__file__).parent, quiet=1)


def main(argv: list[str]) -> int:
    if "-h" in argv or "--help" in argv:
        print(__doc__)
        return 0
    quick = "--quick" in argv
    suites = [a for a in argv if not a.startswith("-")] or ["kernel", "server", "trust"]
    unknown = [s for s in suites if s not in SUITES]
    if unknown:
        print(f"unknown suite {unknown[0]!r}; one of {', '.join(SUITES)}", file=sys.stderr)
        return 2
    compile_like_an_install()
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    for suite in suites:
        report = run_suite(suite, quick)
        (out_dir / f"{suite}.json").write_text(json.dumps(report, indent=2))
        print_report(suite, report)
    return 0


if __name__ == "__main__":
    if not __package__:
        # `python bench/run.py` puts bench/ first on sys.path, not the repository: run this
        # file again as the module bench.run from the root, where `bench` and `tests.support`
        # import as packages.
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "bench.run", *sys.argv[1:]])
    raise SystemExit(main(sys.argv[1:]))
