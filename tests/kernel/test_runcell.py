"""Cells run through IPython's coroutine API (runcell.py) keep what run_cell gave."""

from __future__ import annotations

import ast

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from tests.kernel.helpers import evaluate, execute, of_type, stream_text

Kernel = tuple[KernelManager, BlockingKernelClient]


def test_top_level_await_runs_on_the_loop(kernel: Kernel) -> None:
    _, kc = kernel
    reply, outputs = execute(kc, "import asyncio\nawait asyncio.sleep(0)\nprint('awaited')")
    assert reply["content"]["status"] == "ok"
    assert stream_text(outputs) == "awaited\n"


def test_a_cell_may_start_its_own_event_loop(kernel: Kernel) -> None:
    _, kc = kernel
    code = "import asyncio\nasync def f():\n    return 41\nasyncio.run(f()) + 1"
    reply, outputs = execute(kc, code)
    assert reply["content"]["status"] == "ok"
    [result] = of_type(outputs, "execute_result")
    assert result["content"]["data"]["text/plain"] == "42"


def test_post_execute_and_post_run_cell_see_each_cell(kernel: Kernel) -> None:
    _, kc = kernel
    setup = (
        "_seen = []\n"
        "get_ipython().events.register('post_execute', lambda: _seen.append('execute'))\n"
        "get_ipython().events.register("
        "'post_run_cell', lambda r: _seen.append(('cell', r.success, r.info.raw_cell)))\n"
    )
    assert execute(kc, setup)[0]["content"]["status"] == "ok"
    execute(kc, "1/0")
    assert execute(kc, "x = 1", silent=True)[0]["content"]["status"] == "ok"
    # The setup cell's own events came after its callbacks were registered; silent
    # cells (this evaluate() too) have no post_run_cell.
    assert ast.literal_eval(evaluate(kc, "_seen")) == [
        "execute",
        ("cell", True, setup),
        "execute",
        ("cell", False, "1/0"),
        "execute",
        "execute",
    ]


def test_a_cell_that_does_not_transform_fails_with_its_error(kernel: Kernel) -> None:
    _, kc = kernel
    reply, outputs = execute(kc, "def f(:\n    pass")
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "SyntaxError"
    assert of_type(outputs, "error")


def test_cell_magics_and_counts_still_apply(kernel: Kernel) -> None:
    _, kc = kernel
    first, _ = execute(kc, "%%capture captured\nprint('hidden')")
    second, outputs = execute(kc, "captured.stdout")
    assert first["content"]["status"] == "ok"
    assert second["content"]["execution_count"] == first["content"]["execution_count"] + 1
    [result] = of_type(outputs, "execute_result")
    assert result["content"]["data"]["text/plain"] == "'hidden\\n'"
