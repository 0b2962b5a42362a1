"""Reaping orphaned processes when the server runs as PID 1 (a container's init).

Orphans re-parented to PID 1 stay zombies unless PID 1 waits for them. Our own
children are waited for by whoever started them; to avoid stealing their exit
status, a zombie is only reaped once it has stayed a zombie across two scans.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from carnet.server import logs

SCAN_INTERVAL = 2.0


def zombie_children(parent: int) -> set[int]:
    """PIDs of exited, unreaped children of `parent` (from /proc)."""
    found: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # exited while we looked
        if len(fields) > 1 and fields[0] == "Z" and fields[1] == str(parent):
            found.add(int(entry.name))
    return found


def reap(pids: set[int]) -> int:
    """Wait for the given zombies; how many were reaped."""
    reaped = 0
    for pid in pids:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                reaped += 1
        except ChildProcessError:
            pass  # its owner waited for it meanwhile
    return reaped


async def reap_forever(interval: float = SCAN_INTERVAL) -> None:
    """Scan and reap until cancelled."""
    me = os.getpid()
    previous: set[int] = set()
    while True:
        current = zombie_children(me)
        count = reap(current & previous)
        if count:
            logs.server_log().debug("Reaped %d orphaned process(es)", count)
        previous = current
        await asyncio.sleep(interval)


def needed() -> bool:
    return os.getpid() == 1
