"""Finding running kernels by path, name, id, prefix or recency, then talking to them."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from carnet.client.client import AsyncKernelClient
from carnet.client.manager import KernelManager
from carnet.connection_files import find_connection_file
from carnet.errors import KernelNotFound
from carnet.ids import KernelId
from tests.client.kernels import tiny_spec

FIRST = KernelId("abcd1111-0000-4000-8000-000000000001")
SECOND = KernelId("abcd2222-0000-4000-8000-000000000002")


async def answers(path: Path) -> bool:
    client = AsyncKernelClient.from_connection_file(path)
    await client.start_channels()
    try:
        reply = await client.kernel_info(timeout=5)
        return reply.content["implementation"] == "tiny"
    finally:
        await client.stop_channels()


def test_lookup_forms_on_running_kernels(runtime_dir: Path) -> None:
    async def main() -> None:
        managers = [
            KernelManager(tiny_spec(), kernel_id=k, echo_stderr=False) for k in (FIRST, SECOND)
        ]
        for km in managers:
            await km.start()
        # Make the recency order explicit: SECOND is the most recently started.
        os.utime(managers[0].connection_file, (1_000_000, 1_000_000))
        try:
            first_file, second_file = (km.connection_file for km in managers)
            assert find_connection_file(str(first_file)) == first_file
            assert find_connection_file(first_file.name) == first_file
            assert find_connection_file(FIRST) == first_file
            assert find_connection_file("abcd2") == second_file
            assert find_connection_file() == second_file
            assert await answers(find_connection_file("abcd1"))

            with pytest.raises(KernelNotFound) as ambiguous:
                find_connection_file("abcd")
            assert sorted(ambiguous.value.candidates) == [FIRST, SECOND]
            assert FIRST in str(ambiguous.value) and SECOND in str(ambiguous.value)
            with pytest.raises(KernelNotFound) as missing:
                find_connection_file("ffff")
            assert FIRST in str(missing.value) and SECOND in str(missing.value)
        finally:
            for km in managers:
                await km.shutdown()
        with pytest.raises(KernelNotFound, match="no running kernel"):
            find_connection_file()

    asyncio.run(main())
