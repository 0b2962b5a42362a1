"""`carnet console [--kernel NAME] [--existing [ID|PREFIX|FILE]] [--shutdown]`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable

from carnet.client.client import AsyncKernelClient
from carnet.client.kernelspec import CARNET_KERNEL_NAME, get_kernel_spec
from carnet.client.lifecycle import KernelEvent
from carnet.client.manager import KernelManager
from carnet.connection_files import find_connection_file
from carnet.console.render import DIM, RESET
from carnet.console.repl import Repl
from carnet.errors import CarnetError, KernelDied, KernelError
from carnet.protocol.connection_file import kernel_id_of

_EVENT_NOTES = {
    "autorestarting": "The kernel died; restarting it",
    "running": "The kernel is running",
    "dead": "The kernel is dead",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="carnet console", description="A terminal console attached to a kernel."
    )
    parser.add_argument(
        "--existing",
        nargs="?",
        const="",
        metavar="ID|PREFIX|FILE",
        help="attach to a running kernel (the most recent one if none is named)",
    )
    parser.add_argument("--kernel", default=CARNET_KERNEL_NAME, help="kernelspec to start")
    parser.add_argument(
        "--shutdown", action="store_true", help="shut an --existing kernel down on exit"
    )
    parser.add_argument(
        "--no-confirm-exit", action="store_true", help="exit without asking (Ctrl-D)"
    )
    return parser


async def _ask_yes(question: str) -> bool:
    from prompt_toolkit import PromptSession

    try:
        answer: str = await PromptSession().prompt_async(question)
    except (KeyboardInterrupt, EOFError):
        return True
    return not answer.strip().lower().startswith("n")


def _note(text: str) -> None:
    print(f"{DIM}{text}{RESET}", flush=True)


async def _attach(args: argparse.Namespace) -> int:
    path = find_connection_file(args.existing or None)
    client = AsyncKernelClient.from_connection_file(path)
    await client.start_channels()
    kernel_id = kernel_id_of(path)
    try:
        _note(f"Attached to kernel {kernel_id} ({path})")

        async def confirm() -> bool:
            return True

        watch = asyncio.create_task(_watch_heartbeat(client))
        try:
            await _repl(client, client.interrupt, confirm)
        finally:
            watch.cancel()
        if args.shutdown:
            with contextlib.suppress(KernelError):
                await client.shutdown(timeout=5)
            _note(f"Kernel {kernel_id} shut down.")
        else:
            _note(f"Kernel left running: carnet console --existing {kernel_id[:8]}")
    finally:
        await client.stop_channels()
    return 0


async def _watch_heartbeat(client: AsyncKernelClient, interval: float = 2.0) -> None:
    """An attached kernel is not ours to watch by pid: a silent heartbeat means it is gone,
    and whatever waits for its replies is told so instead of hanging."""
    misses = 0
    while True:
        await asyncio.sleep(interval)
        misses = 0 if await client.heartbeat.beat(timeout=interval) else misses + 1
        if misses == 3:
            _note("The kernel does not answer its heartbeat; it may have died.")
            client.abort_pending(KernelDied("the kernel stopped answering its heartbeat"))


async def _start(args: argparse.Namespace) -> int:
    manager = KernelManager(get_kernel_spec(args.kernel))

    def on_event(event: KernelEvent) -> None:
        note = _EVENT_NOTES.get(event.status)
        if note and (event.status != "running" or event.restart_count):
            _note(f"{note}.")

    manager.subscribe(on_event)
    await manager.start()
    try:

        async def confirm() -> bool:
            if args.no_confirm_exit:
                return True
            return await _ask_yes("Do you really want to exit and shut down the kernel ([y]/n)? ")

        await _repl(manager.client, manager.interrupt, confirm)
    finally:
        await manager.shutdown()
    return 0


async def _repl(
    client: AsyncKernelClient,
    interrupt: Callable[[], Awaitable[object]],
    confirm: Callable[[], Awaitable[bool]],
) -> None:
    info = await client.wait_for_ready(timeout=30)
    banner = str(info.content.get("banner", "")).rstrip()
    if banner:
        print(banner + "\n", flush=True)
    repl = Repl(client, info.content.get("language_info", {}), interrupt, confirm)
    await repl.sync_execution_count()
    await repl.run()


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(_attach(args) if args.existing is not None else _start(args))
    except CarnetError as exc:
        print(f"carnet console: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
