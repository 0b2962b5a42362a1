"""IPython's display machinery, published on IOPub.

`display()` and friends reach DisplayPublisher.publish, the value of the
last expression reaches DisplayHook; both become messages instead of text.
Only imported once IPython is loaded (python.py imports it lazily), hence
the module-level IPython imports.
"""

from __future__ import annotations

from typing import Any, cast

from IPython.core.displayhook import DisplayHook  # noqa: TID253
from IPython.core.displaypub import DisplayPublisher  # noqa: TID253

from carnet.kernel.interpreter import KernelIO
from carnet.protocol.content import ClearOutput, DisplayData, ExecuteResult, Transient


def _kernel_io(shell: Any) -> KernelIO:
    io: KernelIO = shell.kernel_io
    return io


class CarnetDisplayPublisher(DisplayPublisher):
    """display_data, update_display_data and clear_output messages."""

    def publish(
        self,
        data: dict[str, Any],
        metadata: dict[str, Any] | None = None,
        source: str | None = None,
        *,
        transient: dict[str, Any] | None = None,
        update: bool = False,
        **kwargs: Any,
    ) -> None:
        io = _kernel_io(self.shell)
        # Text printed before the display must reach the client before it.
        io.capture.flush()
        content: DisplayData = {
            "data": data,
            "metadata": metadata or {},
            # IPython hands it over untyped; display_id is its only key.
            "transient": cast(Transient, transient or {}),
        }
        with io.interrupts.deferred():
            io.iopub.send("update_display_data" if update else "display_data", content)

    def clear_output(self, wait: bool = False) -> None:
        io = _kernel_io(self.shell)
        io.capture.flush()
        clear: ClearOutput = {"wait": bool(wait)}
        io.iopub.send("clear_output", clear)


class CarnetDisplayHook(DisplayHook):
    """The result of a cell's last expression, as execute_result."""

    def start_displayhook(self) -> None:
        shell: Any = self.shell
        # Not shell.execution_count: IPython 9 has already moved it on to the next cell.
        count = getattr(shell, "current_execution_count", None)
        self._content: ExecuteResult | dict[str, Any] = {
            "execution_count": self.prompt_count if count is None else count,
            "data": {},
            "metadata": {},
        }

    def write_output_prompt(self) -> None:
        """No prompt text: the client shows Out[n] from execution_count."""

    def write_format_data(
        self, format_dict: dict[str, Any], md_dict: dict[str, Any] | None = None
    ) -> None:
        self._content["data"] = format_dict
        self._content["metadata"] = md_dict or {}

    def finish_displayhook(self) -> None:
        content = getattr(self, "_content", None)
        self._content = {}
        if not content or not content.get("data"):
            return
        io = _kernel_io(self.shell)
        io.capture.flush()
        with io.interrupts.deferred():
            io.iopub.send("execute_result", content)
