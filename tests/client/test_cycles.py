"""100 kernel start/stop cycles leak no process and no file descriptor."""

from __future__ import annotations

import asyncio
import time

import pytest

from carnet.client.manager import KernelManager
from tests.client.kernels import tiny_spec
from tests.client.procs import children, open_fds

CYCLES = 100


@pytest.mark.slow
def test_hundred_start_stop_cycles_leak_nothing() -> None:
    # The tiny kernel is the fastest real kernel, so 100 cycles stay quick.
    spec = tiny_spec()

    async def cycle() -> None:
        km = KernelManager(spec, echo_stderr=False)
        await km.start()
        await km.client.kernel_info(timeout=5)
        await km.shutdown()
        assert not km.connection_file.exists()

    async def main() -> tuple[int, int]:
        await cycle()  # warm up: the shared zmq context opens its own descriptors once
        before = open_fds()
        started = time.monotonic()
        for _ in range(CYCLES):
            await cycle()
        print(f"{CYCLES} cycles in {time.monotonic() - started:.1f}s")
        # zmq's reaper thread closes a socket's descriptors shortly after close(),
        # later on a loaded machine: give it a moment. A real leak never comes back.
        deadline = time.monotonic() + 10
        while open_fds() > before and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return before, open_fds()

    before, after = asyncio.run(main())
    assert after <= before, f"open file descriptors grew from {before} to {after}"
    assert children() == [], "kernel processes (or zombies) were left behind"
