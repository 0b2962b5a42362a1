"""MultiKernelManager: the server's kernels, by KernelId, with what culling needs.

Each ManagedKernel tracks its execution_state (from iopub status messages and
lifecycle events), last_activity (any kernel message, or `touch()` by a
client) and the number of connected websockets, the fields of the kernel
model in Jupyter's REST API.
"""

from __future__ import annotations

import asyncio
import builtins
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from carnet.client.kernelspec import CARNET_KERNEL_NAME, KernelSpec, get_kernel_spec
from carnet.client.lifecycle import KernelEvent, Listener
from carnet.client.manager import KernelManager
from carnet.errors import KernelNotFound
from carnet.ids import KernelId
from carnet.protocol import PackedMessage

log = logging.getLogger("carnet")

# Lifecycle states shown as the execution_state of the REST kernel model, in Jupyter
# Server's words: an automatic restart is "restarting" (until the kernel runs again).
_STATE_FOR_EVENT = {
    "starting": "starting",
    "restarting": "restarting",
    "autorestarting": "restarting",
    "dead": "dead",
    "shutdown": "dead",
}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ManagedKernel:
    """A KernelManager plus the activity the server reports and culls by."""

    def __init__(self, manager: KernelManager) -> None:
        self.manager = manager
        self.execution_state = "starting"
        self.last_activity = _now()
        self.connections = 0
        self._tracked: object = None
        manager.subscribe(self._on_event)

    @property
    def kernel_id(self) -> KernelId:
        return self.manager.kernel_id

    @property
    def kernel_name(self) -> str:
        return self.manager.kernel_name

    def touch(self) -> None:
        """Record activity (a message from a client, say)."""
        self.last_activity = _now()

    def add_connection(self) -> None:
        self.connections += 1
        self.touch()

    def remove_connection(self) -> None:
        self.connections = max(0, self.connections - 1)

    def idle_seconds(self) -> float:
        return (_now() - self.last_activity).total_seconds()

    def to_model(self) -> dict[str, Any]:
        """The kernel model of Jupyter's REST API."""
        stamp = self.last_activity.isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return {
            "id": self.kernel_id,
            "name": self.kernel_name,
            "last_activity": stamp,
            "execution_state": self.execution_state,
            "connections": self.connections,
        }

    def _on_event(self, event: KernelEvent) -> None:
        self.touch()
        if event.status == "running":
            self._track_iopub()
            if self.execution_state != "busy":
                self.execution_state = "idle"
        elif event.status == "starting" and self.execution_state == "restarting":
            pass  # the relaunch of a restart: still restarting until it runs
        else:
            self.execution_state = _STATE_FOR_EVENT.get(event.status, self.execution_state)

    def _track_iopub(self) -> None:
        client = self.manager.client
        if self._tracked is not client:  # a new client after a failed start
            client.on_packed("iopub", self._on_iopub)
            self._tracked = client

    def _on_iopub(self, msg: PackedMessage) -> None:
        # Packed: every message passes here, and only a status is read.
        self.touch()
        if msg.msg_type == "status":
            state = msg.content().get("execution_state")
            if isinstance(state, str) and not (
                state == "starting" and self.execution_state == "restarting"
            ):
                self.execution_state = state


class MultiKernelManager:
    """Many kernels keyed by KernelId; events of all of them go to one set of listeners."""

    def __init__(
        self,
        *,
        default_kernel_name: str = CARNET_KERNEL_NAME,
        spec_lookup: Callable[[str], KernelSpec] = get_kernel_spec,
        **manager_options: Any,
    ) -> None:
        self.default_kernel_name = default_kernel_name
        self._spec_lookup = spec_lookup
        self._options = manager_options
        self._kernels: dict[KernelId, ManagedKernel] = {}
        self._listeners: list[Listener] = []

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _publish(self, event: KernelEvent) -> None:
        for listener in list(self._listeners):
            listener(event)

    async def start_kernel(
        self,
        kernel_name: str | None = None,
        cwd: Path | str | None = None,
        env: Mapping[str, str] | None = None,
        kernel_id: KernelId | None = None,
    ) -> KernelId:
        """Start a kernel (KernelSpecError, KernelStartError, KernelDied on failure)."""
        spec = self._spec_lookup(kernel_name or self.default_kernel_name)
        manager = KernelManager(spec, kernel_id=kernel_id, cwd=cwd, env=env, **self._options)
        kernel = ManagedKernel(manager)
        manager.subscribe(self._publish)
        self._kernels[manager.kernel_id] = kernel
        try:
            await manager.start()
        except BaseException:
            del self._kernels[manager.kernel_id]
            raise
        return manager.kernel_id

    def get(self, kernel_id: str) -> ManagedKernel:
        kernel = self._kernels.get(KernelId(kernel_id))
        if kernel is None:
            raise KernelNotFound(f"no kernel with id {kernel_id!r}", list(self._kernels))
        return kernel

    def __contains__(self, kernel_id: object) -> bool:
        return kernel_id in self._kernels

    def __len__(self) -> int:
        return len(self._kernels)

    def list(self) -> list[ManagedKernel]:
        return list(self._kernels.values())

    def kernel_ids(self) -> builtins.list[KernelId]:
        return list(self._kernels)

    async def interrupt(self, kernel_id: str) -> None:
        kernel = self.get(kernel_id)
        kernel.touch()
        await kernel.manager.interrupt()

    async def restart(self, kernel_id: str, now: bool = False) -> None:
        kernel = self.get(kernel_id)
        kernel.touch()
        await kernel.manager.restart(now)

    async def shutdown(self, kernel_id: str, now: bool = False) -> None:
        kernel = self.get(kernel_id)
        try:
            await kernel.manager.shutdown(now)
        finally:
            self._kernels.pop(kernel.kernel_id, None)

    async def shutdown_all(self, now: bool = False) -> None:
        """Shut every kernel down at once; a failure is logged and does not stop the rest."""
        ids = list(self._kernels)
        results = await asyncio.gather(
            *(self.shutdown(k, now) for k in ids), return_exceptions=True
        )
        for kernel_id, result in zip(ids, results, strict=True):
            if isinstance(result, BaseException):
                log.error("Kernel %s did not shut down cleanly: %s", kernel_id, result)
