"""Finding and reaping zombie children (what PID 1 must do)."""

from __future__ import annotations

import os
import subprocess
import time

from carnet.server import reaper


def test_zombies_are_found_and_reaped() -> None:
    child = subprocess.Popen(["true"])
    deadline = time.monotonic() + 10
    while child.pid not in reaper.zombie_children(os.getpid()):
        assert time.monotonic() < deadline, "the child never became a zombie"
        time.sleep(0.01)
    assert reaper.reap({child.pid}) == 1
    assert child.pid not in reaper.zombie_children(os.getpid())
    assert reaper.reap({child.pid}) == 0  # already gone: no error
    child.wait(5)  # Popen copes with a child someone else reaped


def test_running_children_are_not_zombies() -> None:
    child = subprocess.Popen(["sleep", "5"])
    try:
        assert child.pid not in reaper.zombie_children(os.getpid())
    finally:
        child.kill()
        child.wait(5)
