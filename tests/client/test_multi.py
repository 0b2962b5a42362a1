"""MultiKernelManager: many kernels by id, models for the REST API, events."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from carnet.client.lifecycle import KernelEvent
from carnet.client.multi import MultiKernelManager
from carnet.errors import KernelNotFound, KernelSpecError
from tests.client.kernels import ipykernel_spec, tiny_spec
from tests.client.procs import NewChildren


def lookup(name: str) -> object:
    specs = {"tiny": tiny_spec(), "ipykernel": ipykernel_spec()}
    if name not in specs:
        raise KernelSpecError(f"no kernelspec named {name!r}")
    return specs[name]


async def until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def test_many_kernels_models_and_events(tmp_path: Path, new_children: NewChildren) -> None:
    events: list[KernelEvent] = []

    async def main() -> None:
        mkm = MultiKernelManager(
            default_kernel_name="tiny", spec_lookup=lookup, echo_stderr=False, max_restarts=1
        )
        mkm.subscribe(events.append)
        first = await mkm.start_kernel()
        second = await mkm.start_kernel("ipykernel")
        assert set(mkm.kernel_ids()) == {first, second} and len(mkm) == 2
        kernel = mkm.get(second)
        model = kernel.to_model()
        assert model["id"] == second and model["name"] == "ipykernel"
        assert model["connections"] == 0 and model["last_activity"].endswith("Z")

        before = kernel.last_activity
        # Busy until the test has seen it busy.
        gate = tmp_path / "seen-busy"
        pending = kernel.manager.client.send_execute(
            f"import os, time\nwhile not os.path.exists({str(gate)!r}): time.sleep(0.02)"
        )
        await until(lambda: kernel.execution_state == "busy")
        gate.touch()
        await kernel.manager.client.wait_reply(pending, timeout=10)
        await until(lambda: kernel.execution_state == "idle")
        assert kernel.last_activity > before
        kernel.add_connection()
        assert kernel.to_model()["connections"] == 1

        with pytest.raises(KernelNotFound):
            mkm.get("no-such-kernel")
        with pytest.raises(KernelSpecError):
            await mkm.start_kernel("no-such-spec")

        tiny = mkm.get(first)
        assert tiny.manager.process is not None
        os.kill(tiny.manager.process.pid, signal.SIGKILL)
        await until(lambda: tiny.manager.restart_count == 1 and tiny.manager.state == "running")
        # Not at once: the kernel may still be busy with the kernel_info that found it ready.
        await until(lambda: tiny.execution_state == "idle")

        await mkm.shutdown(first)
        assert first not in mkm
        await mkm.shutdown_all()
        assert len(mkm) == 0

    asyncio.run(main())
    assert new_children() == []
    statuses = [(e.status, e.kernel_id) for e in events]
    assert ("autorestarting", statuses[0][1]) in statuses
    assert [s for s, _ in statuses].count("shutdown") == 2
