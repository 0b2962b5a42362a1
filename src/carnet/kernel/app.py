"""Wiring the kernel together: sockets, threads, signals, and a clean exit.

Threads: the main thread runs the shell loop and user code; control,
heartbeat, IOPub, the fd readers, the IPython import and the parent watch
each have their own. Exit paths (shutdown_request on either channel, SIGTERM,
parent death) all end in KernelApp.close() on the main thread.
"""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

import zmq

from carnet.kernel.channels import Sockets
from carnet.kernel.control import ControlThread
from carnet.kernel.core import Handler, KernelCore
from carnet.kernel.heartbeat import start_heartbeat
from carnet.kernel.interpreter import KernelIO
from carnet.kernel.interrupts import InterruptGate, main_thread_signals
from carnet.kernel.iopub import IOPub
from carnet.kernel.parent import watch_parent
from carnet.kernel.python import PythonInterpreter
from carnet.kernel.stdin import StdinBridge
from carnet.kernel.streams import Capture
from carnet.kernel.wakeup import WakePipe
from carnet.protocol import Message, Session
from carnet.protocol.connection_file import ConnectionInfo
from carnet.protocol.content import InterruptReply, ShutdownReply
from carnet.protocol.messages import JsonDict

log = logging.getLogger("carnet.kernel")

# How long a shutdown waits for running user code before interrupting it, then forcing exit.
GRACE = 1.0
FORCE_AFTER = 3.0
INTERRUPT_REPLY_WAIT = 0.5


class KernelExit(BaseException):
    """Raised in the main thread by SIGTERM: leave the shell loop and exit."""


class KernelApp:
    def __init__(
        self,
        context: zmq.Context[zmq.Socket[bytes]],
        sockets: Sockets,
        info: ConnectionInfo,
        connection_file: Path | None,
        capture_fds: bool = True,
    ) -> None:
        """`sockets`: bound in `context` for `info` (channels.bind_sockets), before the
        rest of the kernel was imported (see __main__)."""
        self.context = context
        self.sockets = sockets
        self.info = info
        with main_thread_signals():
            self._start(connection_file, capture_fds)
            self._closed = False
            # Installed before the block ends: a signal held back until then meets them.
            signal.signal(signal.SIGINT, self.interrupts.on_sigint)
            signal.signal(signal.SIGTERM, self._on_sigterm)

    def _start(self, connection_file: Path | None, capture_fds: bool) -> None:
        """Threads; every thread started here leaves the signals to this one."""
        info = self.info
        self.session = Session(info.key, info.signature_scheme, username="kernel")
        self.iopub = IOPub(self.sockets.iopub, self.session)
        self.iopub.start()
        start_heartbeat(self.sockets.hb)
        self.capture = Capture(self.iopub, capture_fds)
        _log_to(self.capture.saved_stderr)
        self._saved_streams = (sys.stdout, sys.stderr)
        sys.stdout, sys.stderr = self.capture.stdout, self.capture.stderr
        self.interrupts = InterruptGate()
        self.wake_pipe = WakePipe()
        stdin = StdinBridge(
            self.sockets.stdin, self.session, self.capture.flush, self.interrupts, self.wake_pipe
        )
        self.io = KernelIO(self.iopub, self.capture, stdin, connection_file, self.interrupts)
        self.interpreter = PythonInterpreter(self.io, on_loaded=self._wake)
        self.core = KernelCore(
            self.session,
            self.sockets.shell,
            self.io,
            self.interpreter,
            self._shutdown_request,
            self.wake_pipe,
        )
        control_handlers: dict[str, Handler] = {
            "kernel_info_request": lambda msg: (self.interpreter.kernel_info(), {}),
            "interrupt_request": self._interrupt_request,
            "shutdown_request": lambda msg: (self._shutdown_request(msg), {}),
        }
        self.control = ControlThread(
            self.sockets.control, self.session, self.iopub, control_handlers
        )
        # As ipykernel: subscribers that connected early learn that the kernel is starting.
        # Before anything can be served, so that no busy/idle precedes it.
        self.iopub.status("starting", None)
        self.control.start()
        watch_parent(lambda: os.kill(os.getpid(), signal.SIGTERM))
        # Every blocking wait of the main thread polls this pipe too (wakeup.py).
        signal.set_wakeup_fd(self.wake_pipe.writer, warn_on_full_buffer=False)

    def _wake(self) -> None:
        self.core.wake()

    # -- signals and requests ---------------------------------------------------------------

    def _on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        self.core.stopping = True
        # Once the shell loop has ended, the kernel is closing anyway; raising there
        # would skip the close and exit 1 (a manager's SIGTERM often follows its
        # shutdown_request, and the shutdown watchdog sends one too).
        if self.core.serving:
            raise KernelExit

    def _interrupt_request(self, msg: Message) -> tuple[InterruptReply, JsonDict]:
        # Reply once the main thread has taken the signal, so that a request the client
        # sends after the reply is not mistaken for one that was waiting (interrupts.py).
        # Bounded: C code that holds the main thread delays the handler, not the reply.
        self.interrupts.taken.clear()
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)
        self.interrupts.taken.wait(INTERRUPT_REPLY_WAIT)
        return {"status": "ok"}, {}

    def _shutdown_request(self, msg: Message) -> ShutdownReply:
        log.debug("shutdown requested")
        restart = bool(msg.content.get("restart", False))
        content: ShutdownReply = {"status": "ok", "restart": restart}
        # Clients that watch IOPub learn of the shutdown too, as with ipykernel.
        self.iopub.send("shutdown_reply", content, parent=msg)
        self.core.stopping = True
        self.core.wake()
        threading.Thread(target=self._watchdog, name="carnet-shutdown", daemon=True).start()
        return content

    def _watchdog(self) -> None:
        """If user code keeps the main thread busy, interrupt it; if that fails, force."""
        time.sleep(GRACE)
        if self._closed:
            return
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(FORCE_AFTER)
        if self._closed:
            return
        log.warning("user code did not stop; forcing exit")
        self.iopub.stop(1.0)
        os._exit(0)

    # -- running and exiting ----------------------------------------------------------------

    def run(self) -> int:
        try:
            self.core.serve()
        except KernelExit:
            pass
        finally:
            self.close()
        return 0

    def close(self) -> None:
        if self._closed:
            return
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.set_wakeup_fd(-1)
        started = time.monotonic()
        try:
            self.interpreter.shutdown()
        except Exception:
            log.exception("saving state at exit failed")
        log.debug("interpreter shut down after %.3fs", time.monotonic() - started)
        self.capture.sync(0.2)
        self.control.stop()
        self.iopub.stop()
        sys.stdout, sys.stderr = self._saved_streams
        self.capture.restore()
        self.sockets.shell.close(linger=1000)
        self.sockets.stdin.close(linger=0)
        # term() waits for the heartbeat thread to close its socket; never hang on exit.
        terminator = threading.Thread(target=self.context.term, daemon=True)
        terminator.start()
        terminator.join(2.0)
        log.debug("closed after %.3fs", time.monotonic() - started)
        self._closed = True


def _log_to(fd: int | None) -> None:
    """The kernel's own log lines go to the real stderr, not to clients."""
    target = os.fdopen(os.dup(fd), "w", buffering=1) if fd is not None else sys.__stderr__
    handler = logging.StreamHandler(target)
    handler.setFormatter(logging.Formatter("[%(levelname).1s %(asctime)s kernel] %(message)s"))
    log.addHandler(handler)
    log.propagate = False
    if log.level == logging.NOTSET:
        log.setLevel(logging.WARNING)
    if target is not None:
        # A crash in C code is reported where a human looks, not into the captured pipe.
        faulthandler.enable(file=target)
