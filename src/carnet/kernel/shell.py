"""CarnetShell: IPython's InteractiveShell adapted to a kernel.

Tracebacks become `error` messages, `?` pager output and set_next_input
become execute_reply payloads, display goes through display.py. Only
imported once IPython is loaded (python.py imports it lazily), hence the
module-level IPython imports.
"""

from __future__ import annotations

import os
from typing import Any

from IPython.core import page, payloadpage  # noqa: TID253
from IPython.core.interactiveshell import InteractiveShell  # noqa: TID253

from carnet.kernel.display import CarnetDisplayHook, CarnetDisplayPublisher
from carnet.kernel.interpreter import KernelIO


class CarnetShell(InteractiveShell):
    displayhook_class = CarnetDisplayHook
    display_pub_class = CarnetDisplayPublisher

    # Set right after construction by python.py; no output happens before that.
    kernel_io: KernelIO
    # The last traceback shown, for the execute_reply of a failed cell.
    last_error: dict[str, Any] | None = None
    keepkernel_on_exit: bool | None = None

    def init_environment(self) -> None:
        env = os.environ
        # Subprocesses write to a pipe, not a terminal: keep colours, never page.
        env["TERM"] = "xterm-color"
        env["CLICOLOR"] = "1"
        env["PAGER"] = "cat"
        env["GIT_PAGER"] = "cat"

    def init_hooks(self) -> None:
        super().init_hooks()  # type: ignore[no-untyped-call]
        # `?` and %page send their text to the client as an execute_reply payload.
        hook = page.as_hook(payloadpage.page)  # type: ignore[no-untyped-call]
        self.set_hook("show_in_pager", hook, 99)  # type: ignore[no-untyped-call]

    def enable_gui(self, gui: str | None = None) -> None:
        # No GUI event loop integration in this kernel; inline figures need none.
        if gui not in (None, "inline"):
            raise NotImplementedError(f"GUI event loop {gui!r} is not supported by Carnet")

    def ask_exit(self) -> None:
        keep = bool(self.keepkernel_on_exit)
        self.exit_now = not keep
        self._payloads().write_payload({"source": "ask_exit", "keepkernel": keep})

    def set_next_input(self, text: str, replace: bool = False) -> None:
        self._payloads().write_payload(
            {"source": "set_next_input", "text": text, "replace": replace}
        )

    def _payloads(self) -> Any:
        return self.payload_manager

    def _showtraceback(self, etype: Any, evalue: Any, stb: Any) -> None:
        io = self.kernel_io
        io.capture.flush()
        error = {
            "ename": getattr(etype, "__name__", str(etype)),
            "evalue": str(evalue),
            "traceback": [str(line) for line in stb],
        }
        self.last_error = error
        with io.interrupts.deferred():
            io.iopub.send("error", error)
