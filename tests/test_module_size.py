"""Modules a newcomer can hold in their head: over 300 lines only when they say why."""

from __future__ import annotations

from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "carnet"
LIMIT = 300


def test_long_modules_say_why_at_the_top() -> None:
    unexplained = [
        f"{path.relative_to(SOURCE)}: {count} lines"
        for path in sorted(SOURCE.rglob("*.py"))
        if (count := len(path.read_text().splitlines())) > LIMIT
        and not path.read_text().startswith("# Over 300 lines: ")
    ]
    assert unexplained == []
