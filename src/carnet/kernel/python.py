# Over 300 lines: one Interpreter implementation, each method a short IPython call.
"""The Python interpreter behind Carnet's kernel, built on IPython.

Importing IPython takes a good part of a second, so it happens on a
background thread from the moment the kernel starts: kernel_info is answered
at once, and the shell itself is built on the main thread (signals and
SQLite history want it there) as soon as the imports are done.
"""

from __future__ import annotations

import builtins
import getpass
import os
import platform
import sys
import threading
from collections.abc import Callable
from typing import Any

from carnet import __version__
from carnet.kernel.interpreter import KernelIO
from carnet.kernel.interrupts import main_thread_signals
from carnet.kernel.runcell import run_cell
from carnet.protocol import PROTOCOL_VERSION
from carnet.protocol.content import (
    CompleteReply,
    ErrorContent,
    ExecuteReply,
    ExecuteReplyError,
    ExecuteReplyOk,
    HistoryReply,
    HistoryRequest,
    InspectReply,
    IsCompleteReply,
    KernelInfoReply,
    MimeBundle,
)

INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# While IPython imports on its thread, hand the GIL back to the main thread often so
# that requests answered during start-up (kernel_info) are not kept waiting.
STARTUP_SWITCH_INTERVAL = 0.0005
# History is written to SQLite when the kernel has been idle this long, not on the
# hot path of every execution.
HISTORY_SAVE_DELAY = 0.3


def _preload() -> None:
    """The imports that make the shell slow to build; safe off the main thread."""
    import IPython.core.completer
    import IPython.core.interactiveshell
    import IPython.utils.tokenutil  # noqa: F401

    import carnet.kernel.comm
    import carnet.kernel.shell  # noqa: F401


def _use_inline_figures() -> None:
    """Figures inline by default, as in ipykernel, without importing matplotlib now."""
    if "MPLBACKEND" in os.environ:
        return
    import importlib.util

    if importlib.util.find_spec("matplotlib_inline") is not None:
        os.environ["MPLBACKEND"] = INLINE_BACKEND


class PythonInterpreter:
    """Implements carnet.kernel.interpreter.Interpreter with IPython's InteractiveShell."""

    def __init__(self, io: KernelIO, on_loaded: Callable[[], None] | None = None) -> None:
        self._io = io
        self._shell: Any = None
        self._kernel_info: KernelInfoReply | None = None
        self._loaded = threading.Event()
        self._load_error: BaseException | None = None
        self._on_loaded = on_loaded
        _use_inline_figures()
        # Made before the import thread starts, so a client's first request finds it ready.
        self.kernel_info()
        threading.Thread(target=self._load, name="carnet-ipython-import", daemon=True).start()

    # -- start-up --------------------------------------------------------------------------

    def _load(self) -> None:
        interval = sys.getswitchinterval()
        sys.setswitchinterval(STARTUP_SWITCH_INTERVAL)
        try:
            _preload()
        except BaseException as exc:  # reported when the shell is first needed
            self._load_error = exc
        finally:
            sys.setswitchinterval(interval)
        self._loaded.set()
        if self._on_loaded is not None:
            self._on_loaded()

    @property
    def ready(self) -> bool:
        return self._shell is not None

    def prepare(self) -> None:
        if self._shell is None and self._loaded.is_set():
            self._build_shell()

    def wait_ready(self) -> None:
        if self._shell is None:
            self._loaded.wait()
            self._build_shell()

    @property
    def shell(self) -> Any:
        self.wait_ready()
        return self._shell

    def _build_shell(self) -> None:
        from carnet.kernel import startwatch

        try:
            self._make_shell()
        finally:
            startwatch.disarm()  # the start is over, well or not

    def _make_shell(self) -> None:
        if self._load_error is not None:
            raise RuntimeError(f"IPython failed to import: {self._load_error}")
        from carnet.kernel import comm
        from carnet.kernel.magics import register_magics
        from carnet.kernel.shell import CarnetShell, advertise_kernel

        comm.install(self._io.iopub, self._io.capture.flush)
        with main_thread_signals():  # IPython starts its history thread here
            shell = CarnetShell.instance()
        shell.kernel_io = self._io
        register_magics(shell, self._io.connection_file)
        advertise_kernel(shell, self._io, self.kernel_info())
        history: Any = shell.history_manager
        if getattr(history, "save_flag", None) is not None:
            # Saved by idle_work(): a commit per cell would cost milliseconds each.
            history.db_cache_size = 1 << 30
        self._shell = shell

    def idle_delay(self) -> float | None:
        """Seconds of idleness after which idle_work() should run, or None."""
        shell = self._shell
        if shell is None:
            return None
        history = shell.history_manager
        if history.save_flag is not None and history.db_input_cache:
            return HISTORY_SAVE_DELAY
        return None

    def idle_work(self) -> None:
        """Let IPython's history thread write the cached inputs and outputs to SQLite."""
        if self._shell is not None:
            self._shell.history_manager.save_flag.set()

    @property
    def execution_count(self) -> int:
        count: int = self.shell.execution_count
        return count

    def count_for(self, code: str, silent: bool, store_history: bool) -> int:
        """The execution_count that execute_input, execute_result and the reply carry.

        IPython 8 increments shell.execution_count after a stored cell, IPython 9
        before it (and its displayhook's prompt_count follows), so the number is
        fixed here, before the cell runs, the same way in both. A run that is not
        stored (silent, store_history=False, blank code) takes no number: it
        carries the last stored one, as ipykernel's execute_reply does.
        """
        if store_history and not silent and code.strip():
            return self.execution_count
        return self.execution_count - 1

    # -- requests --------------------------------------------------------------------------

    def kernel_info(self) -> KernelInfoReply:
        if self._kernel_info is None:
            from carnet.kernel.distinfo import installed_version

            python = platform.python_version()
            ipython = installed_version("IPython", "ipython")
            banner = (
                f"Python {sys.version}\n"
                "Type 'copyright', 'credits' or 'license' for more information\n"
                f"IPython {ipython} -- An enhanced Interactive Python. "
                "Type '?' for help.\n"
                f"Carnet kernel {__version__}\n"
            )
            self._kernel_info = {
                "status": "ok",
                "protocol_version": PROTOCOL_VERSION,
                "implementation": "carnet",
                "implementation_version": __version__,
                "language_info": {
                    "name": "python",
                    "version": python,
                    "mimetype": "text/x-python",
                    "file_extension": ".py",
                    "pygments_lexer": "ipython3",
                    "codemirror_mode": {"name": "ipython", "version": 3},
                    "nbconvert_exporter": "python",
                },
                "banner": banner,
                "help_links": [
                    {"text": "Python Reference", "url": "https://docs.python.org/3/"},
                    {"text": "IPython Reference", "url": "https://ipython.readthedocs.io/"},
                ],
                "debugger": False,
            }
        return self._kernel_info.copy()

    def execute(
        self,
        code: str,
        silent: bool,
        store_history: bool,
        user_expressions: dict[str, str],
        allow_stdin: bool,
    ) -> ExecuteReply:
        shell = self.shell
        shell.last_error = None
        count = self.count_for(code, silent, store_history)
        shell.current_execution_count = count
        stdin = self._io.stdin
        stdin.allowed = allow_stdin
        saved_input, saved_getpass = builtins.input, getpass.getpass
        builtins.input = stdin.input
        getpass.getpass = stdin.getpass
        try:
            result = run_cell(shell, code, store_history, silent)
        finally:
            builtins.input, getpass.getpass = saved_input, saved_getpass
            stdin.allowed = False
            shell.current_execution_count = None
        failure = result.error_before_exec or result.error_in_exec
        reply: ExecuteReplyOk | ExecuteReplyError
        if failure is not None:
            error: ErrorContent | None = shell.last_error
            if not error:
                error = {"ename": type(failure).__name__, "evalue": str(failure), "traceback": []}
            reply = {
                "execution_count": count,
                "status": "error",
                "ename": error["ename"],
                "evalue": error["evalue"],
                "traceback": error["traceback"],
                "user_expressions": {},
            }
        else:
            reply = {
                "execution_count": count,
                "status": "ok",
                "user_expressions": shell.user_expressions(user_expressions or {}),
            }
        reply["payload"] = shell.payload_manager.read_payload()
        shell.payload_manager.clear_payload()
        return reply

    def complete(self, code: str, cursor_pos: int) -> CompleteReply:
        from IPython.core.completer import provisionalcompleter, rectify_completions

        shell = self.shell
        with provisionalcompleter():
            raw = shell.Completer.completions(code, cursor_pos)
            completions = list(rectify_completions(code, raw))
        start = completions[0].start if completions else cursor_pos
        end = completions[0].end if completions else cursor_pos
        types = [
            {
                "start": c.start,
                "end": c.end,
                "text": c.text,
                "type": c.type,
                "signature": c.signature,
            }
            for c in completions
        ]
        return {
            "status": "ok",
            "matches": [c.text for c in completions],
            "cursor_start": start,
            "cursor_end": end,
            "metadata": {"_jupyter_types_experimental": types},
        }

    def inspect(self, code: str, cursor_pos: int, detail_level: int) -> InspectReply:
        from IPython.utils.tokenutil import token_at_cursor

        shell = self.shell
        name = token_at_cursor(code, cursor_pos)  # type: ignore[no-untyped-call,unused-ignore]
        data: MimeBundle = {}
        found = False
        if name:
            try:
                data = shell.object_inspect_mime(name, detail_level=detail_level)
                found = True
            except KeyError:
                found = False
        return {"status": "ok", "found": found, "data": data, "metadata": {}}

    def is_complete(self, code: str) -> IsCompleteReply:
        status, indent = self.shell.input_transformer_manager.check_complete(code)
        reply: IsCompleteReply = {"status": status}
        if status == "incomplete":
            reply["indent"] = " " * (indent or 0)
        return reply

    def history(self, request: HistoryRequest) -> HistoryReply:
        manager = self.shell.history_manager
        access = request.get("hist_access_type", "tail")
        raw = bool(request.get("raw", True))
        output = bool(request.get("output", False))
        if access == "tail":
            entries = manager.get_tail(
                int(request.get("n", 10)), raw=raw, output=output, include_latest=True
            )
        elif access == "range":
            entries = manager.get_range(
                int(request.get("session", 0)),
                int(request.get("start", 0)),
                request.get("stop"),
                raw=raw,
                output=output,
            )
        elif access == "search":
            n = request.get("n")
            entries = manager.search(
                str(request.get("pattern", "*")),
                raw=raw,
                output=output,
                n=int(n) if n is not None else None,
                unique=bool(request.get("unique", False)),
            )
        else:
            raise ValueError(f"hist_access_type must be tail, range or search, not {access!r}")
        # IPython numbers the current session 0 in ranges; clients want the real number.
        current = manager.session_number
        history = [[session or current, line, data] for session, line, data in entries]
        return {"status": "ok", "history": history}

    def shutdown(self) -> None:
        """Save history and release the user's objects, quickly.

        IPython's own exit handler resets the shell, and its reset ends in a
        full gc.collect(): a second or more with large data loaded, for a
        process that is about to end anyway. Here the user's namespace is
        released without it (finalizers such as an unclosed file's flush still
        run), then the history session is written and closed.
        """
        shell = self._shell
        if shell is None:
            return
        import atexit

        # Run once, now, while the sockets still exist; not again at interpreter exit.
        atexit.unregister(shell.atexit_operations)
        shell._atexit_once_called = True
        history = shell.history_manager
        # The last lines reach the OS at once; no fsync wait (only a power cut could lose them).
        history.db.execute("PRAGMA synchronous = OFF")
        history.end_session()
        shell.user_ns.clear()
        shell.user_ns_hidden.clear()
        history.output_hist.clear()
        # What is left of IPython's exit handler: removing its temporary files.
        shell.atexit_operations()
        from carnet.kernel.cellfiles import remove_cell_files

        remove_cell_files()
