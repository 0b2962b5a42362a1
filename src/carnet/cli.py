"""`carnet <command>`: a small dispatcher that imports each command lazily."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

from carnet import __version__

# command -> (module, function, one-line help). Each function takes argv and returns an exit code.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "kernel": ("carnet.client.standalone", "main", "start a standalone kernel"),
    "kernelspec": ("carnet.client.kernelspec_cli", "main", "list or install kernelspecs"),
    "console": ("carnet.console.app", "main", "a terminal console attached to a kernel"),
    "notebook": ("carnet.server.cli", "main", "the notebook server (list, stop, --help-all)"),
    "singleuser": (
        "carnet.server.hub.cli",
        "main",
        "a JupyterHub single-user server (configured by JUPYTERHUB_* variables)",
    ),
    "extension": (
        "carnet.server.extensions.cli",
        "main",
        "list, enable or disable server and front-end extensions",
    ),
    "trust": ("carnet.trust.cli", "main", "trust notebooks (their outputs may run script)"),
}


def usage() -> str:
    lines = ["usage: carnet <command> [options]", "", "commands:"]
    width = max(len(name) for name in COMMANDS)
    for name, (_, _, text) in COMMANDS.items():
        lines.append(f"  {name.ljust(width)}  {text}")
    lines += ["", "`carnet <command> --help` for a command's options."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(usage())
        return 0
    if args[0] in ("--version", "-V"):
        print(__version__)
        return 0
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"carnet: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module_name, func_name, _ = COMMANDS[name]
    func: Callable[[list[str]], int] = getattr(importlib.import_module(module_name), func_name)
    return func(rest)
