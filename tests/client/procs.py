"""What a process has open and running, read from /proc."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

# The `new_children` fixture (tests/conftest.py): children started since the test began.
NewChildren = Callable[[], list[tuple[int, str]]]


def open_fds() -> dict[int, str]:
    """This process's open descriptors and what each one is (a path, socket:[...], ...)."""
    found = {}
    for name in os.listdir("/proc/self/fd"):
        try:
            found[int(name)] = os.readlink(f"/proc/self/fd/{name}")
        except OSError:  # the descriptor listdir itself used, or one closed meanwhile
            continue
    return found


def children(pid: int | None = None) -> list[tuple[int, str]]:
    """(pid, state) of every direct child, zombies included."""
    parent = os.getpid() if pid is None else pid
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == parent:
            found.append((int(entry.name), fields[0]))
    return found
