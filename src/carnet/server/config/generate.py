"""`carnet notebook --generate-config`: a commented-out jupyter_notebook_config.py.

Options are listed under the section names Jupyter users write (`c.NotebookApp`,
`c.Application`, `c.ContentsManager`, `c.MappingKernelManager`), each with its
help and its default, so uncommenting a line is all it takes. `--help-all` lists
the same options. Both are given the application class (whose defaults they show)
rather than importing it: it imports this module for its help.
"""

from __future__ import annotations

import sys
import textwrap
from typing import Any

from traitlets.config import Application, Configurable

from carnet import __version__, paths
from carnet.server.config.options import (
    CONFIG_FILE_NAME,
    ContentsManager,
    MappingKernelManager,
    ServerOptions,
)

_RULE = "#" + "-" * 78
_LOGGING = ("log_level", "log_format", "log_datefmt", "logging_config")


def sections(app_class: type[Application]) -> list[tuple[str, Configurable, list[str]]]:
    """(section name, an instance holding the defaults, option names) for each section."""
    app = app_class()
    server_options = [*ServerOptions.class_traits(config=True), "config_file"]
    culling = MappingKernelManager.class_traits(config=True)
    return [
        ("NotebookApp", app, sorted(server_options)),
        ("Application", app, list(_LOGGING)),
        ("ContentsManager", ContentsManager(), sorted(ContentsManager.class_traits(config=True))),
        ("MappingKernelManager", MappingKernelManager(), sorted(culling)),
    ]


def _option(section: str, instance: Configurable, name: str) -> list[str]:
    trait: Any = instance.traits()[name]
    text = " ".join(str(trait.help or "").split()) or "(no description)"
    wrapped = textwrap.wrap(text, 77)
    value = repr(getattr(instance, name))
    return [
        f"## {wrapped[0]}",
        *(f"#  {line}" for line in wrapped[1:]),
        f"#  Default: {value}",
        f"# c.{section}.{name} = {value}",
        "",
    ]


def help_all_text(app_class: type[Application]) -> list[str]:
    """`--help-all`'s list: every option as it is set on the command line."""
    lines: list[str] = []
    for section, instance, names in sections(app_class):
        lines += [f"{section} options", "-" * (len(section) + 8)]
        for name in names:
            trait: Any = instance.traits()[name]
            text = " ".join(str(trait.help or "").split()) or "(no description)"
            lines.append(f"--{section}.{name}=<{type(trait).__name__}>")
            lines += [f"    {line}" for line in textwrap.wrap(text, 76)]
            lines.append(f"    Default: {getattr(instance, name)!r}")
        lines.append("")
    return lines


def default_config_text(app_class: type[Application]) -> str:
    """Every option, commented out, with its help and default."""
    lines = [
        f"# Configuration file for carnet notebook (Carnet {__version__}).",
        "# Jupyter Server's section (c.ServerApp.*) is read too; c.NotebookApp.* wins over it.",
        "",
        "c = get_config()  # noqa",
        "",
    ]
    for section, instance, names in sections(app_class):
        lines += [_RULE, f"# {section}", _RULE, ""]
        for name in names:
            lines += _option(section, instance, name)
    return "\n".join(lines)


def write_default_config(app: Application, answer_yes: bool) -> int:
    """Write the default config into the user's config directory; asks before overwriting."""
    target = paths.config_dir() / f"{CONFIG_FILE_NAME}.py"
    if target.exists() and not answer_yes and not _confirm_overwrite(str(target)):
        print(f"Not overwriting {target}")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.tmp")
    partial.write_text(default_config_text(type(app)))
    partial.replace(target)
    print(f"Writing default config to: {target}")
    return 0


def _confirm_overwrite(path: str) -> bool:
    print(f"Overwrite {path} with default config? [y/N] ", end="", flush=True)
    try:
        answer = sys.stdin.readline()
    except (KeyboardInterrupt, OSError, ValueError):
        answer = ""
    return answer.strip().lower().startswith("y")
