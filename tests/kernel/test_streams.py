"""Printed text: one stream message per flush window, in order with other output."""

from __future__ import annotations

from pathlib import Path

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from tests.kernel.helpers import evaluate, execute, iopub_until_idle, shell_reply

Kernel = tuple[KernelManager, BlockingKernelClient]


def shape(outputs: list[dict[str, object]]) -> list[tuple[str, str]]:
    """(msg_type, stream name or '') of each output but execute_input."""
    result = []
    for msg in outputs:
        kind = str(msg["msg_type"])
        if kind != "execute_input":
            content: dict[str, str] = msg["content"]  # type: ignore[assignment]
            result.append((kind, content.get("name", "")))
    return result


def test_lines_printed_by_one_cell_are_one_message(kernel: Kernel) -> None:
    _, kc = kernel
    # The print and %time's report were two messages when the window was a few ms.
    _, outputs = execute(kc, "print('sorting an unsorted list:')\n%time sorted([3, 1, 2])")
    assert shape(outputs) == [("stream", "stdout"), ("execute_result", "")]
    assert outputs[1]["content"]["text"].startswith("sorting an unsorted list:\nCPU times:")
    _, outputs = execute(kc, "%xmode Verbose")
    assert shape(outputs) == [("stream", "stdout")]
    assert outputs[1]["content"]["text"] == "Exception reporting mode: Verbose\n"
    execute(kc, "%xmode Context")
    # Text written some ms apart, well inside ipykernel's 0.2 s window.
    _, outputs = execute(kc, "import time\nprint('a')\ntime.sleep(0.02)\nprint('b')")
    assert shape(outputs) == [("stream", "stdout")]
    assert outputs[1]["content"]["text"] == "a\nb\n"


def test_text_stays_ahead_of_what_follows_it(kernel: Kernel) -> None:
    _, kc = kernel
    code = (
        "import sys\n"
        "print('one')\n"
        "display('shown')\n"
        "print('two')\n"
        "print('oops', file=sys.stderr)\n"
        "from IPython.display import clear_output\n"
        "clear_output(wait=True)\n"
        "print('four')\n"
        "1 + 1"
    )
    _, outputs = execute(kc, code)
    assert shape(outputs) == [
        ("stream", "stdout"),
        ("display_data", ""),
        ("stream", "stdout"),
        ("stream", "stderr"),
        ("clear_output", ""),
        ("stream", "stdout"),
        ("execute_result", ""),
    ]
    texts = [m["content"].get("text") for m in outputs if m["msg_type"] == "stream"]
    assert texts == ["one\n", "two\n", "oops\n", "four\n"]
    _, outputs = execute(kc, "print('before')\n1/0")
    assert shape(outputs) == [("stream", "stdout"), ("error", "")]


def test_text_arrives_while_the_cell_still_runs(kernel: Kernel, tmp_path: Path) -> None:
    _, kc = kernel
    flag = tmp_path / "go"
    code = (
        "import os, time\n"
        "print('waiting')\n"
        f"while not os.path.exists({str(flag)!r}):\n"
        "    time.sleep(0.01)\n"
        "print('done')"
    )
    msg_id = kc.execute(code)
    while True:
        msg = kc.get_iopub_msg(timeout=10)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            break
    # The cell waits for the flag, so this text came from the timer, mid-cell.
    assert msg["content"]["text"] == "waiting\n"
    flag.touch()
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"
    outputs = iopub_until_idle(kc, msg_id)
    assert [m["content"]["text"] for m in outputs if m["msg_type"] == "stream"] == ["done\n"]


# IPython 9 keeps a cell's printed text in its output history (for %notebook); the
# kernel records it from its own streams (outhistory.py) with IPython's rules.
OUTPUT_HISTORY = """\
import sys
from IPython.display import display
class Loud:
    def _repr_html_(self):
        print('inside a repr')
        return '<b>loud</b>'
print('a'); print('b', file=sys.stderr); print('c', end='')
display(Loud())
sys.stdout.write('')
print('d')
Loud()
"""


def test_printed_text_is_in_ipython_output_history(kernel: Kernel) -> None:
    _, kc = kernel
    if evaluate(kc, "hasattr(get_ipython().history_manager, 'outputs')") != "True":
        return  # IPython 8 keeps no output history
    reply, _ = execute(kc, OUTPUT_HISTORY)
    count = reply["content"]["execution_count"]
    entries = evaluate(
        kc,
        f"[(o.output_type, o.bundle.get('stream')) "
        f"for o in get_ipython().history_manager.outputs[{count}]]",
    )
    # As IPython's own recording gives (the same test passed before the kernel did it):
    # consecutive writes to one stream extend one entry, an empty write adds nothing.
    assert entries == (
        "[('out_stream', ['a', '\\n']),\n"
        " ('err_stream', ['b', '\\n']),\n"
        " ('out_stream',\n"
        "  ['c', 'inside a repr', '\\n', 'd', '\\n', 'inside a repr', '\\n']),\n"
        " ('execute_result', None)]"
    ), entries


def test_libraries_can_tag_the_streams(kernel: Kernel) -> None:
    # OutStream keeps its own state in slots; an attribute a library sets on
    # sys.stdout (as some mark a stream they have wrapped) still goes to its dict.
    _, kc = kernel
    execute(kc, "import sys\nsys.stdout._wrapped_by = 'lib'")
    tagged = "sys.stdout._wrapped_by, vars(sys.stdout)['_wrapped_by']"
    assert evaluate(kc, tagged) == "('lib', 'lib')"
