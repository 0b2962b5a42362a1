"""A kernel's process as the manager sees it: what it says on stderr, and its exit."""

from __future__ import annotations

import asyncio
import sys

from carnet.client.process import KernelProcess

# Two writes, so that the text may arrive split over two reads; then it waits for its end.
SAYS_THEN_HANGS = (
    "import os, signal\n"
    "os.write(2, b'zmq.error.ZMQError: Address al')\n"
    "os.write(2, b'ready in use\\n')\n"
    "signal.pause()\n"
)


def test_said_returns_once_the_text_is_on_stderr_even_if_it_came_first() -> None:
    async def main() -> None:
        process = await KernelProcess.launch(
            [sys.executable, "-c", SAYS_THEN_HANGS], {}, echo_stderr=False
        )
        try:
            await asyncio.wait_for(process.said("Address already in use"), 30)
            # Said before this call: still found, in the tail kept for error messages.
            await asyncio.wait_for(process.said("ZMQError"), 30)
            assert process.returncode is None
        finally:
            await process.terminate(term_timeout=5)

    asyncio.run(main())


def test_said_waits_for_text_the_process_never_writes() -> None:
    async def main() -> None:
        code = "import sys; sys.stderr.write('something else')"
        process = await KernelProcess.launch([sys.executable, "-c", code], {}, echo_stderr=False)
        waiting = asyncio.create_task(process.said("Address already in use"))
        assert await process.wait(30) == 0
        await asyncio.sleep(0)  # let the task see the last of stderr, read at the exit
        assert not waiting.done()
        assert "something else" in process.stderr_tail()
        waiting.cancel()

    asyncio.run(main())
