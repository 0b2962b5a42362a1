"""Run one cell through IPython's public coroutine API, as ipykernel's async path does.

IPython 9's `run_cell` replaces sys.stdout.write and sys.stderr.write, for the
length of the cell, with a closure that records every write in the output
history (for %notebook); that closure costs more than the kernel's whole write,
so 200,000 print() calls took 0.49 s instead of 0.27 s. Driving `run_cell_async` ourselves keeps
IPython's own steps (transform, run, history, events) without the wrapper; the
kernel's OutStream records the same history itself (`outhistory.py`).
"""

from __future__ import annotations

import sys
from collections.abc import Coroutine
from typing import Any

from carnet.kernel.outhistory import recording


def _step(coro: Coroutine[Any, Any, Any]) -> Any:
    """Drive a coroutine that never awaits an event loop to its end.

    Cells that need no loop run like this, so they may start one themselves
    (asyncio.run, %run of a script that does).
    """
    try:
        coro.send(None)
    except StopIteration as finished:
        return finished.value
    coro.close()
    raise RuntimeError("this cell awaited outside an event loop")


def run_cell(shell: Any, code: str, store_history: bool, silent: bool) -> Any:
    """Run `code` as IPython's run_cell would and return its ExecutionResult."""

    # Like IPython's run_cell: what the events' callbacks print is recorded too.
    with recording(shell):
        return _run(shell, code, store_history, silent)


def _run(shell: Any, code: str, store_history: bool, silent: bool) -> Any:
    from IPython.core import interactiveshell

    failed_transform = None
    try:
        transformed = shell.transform_cell(code)
    except Exception:
        transformed = code
        failed_transform = sys.exc_info()
    coro = shell.run_cell_async(
        code,
        store_history=store_history,
        silent=silent,
        transformed_cell=transformed,
        preprocessing_exc_tuple=failed_transform,
    )
    if shell.trio_runner:
        runner = shell.trio_runner
    elif shell.should_run_async(
        code, transformed_cell=transformed, preprocessing_exc_tuple=failed_transform
    ):
        runner = shell.loop_runner
    else:
        runner = _step
    result = None
    try:
        result = runner(coro)
    except BaseException as error:
        # What escaped the runner (a KeyboardInterrupt between statements, a runner
        # failure) is the cell's error, shown as IPython shows it.
        ipython: Any = interactiveshell  # untyped
        info = ipython.ExecutionInfo(code, store_history, silent, True, None)
        result = ipython.ExecutionResult(info)
        result.error_in_exec = error
        shell.showtraceback(running_compiled_code=True)
    finally:
        shell.events.trigger("post_execute")
        if not silent:
            shell.events.trigger("post_run_cell", result)
    return result
