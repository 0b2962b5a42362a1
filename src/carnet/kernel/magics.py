"""Magics specific to Carnet's kernel: %connect_info."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from carnet import paths
from carnet.protocol.connection_file import kernel_id_of


def connect_info_text(connection_file: Path | None) -> str:
    """The connection JSON and how to attach a console to this kernel."""
    if connection_file is None:
        return "This kernel was started without a connection file."
    try:
        data = json.loads(connection_file.read_text(encoding="utf-8"))
        text = json.dumps(data, indent=2)
    except (OSError, ValueError) as exc:
        return f"Cannot read the connection file {connection_file}: {exc}"
    try:
        in_runtime = connection_file.resolve().parent == paths.runtime_dir().resolve()
    except OSError:
        in_runtime = False
    # In the runtime directory the kernel id (or a unique prefix of it) finds the file.
    target = kernel_id_of(connection_file) if in_runtime else str(connection_file)
    return (
        f"{text}\n\n"
        "To attach a console to this kernel:\n"
        f"    carnet console --existing {target}\n"
        "From another machine, save the JSON above to a file and pass its path:\n"
        "    carnet console --existing <file>\n"
        "`carnet console --existing` alone attaches to the most recently started kernel."
    )


def register_magics(shell: Any, connection_file: Path | None) -> None:
    def connect_info(line: str = "") -> None:
        """Print the kernel's connection information and how to attach a console."""
        print(connect_info_text(connection_file))

    shell.register_magic_function(connect_info, magic_kind="line", magic_name="connect_info")
