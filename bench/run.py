"""Run the side-by-side benchmarks and print ratios (Carnet / Jupyter).

Usage: python bench/run.py [kernel|server|browser] [--quick]
Results are also written to bench/results/<suite>.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    suites = [a for a in argv if not a.startswith("-")] or ["kernel", "server"]
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    for suite in suites:
        if suite == "kernel":
            from bench import kernel_bench

            report = (
                kernel_bench.run(round_trips=100, prints=20_000, starts=2)
                if quick
                else kernel_bench.run()
            )
        elif suite == "server":
            from bench import server_bench

            report = (
                server_bench.run(round_trips=100, prints=20_000) if quick else server_bench.run()
            )
        elif suite == "browser":
            from bench import browser_bench

            report = browser_bench.run()
        else:
            print(f"unknown suite {suite!r}", file=sys.stderr)
            return 2
        (out_dir / f"{suite}.json").write_text(json.dumps(report, indent=2))
        print(f"\n== {suite} ==")
        print(f"{'metric':<22}{'carnet':>12}{'jupyter':>12}{'ratio':>8}  target   met")
        for row in report["comparison"]:
            print(
                f"{row['metric']:<22}{row['carnet']:>12.3f}{row['jupyter']:>12.3f}"
                f"{row['ratio']:>8.2f}  {row['target']:<8} {'yes' if row['met'] else 'NO'}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
