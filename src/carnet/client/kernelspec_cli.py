"""`carnet kernelspec list [--json]` and `carnet kernelspec install ...`."""

from __future__ import annotations

import argparse
import json
import sys

from carnet.client.kernelspec import (
    CARNET_DISPLAY_NAME,
    CARNET_KERNEL_NAME,
    all_kernel_specs,
    carnet_kernel_spec,
    find_kernel_specs,
    install_kernel_spec,
)
from carnet.errors import KernelSpecError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carnet kernelspec", description="Manage kernelspecs.")
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="list the available kernels")
    listing.add_argument("--json", action="store_true", help="print JSON, as the REST API does")
    install = commands.add_parser("install", help="install Carnet's Python kernelspec")
    where = install.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="into the user's Jupyter data dir")
    where.add_argument("--sys-prefix", action="store_true", help=f"into {sys.prefix}")
    where.add_argument("--prefix", metavar="P", help="into P/share/jupyter/kernels")
    install.add_argument("--name", default=CARNET_KERNEL_NAME, help="the kernel's name")
    install.add_argument("--display-name", default=CARNET_DISPLAY_NAME, help="its display name")
    return parser


def _list(as_json: bool) -> int:
    specs = all_kernel_specs()
    locations = find_kernel_specs()
    if as_json:
        out = {
            name: {"resource_dir": str(locations[name] or ""), "spec": spec.to_dict()}
            for name, spec in sorted(specs.items())
        }
        print(json.dumps({"kernelspecs": out}, indent=2))
        return 0
    width = max(len(name) for name in specs)
    print("Available kernels:")
    for name in sorted(specs):
        where = locations[name] or "(built in: Carnet's kernel)"
        print(f"  {name.ljust(width)}    {where}")
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    if args.command == "list":
        return _list(args.json)
    spec = carnet_kernel_spec(args.name, args.display_name)
    try:
        path = install_kernel_spec(
            spec, user=args.user, sys_prefix=args.sys_prefix, prefix=args.prefix
        )
    except KernelSpecError as exc:
        print(f"carnet kernelspec: {exc}", file=sys.stderr)
        return 1
    print(f"Installed kernelspec {args.name} in {path}")
    return 0
