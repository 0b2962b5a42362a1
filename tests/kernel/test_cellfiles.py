"""Cells run from real files, as in ipykernel: getsource, tracebacks and debuggers find them."""

from __future__ import annotations

import os
from pathlib import Path

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from tests.kernel.conftest import start_kernel, stop_kernel
from tests.kernel.helpers import execute, of_type, stream_text

Kernel = tuple[KernelManager, BlockingKernelClient]

DEFINITION = "def halve(n):\n    return n / 0\n"


def test_a_function_defined_in_a_cell_has_a_source_file(kernel: Kernel) -> None:
    _, kc = kernel
    reply, _ = execute(kc, DEFINITION)
    assert reply["content"]["status"] == "ok"
    code = (
        "import inspect, linecache, traceback\n"
        "print(inspect.getfile(halve))\n"
        "linecache.clearcache()  # what pdb and others may do: the file is still there\n"
        "print(inspect.getsource(halve), end='')\n"
        "try:\n"
        "    halve(4)\n"
        "except ZeroDivisionError:\n"
        "    print(traceback.format_exc(), end='')\n"
    )
    reply, outputs = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    text = stream_text(outputs)
    path, _, rest = text.partition("\n")
    assert os.path.isabs(path) and path.endswith(".py"), path
    assert Path(path).read_text(encoding="utf-8") == DEFINITION
    assert rest.startswith(DEFINITION)
    assert f'File "{path}", line 2, in halve\n' in rest
    # The same code is the same file, the way ipykernel names cells by their source.
    _, outputs = execute(kc, DEFINITION + "print(inspect.getfile(halve))")
    assert stream_text(outputs) != path + "\n"
    _, outputs = execute(kc, DEFINITION)
    _, outputs = execute(kc, "print(inspect.getfile(halve))")
    assert stream_text(outputs) == path + "\n"


def test_tracebacks_label_cells_and_name_their_files() -> None:
    km, kc = start_kernel()
    try:
        execute(kc, DEFINITION)
        reply, outputs = execute(kc, "halve(2)")
        assert reply["content"]["status"] == "error"
        (error,) = of_type(outputs, "error")
        # IPython's own traceback labels the cells by number, as with ipykernel...
        text = "\n".join(error["content"]["traceback"])
        assert "In[2]" in text and "In[1]" in text, text
        code = "import sys, traceback\nprint(traceback.extract_tb(sys.last_traceback)[-1].filename)"
        _, outputs = execute(kc, code)
        path = Path(stream_text(outputs).strip())
        # ...while the frames name the cell's file, in the kernel's own private directory.
        assert path.read_text(encoding="utf-8") == DEFINITION
        directory = path.parent
        assert directory.name.startswith("carnet_") and directory.stat().st_mode & 0o077 == 0
    finally:
        stop_kernel(km, kc)
    # Shutting down removes them.
    assert not directory.exists()
