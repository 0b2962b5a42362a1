"""KernelService: the server's kernels, their hubs, and idle culling.

Wraps the MultiKernelManager with what the REST API and websockets need: a
KernelHub per kernel, and the culler that shuts down idle kernels the way
jupyter_server's `cull_idle_timeout` family of options does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carnet.ids import KernelId
from carnet.server.kernels.hub import KernelHub
from carnet.server.kernels.outputs import CellRun
from carnet.server.kernels.recorder import OutputRecorder

if TYPE_CHECKING:
    from carnet.client.lifecycle import KernelEvent
    from carnet.client.multi import ManagedKernel, MultiKernelManager
    from carnet.server.contents import ContentsManager

log = logging.getLogger("carnet.server")


class KernelService:
    def __init__(
        self,
        root_dir: Path,
        *,
        cull_idle_timeout: float = 0,
        cull_interval: float = 300,
        cull_connected: bool = False,
        cull_busy: bool = False,
        **manager_options: Any,
    ) -> None:
        self.root_dir = root_dir
        # The kernel machinery (pyzmq and the client) loads with the first kernel.
        self._manager: MultiKernelManager | None = None
        self._manager_options = manager_options
        self.cull_idle_timeout = cull_idle_timeout
        self.cull_interval = cull_interval if cull_interval > 0 else 300
        self.cull_connected = cull_connected
        self.cull_busy = cull_busy
        self._hubs: dict[KernelId, KernelHub] = {}
        self._culler: asyncio.Task[None] | None = None
        # Set by the app: where a kernel's notebook is, and how to read and save it.
        self.contents: ContentsManager | None = None
        self.notebook_path: Callable[[str], str | None] | None = None
        self._document_locks: dict[str, asyncio.Lock] = {}

    @property
    def manager(self) -> MultiKernelManager:
        if self._manager is None:
            from carnet.client.multi import MultiKernelManager

            self._manager = MultiKernelManager(**self._manager_options)
        return self._manager

    @property
    def default_kernel_name(self) -> str:
        from carnet.client.kernelspec import CARNET_KERNEL_NAME

        name = self._manager_options.get("default_kernel_name", CARNET_KERNEL_NAME)
        return str(name)

    def __len__(self) -> int:
        return len(self._manager) if self._manager is not None else 0

    def __contains__(self, kernel_id: object) -> bool:
        return self._manager is not None and kernel_id in self._manager

    def cwd_for(self, path: str | None) -> Path:
        """The directory a notebook at `path` (relative to the root) runs in."""
        if not path:
            return self.root_dir
        candidate = (self.root_dir / path).parent.resolve()
        root = self.root_dir.resolve()
        if candidate == root or root in candidate.parents:
            return candidate if candidate.is_dir() else root
        return root

    async def start(
        self,
        kernel_name: str | None = None,
        path: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> KernelId:
        kernel_id = await self.manager.start_kernel(kernel_name, cwd=self.cwd_for(path), env=env)
        self._hubs[kernel_id] = self._new_hub(self.manager.get(kernel_id))
        self._ensure_culler()
        return kernel_id

    def _new_hub(self, kernel: ManagedKernel) -> KernelHub:
        hub = KernelHub(kernel)
        kernel_id = kernel.kernel_id

        async def write(run: CellRun) -> None:
            await self.record_run(kernel_id, run)

        recorder = hub.recorder = OutputRecorder(hub.is_connected, write)

        def on_event(event: KernelEvent) -> None:
            # A dead kernel sends no idle for its runs (its restart's 'starting' may be missed).
            if event.status in ("autorestarting", "dead"):
                recorder.kernel_gone()

        kernel.manager.subscribe(on_event)
        return hub

    async def record_run(self, kernel_id: str, run: CellRun) -> None:
        """Write a finished cell's outputs into the kernel's notebook file."""
        path = self.notebook_path(kernel_id) if self.notebook_path else None
        if path is None or self.contents is None:
            return
        lock = self._document_locks.setdefault(path, asyncio.Lock())
        async with lock:
            model = await self.contents.get(path, content=True, type="notebook")
            notebook = model["content"]
            cell = next((c for c in notebook["cells"] if c.get("id") == run.cell_id), None)
            if cell is None or cell.get("cell_type") != "code":
                log.warning(
                    "cell %s is no longer in %s; its outputs were not recorded", run.cell_id, path
                )
                return
            cell["outputs"] = run.outputs
            cell["execution_count"] = run.execution_count
            # Output this user's kernel produced is trusted, as if the page had saved it.
            cell.setdefault("metadata", {})["trusted"] = True
            await self.contents.save({"type": "notebook", "content": notebook}, path)
        log.info(
            "Recorded the outputs of cell %s into %s (no page was connected)", run.cell_id, path
        )

    def get(self, kernel_id: str) -> ManagedKernel:
        return self.manager.get(kernel_id)

    def hub(self, kernel_id: str) -> KernelHub:
        kernel = self.manager.get(kernel_id)  # raises KernelNotFound
        hub = self._hubs.get(kernel.kernel_id)
        if hub is None:
            hub = self._hubs[kernel.kernel_id] = self._new_hub(kernel)
        return hub

    def models(self) -> list[dict[str, Any]]:
        if self._manager is None:
            return []
        return [k.to_model() for k in self._manager.list()]

    async def refresh(self) -> None:
        """Nothing to do: the local kernels are all here (the gateway's service asks)."""

    async def model(self, kernel_id: str) -> dict[str, Any]:
        return self.get(kernel_id).to_model()

    async def interrupt(self, kernel_id: str) -> None:
        await self.manager.interrupt(kernel_id)

    async def restart(self, kernel_id: str) -> None:
        await self.manager.restart(kernel_id)

    async def shutdown(self, kernel_id: str) -> None:
        hub = self._hubs.pop(KernelId(kernel_id), None)
        try:
            await self.manager.shutdown(kernel_id)
        finally:
            if hub is not None:
                hub.close()
                if hub.recorder is not None:
                    hub.recorder.close()

    async def shutdown_all(self) -> None:
        if self._culler is not None:
            self._culler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._culler
            self._culler = None
        if self._manager is not None:
            await self._manager.shutdown_all()
        for hub in self._hubs.values():
            hub.close()
            if hub.recorder is not None:
                await hub.recorder.drain()
        self._hubs.clear()

    # --- culling ------------------------------------------------------------

    def _ensure_culler(self) -> None:
        if self.cull_idle_timeout > 0 and self._culler is None:
            self._culler = asyncio.create_task(self._cull_forever())

    async def _cull_forever(self) -> None:
        while True:
            await asyncio.sleep(min(self.cull_interval, self.cull_idle_timeout))
            await self.cull_once()

    def should_cull(self, kernel: ManagedKernel) -> bool:
        if kernel.idle_seconds() < self.cull_idle_timeout:
            return False
        if kernel.connections and not self.cull_connected:
            return False
        return not (kernel.execution_state == "busy" and not self.cull_busy)

    async def cull_once(self) -> list[KernelId]:
        if self._manager is None:
            return []
        culled = [k.kernel_id for k in self._manager.list() if self.should_cull(k)]
        for kernel_id in culled:
            log.info("Culling kernel %s: idle for over %ss", kernel_id, self.cull_idle_timeout)
            with contextlib.suppress(Exception):
                await self.shutdown(kernel_id)
        return culled
