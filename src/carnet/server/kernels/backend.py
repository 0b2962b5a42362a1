"""KernelBackend: what the routes, sessions and websockets ask of a kernel service.

Two services have it: KernelService (local kernels) and, in gateway mode,
GatewayKernelService (kernels on a Kernel or Enterprise Gateway).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from carnet.ids import KernelId
    from carnet.server.kernels.hub import KernelHub


class KernelRecord(Protocol):
    @property
    def kernel_name(self) -> str: ...

    def to_model(self) -> dict[str, Any]: ...


class KernelBackend(Protocol):
    @property
    def default_kernel_name(self) -> str: ...

    def __len__(self) -> int: ...

    def __contains__(self, kernel_id: object) -> bool: ...

    def get(self, kernel_id: str) -> KernelRecord: ...

    def models(self) -> list[dict[str, Any]]: ...

    def hub(self, kernel_id: str) -> KernelHub: ...

    async def refresh(self) -> None: ...

    async def model(self, kernel_id: str) -> dict[str, Any]: ...

    async def start(
        self,
        kernel_name: str | None = None,
        path: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> KernelId: ...

    async def interrupt(self, kernel_id: str) -> None: ...

    async def restart(self, kernel_id: str) -> None: ...

    async def shutdown(self, kernel_id: str) -> None: ...

    async def shutdown_all(self) -> None: ...
