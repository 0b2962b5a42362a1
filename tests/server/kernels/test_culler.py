"""The idle culler (cull_idle_timeout and friends) on real kernels."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest

from carnet.client.multi import ManagedKernel
from carnet.server.kernels import KernelService
from tests.client.kernels import carnet_kernel_spec
from tests.server.kernels.test_hub import runtime_dir, until

__all__ = ["runtime_dir"]  # the fixture, used here too


def service(root: Path, **options: object) -> KernelService:
    return KernelService(root, spec_lookup=lambda _: carnet_kernel_spec(), **options)  # type: ignore[arg-type]


def idle_for(kernel: ManagedKernel, seconds: float) -> None:
    kernel.last_activity = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("options", "connected", "busy", "culled"),
    [
        ({}, False, False, True),
        ({}, True, False, False),
        ({"cull_connected": True}, True, False, True),
        ({}, False, True, False),
        ({"cull_busy": True}, False, True, True),
        ({"cull_connected": True, "cull_busy": True}, True, True, True),
    ],
)
def test_who_is_culled(
    tmp_path: Path, options: dict[str, bool], connected: bool, busy: bool, culled: bool
) -> None:
    async def main() -> None:
        kernels = service(tmp_path, cull_idle_timeout=60, cull_interval=3600, **options)
        try:
            recent = kernels.get(await kernels.start())
            old = kernels.get(await kernels.start())
            idle_for(recent, 30)
            idle_for(old, 120)
            if connected:
                old.connections = 1
            if busy:
                old.execution_state = "busy"
            assert kernels.should_cull(recent) is False
            assert kernels.should_cull(old) is culled
            gone = await kernels.cull_once()
            assert gone == ([old.kernel_id] if culled else [])
            assert (old.kernel_id in kernels) is not culled
            assert recent.kernel_id in kernels
        finally:
            await kernels.shutdown_all()

    asyncio.run(main())


def test_the_culler_runs_by_itself_every_interval(tmp_path: Path) -> None:
    async def main() -> None:
        kernels = service(tmp_path, cull_idle_timeout=1, cull_interval=1)
        try:
            kernel_id = await kernels.start()
            await until(lambda: kernel_id not in kernels, timeout=30)
        finally:
            await kernels.shutdown_all()

    asyncio.run(main())
