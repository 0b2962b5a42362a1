# Over 300 lines: one process's whole lifecycle (start, watch, restart, stop), in order.
"""KernelManager: one kernel process, from start to shutdown, restarted when it dies.

It writes the connection file, launches the spec's argv, waits for
kernel_info (racing the process's death and a timeout), watches the process
and its heartbeat, and restarts it on the same ports so connected clients
keep working. All state changes go through the Lifecycle table.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import string
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from carnet import paths
from carnet.client.client import AsyncKernelClient
from carnet.client.kernelspec import KernelSpec, get_kernel_spec
from carnet.client.lifecycle import Lifecycle, Listener
from carnet.client.ports import PortRange, ipc_paths, new_connection_info
from carnet.client.process import KernelProcess
from carnet.connection_files import write_connection_file
from carnet.errors import KernelDied, KernelError, KernelStartError
from carnet.ids import KernelId, new_kernel_id
from carnet.protocol import PackedMessage
from carnet.protocol.connection_file import ConnectionInfo

log = logging.getLogger("carnet")


def kernel_env(spec: KernelSpec, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The kernel's environment: ours, the spec's (with ${VAR} expanded), then `extra`."""
    env = dict(os.environ)
    for name, value in spec.env.items():
        env[name] = string.Template(value).safe_substitute(os.environ)
    env.update(extra or {})
    env["JPY_PARENT_PID"] = str(os.getpid())
    return env


class KernelManager:
    """Owns one kernel process. Use `await start()`, then `client`, then `await shutdown()`."""

    def __init__(
        self,
        spec: KernelSpec | None = None,
        *,
        kernel_name: str = "python3",
        kernel_id: KernelId | None = None,
        connection_file: Path | None = None,
        ip: str = "127.0.0.1",
        transport: str = "tcp",
        port_range: PortRange | None = None,
        cwd: Path | str | None = None,
        env: Mapping[str, str] | None = None,
        startup_timeout: float = 60.0,
        shutdown_timeout: float = 5.0,
        autorestart: bool = True,
        max_restarts: int = 5,
        stable_after: float = 10.0,
        heartbeat_interval: float = 3.0,
        echo_stderr: bool = True,
    ) -> None:
        self.spec = spec or get_kernel_spec(kernel_name)
        self.kernel_id = kernel_id or new_kernel_id()
        runtime = paths.runtime_dir()
        self.connection_file = connection_file or runtime / f"kernel-{self.kernel_id}.json"
        if transport == "ipc" and ip == "127.0.0.1":
            ip = str(runtime / f"ipc-{self.kernel_id[:8]}")
        self._address = (ip, transport, port_range)
        self.connection_info: ConnectionInfo | None = None
        self.cwd = cwd
        self.extra_env = dict(env or {})
        self.startup_timeout = startup_timeout
        self.shutdown_timeout = shutdown_timeout
        self.autorestart = autorestart
        self.max_restarts = max_restarts
        self.stable_after = stable_after
        self.heartbeat_interval = heartbeat_interval
        self.echo_stderr = echo_stderr
        self.lifecycle = Lifecycle(self.kernel_id)
        self.restart_count = 0
        self.responsive = True
        self.process: KernelProcess | None = None
        self._client: AsyncKernelClient | None = None
        self._watcher: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._started_at = 0.0
        # Set when the kernel announces on iopub that a client asked it to exit.
        self._exit_requested = False

    @property
    def kernel_name(self) -> str:
        return self.spec.name

    @property
    def state(self) -> str:
        return self.lifecycle.state

    @property
    def client(self) -> AsyncKernelClient:
        """The manager's own connected client (shared; do not stop its channels)."""
        if self._client is None:
            raise KernelError(f"kernel {self.kernel_id} is not started")
        return self._client

    def new_client(self) -> AsyncKernelClient:
        """A separate client for this kernel; the caller starts and stops its channels."""
        if self.connection_info is None:
            raise KernelError(f"kernel {self.kernel_id} is not started")
        return AsyncKernelClient(self.connection_info)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Receive a KernelEvent on every state change; returns an unsubscribe function."""
        return self.lifecycle.subscribe(listener)

    def is_alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    # --- start ------------------------------------------------------------------

    async def start(self) -> None:
        async with self._lock:
            self.lifecycle.move("starting")
            # Ports we chose may be taken between our check and the kernel's bind (another
            # kernel starting, an outgoing connection): then we choose again, a few times.
            choose_ports = self.connection_info is None
            for attempt in range(1, PORT_ATTEMPTS + 1):
                if choose_ports:
                    ip, transport, port_range = self._address
                    self.connection_info = new_connection_info(
                        ip=ip,
                        transport=transport,
                        port_range=port_range,
                        kernel_name=self.spec.name,
                    )
                try:
                    await self._launch()
                    break
                except KernelDied as exc:
                    await self._cleanup()
                    if choose_ports and attempt < PORT_ATTEMPTS and PORT_TAKEN in str(exc):
                        log.warning("kernel %s: a port was taken, trying others", self.kernel_id)
                        continue
                    self.lifecycle.move("dead", detail="start failed")
                    raise
                except BaseException:
                    await self._cleanup()
                    self.lifecycle.move("dead", detail="start failed")
                    raise
            self.lifecycle.move("running")
        log.info("Kernel started: %s", self.kernel_id)

    def _argv(self) -> list[str]:
        resource_dir = str(self.spec.resource_dir or "")
        return [
            arg.replace("{connection_file}", str(self.connection_file)).replace(
                "{resource_dir}", resource_dir
            )
            for arg in self.spec.argv
        ]

    async def _launch(self) -> None:
        """Start the process and wait for kernel_info, or fail with its stderr."""
        assert self.connection_info is not None
        paths.ensure_private_dir(self.connection_file.parent)
        write_connection_file(self.connection_info, self.connection_file)
        env = kernel_env(self.spec, self.extra_env)
        process = await KernelProcess.launch(self._argv(), env, self.cwd, self.echo_stderr)
        self.process = process
        self._started_at = time.monotonic()
        self._exit_requested = False
        if self._client is None:
            self._client = AsyncKernelClient(self.connection_info)
            self._client.on_packed("iopub", self._on_iopub)
            await self._client.start_channels()
        client = self._client
        ready = asyncio.create_task(client.wait_for_ready(self.startup_timeout))
        died = asyncio.create_task(process.wait())
        # ipykernel that cannot bind its iopub or heartbeat port says so, then hangs
        # instead of exiting: waiting out the start timeout would not help it.
        port_taken = asyncio.create_task(process.said(PORT_TAKEN))
        try:
            await asyncio.wait(
                {ready, died, port_taken},
                timeout=self.startup_timeout,
                return_when="FIRST_COMPLETED",
            )
        finally:
            for task in (ready, died, port_taken):
                task.cancel()
        if ready.done() and not ready.cancelled() and ready.exception() is None:
            self.responsive = True
            self._watcher = asyncio.create_task(self._watch(process))
            return
        if process.returncode is None and port_taken.done() and not port_taken.cancelled():
            await process.terminate(term_timeout=1.0)
        if process.returncode is not None:
            raise KernelDied(
                f"kernel {self.spec.name!r} exited with code {process.returncode} while starting"
                + _stderr_note(process)
            )
        # What came back tells a kernel stuck before binding its ports from one that
        # binds and never answers (its heartbeat, echoed in C, answers while Python hangs).
        beats = await client.heartbeat.beat(1.0)
        await process.terminate(term_timeout=1.0)
        # Room for the stacks Carnet's kernel writes when its start hangs (startwatch).
        stderr = _stderr_note(process, 6000)
        raise KernelStartError(
            f"kernel {self.spec.name!r} did not answer kernel_info within "
            f"{self.startup_timeout:g}s ({client.ready_note}; its heartbeat "
            f"{'answered' if beats else 'did not answer'}){stderr}"
        )

    # --- watching ---------------------------------------------------------------

    def _on_iopub(self, msg: PackedMessage) -> None:
        # Packed: every message passes here, and only a shutdown_reply is read.
        if msg.msg_type == "shutdown_reply" and not msg.content().get("restart", False):
            self._exit_requested = True

    async def _watch(self, process: KernelProcess) -> None:
        beats = asyncio.create_task(self._watch_heartbeat())
        try:
            code = await process.wait()
        finally:
            beats.cancel()
        async with self._lock:
            if self.process is not process or self.state != "running":
                return  # a shutdown or restart we asked for
            ran_for = time.monotonic() - self._started_at
            self.client.abort_pending(KernelDied(f"kernel exited with code {code}"))
            if self._exit_requested:
                log.info("Kernel %s was shut down by a client", self.kernel_id)
                self.lifecycle.move("dead", self.restart_count, "shut down by a client")
                return
            why = describe_exit(code)
            log.warning("Kernel %s died: %s", self.kernel_id, why)
            if ran_for > self.stable_after:
                self.restart_count = 0
            await self._auto_restart(why)

    async def _auto_restart(self, why: str) -> None:
        while True:
            if not self.autorestart or self.restart_count >= self.max_restarts:
                if self.autorestart:
                    log.error(
                        "Kernel %s is dead: it died again after %d restarts (%s); "
                        "not restarting it any more",
                        self.kernel_id,
                        self.restart_count,
                        why,
                    )
                self.lifecycle.move("dead", self.restart_count, why)
                return
            self.restart_count += 1
            note = f"{why}; restart {self.restart_count} of {self.max_restarts}"
            self.lifecycle.move("autorestarting", self.restart_count, note)
            self.lifecycle.move("starting", self.restart_count)
            try:
                await self._launch()
            except KernelError as exc:
                log.warning("Kernel %s failed to restart: %s", self.kernel_id, exc)
                why = str(exc)
                continue
            self.lifecycle.move("running", self.restart_count)
            log.info("Kernel restarted: %s", self.kernel_id)
            return

    async def _watch_heartbeat(self) -> None:
        client = self.client
        while True:
            await asyncio.sleep(self.heartbeat_interval)
            ok = await client.heartbeat.beat(timeout=self.heartbeat_interval)
            if ok != self.responsive:
                self.responsive = ok
                if not ok:
                    log.warning("Kernel %s does not answer its heartbeat", self.kernel_id)

    # --- control ----------------------------------------------------------------

    async def interrupt(self) -> None:
        if self.state != "running" or self.process is None:
            raise KernelError(f"cannot interrupt kernel {self.kernel_id}: it is {self.state}")
        if self.spec.interrupt_mode == "message":
            await self.client.interrupt(timeout=self.shutdown_timeout)
        else:
            self.process.send_signal(signal.SIGINT)

    async def restart(self, now: bool = False) -> None:
        """Stop the kernel and start it again on the same ports and connection file."""
        async with self._lock:
            if self.state == "shutdown" or self.connection_info is None:
                raise KernelError(f"cannot restart kernel {self.kernel_id}: it is {self.state}")
            self.lifecycle.move("restarting")
            await self._stop_process(now, restart=True)
            self.restart_count = 0
            self.lifecycle.move("starting")
            try:
                await self._launch()
            except BaseException:
                self.lifecycle.move("dead", detail="restart failed")
                raise
            self.lifecycle.move("running")

    async def shutdown(self, now: bool = False) -> None:
        """shutdown_request, then SIGTERM, then SIGKILL; reaps and removes the files."""
        async with self._lock:
            if self.state == "shutdown":
                return
            await self._stop_process(now)
            await self._cleanup()
            self.lifecycle.move("shutdown")

    async def _stop_process(self, now: bool, restart: bool = False) -> None:
        process = self.process
        watcher, self._watcher = self._watcher, None
        if watcher is not None and watcher is not asyncio.current_task():
            watcher.cancel()
        if process is None or process.returncode is not None:
            return
        if not now and self._client is not None:
            request = self._client.send_request("control", "shutdown_request", {"restart": restart})
            exited = await process.wait(self.shutdown_timeout) is not None
            self._client.forget(request)
            if exited:
                return
        if now:
            process.kill()
        await process.terminate(term_timeout=self.shutdown_timeout)

    async def _cleanup(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.kill()
            await self.process.wait()
        if self._client is not None:
            await self._client.stop_channels()
            self._client = None
        self.connection_file.unlink(missing_ok=True)
        if self.connection_info is not None:
            for path in ipc_paths(self.connection_info):
                with contextlib.suppress(OSError):
                    path.unlink()


# How many sets of ports a start tries when one was taken before the kernel could bind it.
PORT_ATTEMPTS = 3
# What a kernel (Carnet's, ipykernel) writes when a port of its connection file is taken.
PORT_TAKEN = "Address already in use"

_SIGNAL_CAUSES = {
    signal.SIGKILL: "killed (SIGKILL), often by the out-of-memory killer",
    signal.SIGSEGV: "crashed (SIGSEGV, a fault in compiled code)",
    signal.SIGABRT: "aborted (SIGABRT)",
    signal.SIGBUS: "crashed (SIGBUS)",
    signal.SIGTERM: "terminated (SIGTERM) by another program",
}


def describe_exit(code: int | None) -> str:
    """Why a kernel process ended, in words a user can act on."""
    if code is None:
        return "exited"
    if code < 0:
        try:
            sig = signal.Signals(-code)
        except ValueError:
            return f"killed by signal {-code}"
        return _SIGNAL_CAUSES.get(sig, f"killed by {sig.name}")
    return f"exited with code {code}"


def _stderr_note(process: KernelProcess, max_chars: int = 2000) -> str:
    tail = process.stderr_tail(max_chars)
    return f"; its stderr ends with:\n{tail}" if tail else "; it wrote nothing to stderr"
