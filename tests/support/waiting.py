"""Waiting for a condition, never for a fixed time: the one polling helper of tests and benches."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest


def wait_until(
    check: Callable[[], Any], timeout: float = 20.0, what: str | Callable[[], str] = ""
) -> Any:
    """Poll `check` until it returns something truthy and return that; fail after `timeout`.

    `what` names the condition in the failure; a callable is asked then, so that it can
    say what was seen at the end rather than at the start.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            pytest.fail(f"timed out after {timeout}s waiting for {said or check}")
        time.sleep(0.05)
