"""Writing `NotebookApp.password` into the user's `jupyter_notebook_config.json`.

The file is merged, not replaced: other options in it are kept. It is written
atomically (a temporary file, then a rename) with mode 0600, since it holds a
password hash. A file that is not a JSON object is reported, never overwritten.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from carnet import paths
from carnet.errors import ConfigError

CONFIG_JSON = "jupyter_notebook_config.json"


def config_json_path() -> Path:
    """Where `carnet notebook password` writes: the Jupyter config directory's JSON file."""
    return paths.config_dir() / CONFIG_JSON


def store_password(password_hash: str, path: Path | None = None) -> Path:
    """Set NotebookApp.password in the JSON config file (created if needed); its path."""
    path = path or config_json_path()
    config = _read(path)
    section = config.setdefault("NotebookApp", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: 'NotebookApp' is not a JSON object; not overwriting it")
    section["password"] = password_hash
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_private(path, json.dumps(config, indent=2, sort_keys=True) + "\n")
    return path


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc}); not overwriting it") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: not a JSON object; not overwriting it")
    return data


def _write_private(path: Path, text: str) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
