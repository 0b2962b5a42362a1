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

from carnet.kernel.cellfiles import CellCompiler
from carnet.kernel.display import CarnetDisplayHook, CarnetDisplayPublisher
from carnet.kernel.facade import KernelFacade, as_parent
from carnet.kernel.interpreter import KernelIO
from carnet.kernel.interrupts import KERNEL_FRAME, without_kernel_frames
from carnet.protocol.content import ErrorContent, KernelInfoReply


class CarnetShell(InteractiveShell):
    displayhook_class = CarnetDisplayHook
    display_pub_class = CarnetDisplayPublisher
    # Cells compiled under real files, as ipykernel does (see cellfiles.py).
    compiler_class = CellCompiler

    # Set right after construction by python.py; no output happens before that.
    kernel_io: KernelIO
    # The last traceback shown, for the execute_reply of a failed cell.
    last_error: ErrorContent | None = None
    # The number of the execution being run, for execute_result (set by python.py).
    current_execution_count: int | None = None
    keepkernel_on_exit: bool | None = None
    # get_ipython().kernel, for libraries that look for one (see facade.py).
    kernel: KernelFacade | None = None

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

    async def run_code(self, code_obj: Any, result: Any = None, *, async_: bool = False) -> bool:
        """Run one top-level block of the cell with Ctrl-C armed.

        Ctrl-C that came while the cell waited (IPython importing, compiling)
        is raised here, before any of the user's code runs, and reported the
        way IPython reports an exception in user code.
        """
        __tracebackhide__ = KERNEL_FRAME
        gate = self.kernel_io.interrupts
        if gate.take_pending():
            # Shown with no frames at all: none of them is the user's, and IPython 9 no
            # longer drops the first frame of a traceback on its own.
            exc = KeyboardInterrupt()
            if result is not None:
                result.error_in_exec = exc
            self.showtraceback(  # type: ignore[no-untyped-call,unused-ignore]
                exc_tuple=(KeyboardInterrupt, exc, None), running_compiled_code=True
            )
            return True
        with gate.user_code():
            failed: bool = await super().run_code(code_obj, result, async_=async_)  # type: ignore[no-untyped-call]
        return failed

    def get_parent(self) -> dict[str, Any]:
        """The request being served, as a message dict, as ipykernel's shell has it."""
        parent = self.kernel_io.iopub.parent
        return parent.to_dict() if parent is not None else {}

    def set_parent(self, parent: dict[str, Any]) -> None:
        """Make `parent` the parent of the output that follows (until the next request)."""
        iopub = self.kernel_io.iopub
        header = parent.get("header") if isinstance(parent, dict) else None
        msg_id = header.get("msg_id") if isinstance(header, dict) else None
        if iopub.parent is not None and msg_id == iopub.parent.msg_id:
            return  # already so: keep the routing identities of the real request
        iopub.parent = as_parent(parent) if isinstance(parent, dict) else None

    def _get_exc_info(self, exc_tuple: Any = None) -> Any:
        # A KeyboardInterrupt is raised by the kernel's signal handler: users see their code.
        etype, value, tb = super()._get_exc_info(exc_tuple)  # type: ignore[no-untyped-call]
        interrupted = isinstance(etype, type) and issubclass(etype, KeyboardInterrupt)
        return etype, value, without_kernel_frames(tb, interrupted=interrupted)

    def _payloads(self) -> Any:
        return self.payload_manager

    def _showtraceback(self, etype: Any, evalue: Any, stb: Any) -> None:
        io = self.kernel_io
        io.capture.flush()
        error: ErrorContent = {
            "ename": getattr(etype, "__name__", str(etype)),
            "evalue": str(evalue),
            "traceback": [str(line) for line in stb],
        }
        self.last_error = error
        with io.interrupts.deferred():
            io.iopub.send("error", error)


def advertise_kernel(shell: CarnetShell, io: KernelIO, kernel_info: KernelInfoReply) -> None:
    """Let libraries find the kernel where ipykernel puts it (see facade.py)."""
    shell.kernel = KernelFacade(shell, io.iopub, kernel_info)
    connection_file = str(io.connection_file) if io.connection_file is not None else ""
    shell.config.IPKernelApp.connection_file = connection_file
