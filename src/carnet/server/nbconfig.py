"""Front-end config, as the classic notebook keeps it: `nbconfig/<section>.json`.

Every directory of the Jupyter config path may hold `nbconfig/<section>.json` and a
`nbconfig/<section>.d/*.json` directory (what installed packages drop there). They are
merged like Jupyter's config manager does: least specific directory first, in each the
`.d` files in name order and then `<section>.json`, each merged into the result
recursively, so a more specific file wins key by key. A `null` in an update removes its
key; a dict emptied by that is removed too. Writes go only to the user's config dir.

Unlike Jupyter, a file that is not a JSON object is an error naming the file, not a
silent skip: the user is told why their settings are not applied, and an update never
overwrites (and so loses) a file it could not read.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

from carnet import paths
from carnet.errors import BadConfigSection, CorruptConfigFile

_SECTION = re.compile(r"[A-Za-z0-9_-]+")
SUBDIR = "nbconfig"


def check_section(name: str) -> str:
    """The section name if it names a file inside nbconfig/; BadConfigSection otherwise."""
    if not _SECTION.fullmatch(name):
        raise BadConfigSection(
            f"Invalid config section {name!r}: use letters, digits, '_' and '-' only"
        )
    return name


def recursive_update(target: dict[str, Any], new: dict[str, Any]) -> None:
    """Merge `new` into `target` in place: dicts recursively, None deletes a key."""
    for key, value in new.items():
        if isinstance(value, dict):
            current = target.get(key)
            if not isinstance(current, dict):
                current = target[key] = {}
            recursive_update(current, value)
            if not current:
                del target[key]
        elif value is None:
            target.pop(key, None)
        else:
            target[key] = value


def _read(path: Path) -> dict[str, Any] | None:
    """The JSON object in `path`; None when the file is absent or empty."""
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None
    except OSError as exc:
        raise CorruptConfigFile(f"Cannot read front-end config {path}: {exc.strerror}") from exc
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise CorruptConfigFile(
            f"Invalid JSON in front-end config {path}: {exc}; fix or remove the file"
        ) from exc
    if not isinstance(data, dict):
        raise CorruptConfigFile(
            f"Front-end config {path} must hold a JSON object, not {type(data).__name__}"
        )
    return data


def _files(directory: Path, section: str) -> list[Path]:
    """One directory's files for a section, lowest precedence first."""
    try:
        defaults = sorted((directory / f"{section}.d").glob("*.json"))
    except OSError:
        defaults = []
    return [*defaults, directory / f"{section}.json"]


class FrontendConfig:
    """Reads merged sections along the config path; updates the user's files."""

    def __init__(self) -> None:
        # One update at a time: two PATCHes must not both read the old file.
        self._lock = threading.Lock()

    def read_dirs(self) -> list[Path]:
        """The nbconfig directories, most specific first (as paths.config_path())."""
        return [p / SUBDIR for p in paths.config_path()]

    def write_dir(self) -> Path:
        return paths.config_dir() / SUBDIR

    def get(self, section: str) -> dict[str, Any]:
        """The merged section ({} when no file has it)."""
        check_section(section)
        merged: dict[str, Any] = {}
        for directory in reversed(self.read_dirs()):
            for path in _files(directory, section):
                data = _read(path)
                if data is not None:
                    recursive_update(merged, data)
        return merged

    def update(self, section: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Merge `changes` into the user's `<section>.json`; the new merged section."""
        check_section(section)
        path = self.write_dir() / f"{section}.json"
        with self._lock:
            data = _read(path) or {}
            recursive_update(data, changes)
            write_json(path, data)
        return self.get(section)

    def replace(self, section: str, data: dict[str, Any]) -> None:
        """Make `data` the user's `<section>.json` (Jupyter's PUT)."""
        check_section(section)
        with self._lock:
            write_json(self.write_dir() / f"{section}.json", data)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Replace the file atomically: a crash leaves the old file or the new, never half."""
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
