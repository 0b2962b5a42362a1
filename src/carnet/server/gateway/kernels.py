"""GatewayKernelService: the kernel service of gateway mode, same interface as KernelService.

The REST routes, sessions and websockets use it as they use the local one. Kernels
live on the gateway: each call is a request there, and what the gateway lists is the
truth (a kernel it culled is dropped here at the next look). Kept locally: the last
models seen, so that sessions can show their kernel without a request each.

What needs the kernel's messages on this server (the replay buffer of /runs, outputs
recorded into the notebook when no page is open, local culling) does not apply: the
gateway has the kernel, and it culls idle kernels itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import quote

from carnet.errors import GatewayError, KernelNotFound, KernelSpecError, NotWithGateway
from carnet.ids import KernelId
from carnet.server.gateway.http import GatewayHttp, check
from carnet.server.http_reply import Reply

if TYPE_CHECKING:
    from carnet.server.gateway.config import GatewayConfig

log = logging.getLogger("carnet.server")
# Seconds the server's shutdown waits for the gateway to stop the kernels it started.
SHUTDOWN_SECONDS = 10.0
NO_RUNS = (
    "run replay and server-recorded outputs are not available with a kernel gateway: "
    "the kernel's messages reach this server only while a page is connected"
)


class RemoteKernel:
    """A kernel on the gateway, as last seen."""

    def __init__(self, model: dict[str, Any]) -> None:
        self.model = model

    @property
    def kernel_id(self) -> KernelId:
        return KernelId(str(self.model["id"]))

    @property
    def kernel_name(self) -> str:
        return str(self.model.get("name", ""))

    def to_model(self) -> dict[str, Any]:
        return dict(self.model)


class GatewayKernelService:
    remote = True

    def __init__(self, config: GatewayConfig, root_dir: Path) -> None:
        self.config = config
        self.root_dir = root_dir
        self.http = GatewayHttp(config)
        self._kernels: dict[str, RemoteKernel] = {}
        self._started_here: set[str] = set()
        self.default_name = ""  # the gateway's, from its kernelspecs
        # Set by the app like the local service's; unused here (see the module doc).
        self.contents: object = None
        self.notebook_path: object = None

    # --- what sessions and routes read without a request ---------------------------------

    @property
    def default_kernel_name(self) -> str:
        return self.default_name or "python3"

    def __len__(self) -> int:
        return len(self._kernels)

    def __contains__(self, kernel_id: object) -> bool:
        return kernel_id in self._kernels

    def get(self, kernel_id: str) -> RemoteKernel:
        kernel = self._kernels.get(kernel_id)
        if kernel is None:
            raise KernelNotFound(f"no kernel with id {kernel_id!r}")
        return kernel

    def models(self) -> list[dict[str, Any]]:
        return [k.to_model() for k in self._kernels.values()]

    def hub(self, kernel_id: str) -> NoReturn:
        self.get(kernel_id)
        raise NotWithGateway(NO_RUNS)

    def cwd_for(self, path: str | None) -> Path:
        if not path:
            return self.root_dir
        candidate = (self.root_dir / path).parent.resolve()
        root = self.root_dir.resolve()
        return candidate if candidate == root or root in candidate.parents else root

    # --- requests to the gateway ----------------------------------------------------------

    def _path(self, kernel_id: str = "", action: str = "") -> str:
        path = self.config.kernels_endpoint
        if kernel_id:
            path += "/" + quote(kernel_id, safe="")
        return path + (f"/{action}" if action else "")

    def _remember(self, model: Any) -> RemoteKernel:
        if not isinstance(model, dict) or not isinstance(model.get("id"), str):
            raise GatewayError(f"Kernel gateway {self.config.url}: a kernel model without an id")
        kernel = self._kernels[model["id"]] = RemoteKernel(model)
        return kernel

    def _gone(self, kernel_id: str, reply: Reply) -> None:
        """A 404 from the gateway: the kernel is gone there (culled, or shut down)."""
        if reply.status == 404:
            self._kernels.pop(kernel_id, None)
            self._started_here.discard(kernel_id)
            raise KernelNotFound(f"no kernel with id {kernel_id!r} on the gateway")

    async def refresh(self) -> None:
        """Take the gateway's list of kernels: the ones it culled are forgotten."""
        reply = await self.http.request("GET", self._path())
        if reply.status == 403:
            # Enterprise Gateway lists no kernels unless its operator allows it
            # (EG_LIST_KERNELS): the ones known here are then asked after one by one.
            await self._refresh_each()
            return
        check(reply, "GET", self._path(), self.config.url)
        models = reply.json()
        if not isinstance(models, list):
            raise GatewayError(f"Kernel gateway {self.config.url}: kernels are not a list")
        seen = {self._remember(m).kernel_id for m in models}
        for kernel_id in set(self._kernels) - seen:
            log.info("Kernel %s is gone from the gateway (culled or shut down there)", kernel_id)
            self._kernels.pop(kernel_id, None)
            self._started_here.discard(kernel_id)

    async def _refresh_each(self) -> None:
        async def still_there(kernel_id: str) -> None:
            try:
                await self.model(kernel_id)
            except KernelNotFound:  # model() forgot it
                log.info(
                    "Kernel %s is gone from the gateway (culled or shut down there)", kernel_id
                )

        await asyncio.gather(*(still_there(k) for k in list(self._kernels)))

    async def model(self, kernel_id: str) -> dict[str, Any]:
        path = self._path(kernel_id)
        reply = await self.http.request("GET", path)
        self._gone(kernel_id, reply)
        check(reply, "GET", path, self.config.url)
        return self._remember(reply.json()).to_model()

    def kernel_env(self, path: str | None, env: Mapping[str, str] | None) -> dict[str, str]:
        """What a new kernel gets in `env`, as Jupyter Server sends it."""
        sent = {k: v for k, v in os.environ.items() if k.startswith("KERNEL_") or k in self.allowed}
        sent.setdefault("KERNEL_USERNAME", _username())
        sent["KERNEL_WORKING_DIR"] = str(self.cwd_for(path))
        sent["KERNEL_LAUNCH_TIMEOUT"] = str(self.config.launch_timeout)
        sent.update(env or {})
        return sent

    @property
    def allowed(self) -> tuple[str, ...]:
        return self.config.allowed_envs

    async def start(
        self,
        kernel_name: str | None = None,
        path: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> KernelId:
        body: dict[str, Any] = {"env": self.kernel_env(path, env)}
        if kernel_name:
            body["name"] = kernel_name
        if path is not None:
            body["path"] = path
        reply = await self.http.request("POST", self._path(), body)
        if reply.status == 404:
            message = f"no kernelspec {kernel_name!r} on the gateway: {reply.message()}"
            raise KernelSpecError(message)
        check(reply, "POST", self._path(), self.config.url)
        kernel = self._remember(reply.json())
        self._started_here.add(kernel.kernel_id)
        log.info("Kernel %s (%s) started on the gateway", kernel.kernel_id, kernel.kernel_name)
        return kernel.kernel_id

    async def _post(self, kernel_id: str, action: str) -> Reply:
        path = self._path(kernel_id, action)
        reply = await self.http.request("POST", path, {})
        self._gone(kernel_id, reply)
        check(reply, "POST", path, self.config.url)
        return reply

    async def interrupt(self, kernel_id: str) -> None:
        await self._post(kernel_id, "interrupt")

    async def restart(self, kernel_id: str) -> None:
        reply = await self._post(kernel_id, "restart")
        if reply.body:
            self._remember(reply.json())

    async def shutdown(self, kernel_id: str) -> None:
        path = self._path(kernel_id)
        reply = await self.http.request("DELETE", path)
        self._gone(kernel_id, reply)
        check(reply, "DELETE", path, self.config.url)
        self._kernels.pop(kernel_id, None)
        self._started_here.discard(kernel_id)

    async def shutdown_all(self) -> None:
        """At server stop: the kernels this server started, as Jupyter Server does."""
        mine = list(self._started_here)
        if mine:
            stops = [self.shutdown(k) for k in mine]
            done = asyncio.gather(*stops, return_exceptions=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done, SHUTDOWN_SECONDS)
        self.http.close()

    async def cull_once(self) -> list[KernelId]:
        return []  # the gateway culls its kernels


def _username() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "carnet"
