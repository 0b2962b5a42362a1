"""execute_input, execute_result and execute_reply carry the same execution_count.

IPython 9 moves shell.execution_count on before a cell runs, IPython 8 after:
the kernel must give all three messages one number in both.
"""

from __future__ import annotations

from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from tests.kernel.helpers import execute, of_type

Kernel = tuple[KernelManager, BlockingKernelClient]


def counts(kc: BlockingKernelClient, code: str, **options: Any) -> tuple[int, list[int]]:
    """The reply's execution_count and those of the execute_input/execute_result messages."""
    reply, outputs = execute(kc, code, **options)
    numbered = of_type(outputs, "execute_input") + of_type(outputs, "execute_result")
    return reply["content"]["execution_count"], [m["content"]["execution_count"] for m in numbered]


def test_all_messages_of_a_cell_agree(fresh_kernel: Kernel) -> None:
    _, kc = fresh_kernel
    assert counts(kc, "1+1") == (1, [1, 1])
    assert counts(kc, "x = 3") == (2, [2])
    assert counts(kc, "x * 2") == (3, [3, 3])
    # A failing cell takes a number, at run time and before it (a syntax error).
    assert counts(kc, "1/0") == (4, [4])
    assert counts(kc, "1 +") == (5, [5])
    assert counts(kc, "x + 1") == (6, [6, 6])
    # Silent runs publish nothing and take no number.
    assert counts(kc, "x + 2", silent=True) == (6, [])
    # Unstored runs take no number either: they carry the last stored one.
    assert counts(kc, "x + 3", store_history=False) == (6, [6, 6])
    assert counts(kc, "x + 4") == (7, [7, 7])
    # Magics that time or wrap the code.
    assert counts(kc, "%time x + 5") == (8, [8, 8])
    assert counts(kc, "%%time\nx + 6") == (9, [9, 9])
    assert counts(kc, "%xmode Plain") == (10, [10])
    assert counts(kc, "%%capture captured\nprint('hidden')\nx") == (11, [11])
    assert counts(kc, "x") == (12, [12, 12])
    # Out[n] and _n name the number shown.
    assert counts(kc, "Out[12] + _3") == (13, [13, 13])
    _, outputs = execute(kc, "Out[13]")
    assert of_type(outputs, "execute_result")[0]["content"]["data"]["text/plain"] == "9"
