"""Process probes from /proc: memory, CPU time, children (Linux only)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def rss_kib(pid: int) -> int:
    """Resident memory of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid} (a zombie?)")


def tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants (e.g. a server and its kernels)."""
    total = rss_kib(pid)
    for child in descendants(pid):
        with contextlib.suppress(OSError, RuntimeError):  # gone meanwhile, or a zombie
            total += rss_kib(child)
    return total


def thread_states(pid: int) -> list[str]:
    """Per thread of a process: its name and where the OS has it waiting (a stuck one's)."""
    lines = []
    for task in sorted(Path(f"/proc/{pid}/task").glob("*")):
        facts = []
        for name in ("comm", "wchan", "syscall"):
            try:
                facts.append((task / name).read_text().strip())
            except OSError:
                facts.append("?")
        lines.append(f"thread {task.name}: " + " | ".join(facts))
    return lines


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> set[int]:
    """Direct children of a process (any state, zombies included)."""
    found: set[int] = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) > 1 and fields[1] == str(pid):
            found.add(int(entry))
    return found


def descendants(pid: int) -> set[int]:
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children(todo.pop()) - found:
            found.add(child)
            todo.append(child)
    return found
