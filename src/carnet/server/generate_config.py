"""`carnet notebook --generate-config`: a commented-out jupyter_notebook_config.py."""

from __future__ import annotations

import sys

from carnet import paths
from carnet.server.config import CONFIG_FILE_NAME, NotebookApp


def default_config_text(app: NotebookApp) -> str:
    """Every option, commented out, with its help and default."""
    text: str = app.generate_config_file()
    return text if text.endswith("\n") else text + "\n"


def write_default_config(app: NotebookApp, answer_yes: bool) -> int:
    """Write the default config into the user's config directory; asks before overwriting."""
    target = paths.config_dir() / f"{CONFIG_FILE_NAME}.py"
    if target.exists() and not answer_yes and not _confirm_overwrite(str(target)):
        print(f"Not overwriting {target}")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.tmp")
    partial.write_text(default_config_text(app))
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
