"""KernelService: the server's kernels, their hubs, and idle culling.

Wraps the MultiKernelManager with what the REST API and websockets need: a
KernelHub per kernel, and the culler that shuts down idle kernels the way
jupyter_server's `cull_idle_timeout` family of options does.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from carnet.client.multi import ManagedKernel, MultiKernelManager
from carnet.ids import KernelId
from carnet.server.kernels.hub import KernelHub

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
        self.manager = MultiKernelManager(**manager_options)
        self.cull_idle_timeout = cull_idle_timeout
        self.cull_interval = cull_interval if cull_interval > 0 else 300
        self.cull_connected = cull_connected
        self.cull_busy = cull_busy
        self._hubs: dict[KernelId, KernelHub] = {}
        self._culler: asyncio.Task[None] | None = None

    def __len__(self) -> int:
        return len(self.manager)

    def __contains__(self, kernel_id: object) -> bool:
        return kernel_id in self.manager

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
        self._hubs[kernel_id] = KernelHub(self.manager.get(kernel_id))
        self._ensure_culler()
        return kernel_id

    def get(self, kernel_id: str) -> ManagedKernel:
        return self.manager.get(kernel_id)

    def hub(self, kernel_id: str) -> KernelHub:
        kernel = self.manager.get(kernel_id)  # raises KernelNotFound
        hub = self._hubs.get(kernel.kernel_id)
        if hub is None:
            hub = self._hubs[kernel.kernel_id] = KernelHub(kernel)
        return hub

    def models(self) -> list[dict[str, Any]]:
        return [k.to_model() for k in self.manager.list()]

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

    async def shutdown_all(self) -> None:
        if self._culler is not None:
            self._culler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._culler
            self._culler = None
        await self.manager.shutdown_all()
        for hub in self._hubs.values():
            hub.close()
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
        culled = [k.kernel_id for k in self.manager.list() if self.should_cull(k)]
        for kernel_id in culled:
            log.info("Culling kernel %s: idle for over %ss", kernel_id, self.cull_idle_timeout)
            with contextlib.suppress(Exception):
                await self.shutdown(kernel_id)
        return culled
