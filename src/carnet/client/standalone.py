"""`carnet kernel [--kernel NAME]`: a kernel on its own, for consoles to attach to.

As `jupyter kernel`: it prints the connection file and how to attach, and
shuts the kernel down on Ctrl-C or SIGTERM (or exits when a client shuts the
kernel down).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from carnet.client.kernelspec import CARNET_KERNEL_NAME, get_kernel_spec
from carnet.client.lifecycle import KernelEvent
from carnet.client.manager import KernelManager
from carnet.errors import CarnetError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carnet kernel", description="Start a standalone kernel.")
    parser.add_argument("--kernel", default=CARNET_KERNEL_NAME, help="kernelspec name")
    parser.add_argument("--ip", default="127.0.0.1", help="address (or ipc path) to listen on")
    parser.add_argument("--transport", choices=("tcp", "ipc"), default="tcp")
    parser.add_argument("-f", "--connection-file", type=Path, help="where to write it")
    return parser


async def _serve(manager: KernelManager) -> int:
    stop = asyncio.Event()
    outcome = {"code": 0}

    def on_event(event: KernelEvent) -> None:
        if event.status == "dead":
            outcome["code"] = 0 if event.detail == "shut down by a client" else 1
            stop.set()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    manager.subscribe(on_event)
    await manager.start()
    print(f"Kernel {manager.kernel_id} ({manager.spec.display_name}) is running.")
    print(f"Connection file: {manager.connection_file}")
    print(f"To connect a client: carnet console --existing {manager.kernel_id[:8]}")
    print("Press Ctrl-C to shut it down.", flush=True)
    try:
        await stop.wait()
    finally:
        print("Shutting down the kernel.", flush=True)
        await manager.shutdown()
    return outcome["code"]


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[carnet kernel] %(message)s")
    try:
        manager = KernelManager(
            get_kernel_spec(args.kernel),
            ip=args.ip,
            transport=args.transport,
            connection_file=args.connection_file,
        )
        return asyncio.run(_serve(manager))
    except CarnetError as exc:
        print(f"carnet kernel: {exc}", file=sys.stderr)
        return 1
