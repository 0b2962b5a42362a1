"""`carnet extension list | enable NAME | disable NAME [--section=PAGE]`.

A NAME with a '/' ("example/main") is a front-end extension: enabling it sets
`load_extensions` in the user's `nbconfig/<section>.json` (section `notebook` unless
`--section` says tree, edit, terminal or common), as `jupyter nbextension enable`
does. Any other NAME is a server extension: enabling it sets
`NotebookApp.nbserver_extensions` in the user's `jupyter_notebook_config.json`, as
`jupyter serverextension enable` does. A name that is malformed or not installed is
an error (exit 1) that says what is installed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from carnet import paths
from carnet.errors import ConfigError
from carnet.server.config.options import CONFIG_FILE_NAME
from carnet.server.extensions import loading
from carnet.server.extensions.api import ENTRY_POINT_GROUP, PAGE_SECTIONS
from carnet.server.extensions.names import check_require, is_module_name
from carnet.server.extensions.static import find_file
from carnet.server.nbconfig import FrontendConfig, recursive_update, write_json

USAGE = (
    "usage: carnet extension list\n"
    "       carnet extension enable NAME [--section=PAGE]\n"
    "       carnet extension disable NAME [--section=PAGE]\n"
    "NAME: a server extension (a 'carnet.server_extensions' entry point), or a front-end\n"
    "one as nbconfig names it ('name/main' for nbextensions/name/main.js; PAGE: notebook,\n"
    "tree, edit, terminal or common, default notebook)."
)


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--section=")]
    sections = [a.split("=", 1)[1] for a in argv if a.startswith("--section=")]
    section = sections[-1] if sections else "notebook"
    if not args or args[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if args else 2
    try:
        if args[0] == "list" and len(args) == 1:
            print("\n".join(listing()))
            return 0
        if args[0] in ("enable", "disable") and len(args) == 2:
            print(switch(args[1], args[0] == "enable", section))
            return 0
    except ConfigError as exc:
        print(f"carnet extension: {exc}", file=sys.stderr)
        return 1
    print(USAGE, file=sys.stderr)
    return 2


def server_config_file() -> Path:
    return paths.config_dir() / f"{CONFIG_FILE_NAME}.json"


def switch(name: str, on: bool, section: str) -> str:
    """Enable or disable one extension; a line saying what was done."""
    if "/" in name:
        return _switch_frontend(name, on, section)
    return _switch_server(name, on)


def _switch_frontend(require: str, on: bool, section: str) -> str:
    check_require(require)
    if section not in PAGE_SECTIONS:
        raise ConfigError(f"unknown section {section!r}: use one of {', '.join(PAGE_SECTIONS)}")
    if on and frontend_file(require) is None:
        where = ", ".join(str(d) for d in paths.jupyter_path("nbextensions"))
        raise ConfigError(
            f"no front-end extension {require!r}: nbextensions/{require}.js is in none of {where}"
        )
    store = FrontendConfig()
    store.update(section, {"load_extensions": {require: on}})
    state = "enabled" if on else "disabled"
    return f"{state} front-end extension {require} ({store.write_dir() / section}.json)"


def _switch_server(name: str, on: bool) -> str:
    if not is_module_name(name):
        raise ConfigError(f"invalid server extension name {name!r}: expected a Python name")
    available = loading.installed()
    if on and name not in available:
        if loading.jupyter_only(name):
            raise ConfigError(
                f"{name!r} is a Jupyter Server extension, not a Carnet one (no "
                f"{ENTRY_POINT_GROUP!r} entry point): Carnet cannot load it"
            )
        known = ", ".join(sorted(available)) or "none"
        raise ConfigError(
            f"no server extension {name!r} is installed (installed Carnet extensions: {known})"
        )
    path = server_config_file()
    data = _read_json(path)
    recursive_update(data, {"NotebookApp": {"nbserver_extensions": {name: on}}})
    write_json(path, data)
    return f"{'enabled' if on else 'disabled'} server extension {name} ({path})"


def _read_json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError as exc:
        raise ConfigError(f"{path}: invalid JSON ({exc}); fix it first") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a JSON object; fix it first")
    return data


def frontend_file(require: str) -> Path | None:
    return find_file(paths.jupyter_path("nbextensions"), f"{require}.js")


def listing() -> list[str]:
    """The server and front-end extensions, installed and configured, one per line."""
    from carnet.server.config.load import load

    app = load([]).app
    configured = {**app.jpserver_extensions, **app.nbserver_extensions}
    available = loading.installed()
    lines = [f"Server extensions ({ENTRY_POINT_GROUP} entry points; config: nbserver_extensions):"]
    for name in sorted({*available, *configured}):
        state = "enabled " if configured.get(name) else "disabled"
        if name in available:
            note = available[name].value
        elif loading.jupyter_only(name):
            note = "Jupyter-only extension: not loaded by Carnet"
        else:
            note = "NOT INSTALLED"
        lines.append(f"  {name}  {state}  {note}")
    if len(lines) == 1:
        lines.append("  (none)")
    lines.append("Front-end extensions (nbconfig load_extensions):")
    store = FrontendConfig()
    count = len(lines)
    for section in PAGE_SECTIONS:
        wanted = store.get(section).get("load_extensions", {})
        for require, on in sorted(wanted.items() if isinstance(wanted, dict) else []):
            found = frontend_file(str(require)) if "/" in str(require) else None
            note = str(found) if found else "MISSING: no such file in nbextensions/"
            lines.append(f"  {section}: {require}  {'enabled ' if on else 'disabled'}  {note}")
    if len(lines) == count:
        lines.append("  (none)")
    return lines
