"""Hold a kernel's IPython import until the test opens the gate.

The kernel answers requests while IPython imports on a thread; what happens to a
request that lands in that window must not depend on how fast the machine is.
The gate is a sitecustomize module on the kernel's PYTHONPATH: the import thread
stops at IPython's interactiveshell (or another module), says so with a file that
lists the modules imported by then, and waits for another file.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.waiting import wait_until

GATED_MODULE = "IPython.core.interactiveshell"

_SITECUSTOMIZE = """\
import importlib.machinery
import os
import sys
import time


class _GatedLoader:
    # Waits in exec_module, under the module's own lock: a finder would wait holding
    # the global import lock, and stop every import in the process.
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        with open({reached!r} + ".tmp", "w") as listing:
            listing.write("\\n".join(sorted(sys.modules)))
        os.replace({reached!r} + ".tmp", {reached!r})
        while not os.path.exists({opened!r}):
            time.sleep(0.005)
        self.loader.exec_module(module)


class _ImportGate:
    def find_spec(self, name, path=None, target=None):
        if name != {module!r}:
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        spec.loader = _GatedLoader(spec.loader)
        return spec


sys.meta_path.insert(0, _ImportGate())
"""


class ImportGate:
    def __init__(self, directory: Path, module: str = GATED_MODULE) -> None:
        self.directory = directory
        self.reached = directory / "reached"
        self.opened = directory / "opened"
        directory.mkdir(parents=True, exist_ok=True)
        source = _SITECUSTOMIZE.format(
            module=module, reached=str(self.reached), opened=str(self.opened)
        )
        (directory / "sitecustomize.py").write_text(source, encoding="utf-8")

    def env(self) -> dict[str, str]:
        """The environment for a kernel process whose IPython import waits at the gate."""
        paths = [str(self.directory), *filter(None, [os.environ.get("PYTHONPATH")])]
        return {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}

    def wait_reached(self, timeout: float = 30) -> None:
        wait_until(self.reached.exists, timeout=timeout, what="the import thread at the gate")

    def modules_at_gate(self) -> set[str]:
        """The modules the process had imported when it reached the gate."""
        self.wait_reached()
        return set(self.reached.read_text(encoding="utf-8").split("\n"))

    def open(self) -> None:
        self.opened.touch()
