"""`carnet notebook`: serve; `list`, `stop`, `password`; `--generate-config`; `--help(-all)`."""

from __future__ import annotations

import json
import sys

from carnet import __version__
from carnet.errors import ConfigError

USAGE_ERROR = 2


def main(argv: list[str]) -> int:
    """Entry point of `carnet notebook`; the process exit code."""
    if argv and argv[0] == "list":
        return _list(argv[1:])
    if argv and argv[0] == "stop":
        return _stop(argv[1:])
    if argv and argv[0] == "password":
        from carnet.server.auth.password_cli import main as password_main

        return password_main(argv[1:])
    from carnet.server.config.application import NotebookApp

    words = argv[: argv.index("--")] if "--" in argv else argv
    if any(flag in words for flag in ("-h", "--help", "--help-all")):
        NotebookApp().print_help("--help-all" in words)
        return 0
    if "--version" in words or "-V" in words:
        print(__version__)
        return 0
    return _serve(argv)


def _serve(argv: list[str]) -> int:
    from carnet.server.config import generate, load, resolve

    try:
        loaded = load.load(argv)
    except ConfigError as exc:
        print(f"carnet notebook: {exc}", file=sys.stderr)
        return USAGE_ERROR
    app = loaded.app
    log = app.log  # configures logging from c.Application.log_*
    for path in loaded.files:
        log.debug("Loaded config file: %s", path)
    for warning in loaded.warnings:
        log.warning("%s", warning)
    if app.generate_config:
        return generate.write_default_config(app, app.answer_yes)
    try:
        resolved = resolve.resolve(loaded)
    except ConfigError as exc:
        print(f"carnet notebook: {exc}", file=sys.stderr)
        return USAGE_ERROR
    from carnet.server import runner

    return runner.run(resolved)


def _list(argv: list[str]) -> int:
    from carnet.server import runtime_info

    unknown = [a for a in argv if a != "--json"]
    if unknown:
        print(f"usage: carnet notebook list [--json] (unexpected: {unknown})", file=sys.stderr)
        return USAGE_ERROR
    servers = runtime_info.running_servers()
    if "--json" in argv:
        for info in servers:
            print(json.dumps(info))
        return 0
    print("Currently running servers:")
    for info in servers:
        print(runtime_info.display_line(info))
    return 0


def _stop(argv: list[str]) -> int:
    from carnet.server import runtime_info

    if len(argv) > 1 or (argv and not argv[0].isdigit()):
        print("usage: carnet notebook stop [PORT]  (PORT defaults to 8888)", file=sys.stderr)
        return USAGE_ERROR
    port = int(argv[0]) if argv else 8888
    try:
        print(runtime_info.stop_server(port))
    except LookupError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0
