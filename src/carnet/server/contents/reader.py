"""Reading: the model of a file, notebook or directory (blocking; run in a thread)."""

from __future__ import annotations

import fnmatch
import os
import stat
import threading
from collections import OrderedDict
from pathlib import Path
from typing import NamedTuple, Protocol

from carnet.errors import ContentsNotFound, InvalidContents
from carnet.server.contents import notebooks
from carnet.server.contents.models import (
    Model,
    add_hash,
    base_model,
    file_content,
    guess_mimetype,
    kind_of,
)
from carnet.server.contents.paths import PathResolver, Resolved, join

# Never listed, as in jupyter_server's default `hide_globs`: build debris, not user files.
HIDE_GLOBS = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*.so", "*.dylib", "*~")

TYPES = ("directory", "file", "notebook")
FORMATS = ("text", "base64")


class NotebookTrust(Protocol):
    """The hook for notebook trust (signatures): marks cells on read, signs on save.

    Both return the notebook's digest in a form only the hook understands (None when
    it has none), which the store keeps with the file's state and hands back to `mark`
    while the file is unchanged: digesting a big notebook costs as much as validating it.
    """

    def mark(self, nb: notebooks.Notebook, api_path: str, digest: str | None = None) -> str | None:
        """Set each code cell's `metadata.trusted` for a notebook about to be sent."""

    def sign(self, nb: notebooks.Notebook, api_path: str) -> str | None:
        """Record the signature of a notebook about to be saved, if all its cells are trusted."""


StatKey = tuple[int, int, int, int]


class FileFacts(NamedTuple):
    """What is known of a notebook file in one state: its validation message, its digest."""

    message: str | None
    digest: str | None = None


class ValidationCache:
    """Validation results (and trust digests) of notebook files as they are on disk.

    Keyed by their stat: validating a big notebook costs a noticeable fraction of loading
    it; a notebook just saved (and validated before the write) or opened again unchanged
    need not be validated again. Any change to the file changes its size, mtime or ctime.
    """

    def __init__(self, size: int = 32) -> None:
        self._entries: OrderedDict[Path, tuple[StatKey, FileFacts]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    @staticmethod
    def _key(st: os.stat_result) -> StatKey:
        return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)

    def lookup(self, real: Path, st: os.stat_result) -> FileFacts | None:
        """What is known of this file in this exact state, if anything."""
        with self._lock:
            entry = self._entries.get(real)
            if entry is None or entry[0] != self._key(st):
                return None
            self._entries.move_to_end(real)
            return entry[1]

    def store(self, real: Path, st: os.stat_result, facts: FileFacts) -> None:
        with self._lock:
            self._entries[real] = (self._key(st), facts)
            self._entries.move_to_end(real)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)


def _stat(resolved: Resolved) -> os.stat_result:
    try:
        return os.stat(resolved.real)
    except (FileNotFoundError, NotADirectoryError) as exc:
        raise ContentsNotFound(f"No such file or directory: {resolved.api!r}", "not found") from exc


def read_bytes(real: Path, api_path: str) -> bytes:
    try:
        with open(real, "rb") as f:
            return f.read()
    except FileNotFoundError as exc:
        raise ContentsNotFound(f"No such file or directory: {api_path!r}", "not found") from exc
    except PermissionError as exc:
        raise InvalidContents(
            f"Permission denied reading {api_path!r}", "permission denied"
        ) from exc


def get(
    paths: PathResolver,
    path: str,
    *,
    content: bool = True,
    type: str | None = None,
    format: str | None = None,
    require_hash: bool = False,
    trust: NotebookTrust | None = None,
    validated: ValidationCache | None = None,
) -> Model:
    if type not in (None, *TYPES):
        raise InvalidContents(f"Type {type!r} is invalid", "bad type")
    if format not in (None, *FORMATS):
        raise InvalidContents(f"Format {format!r} is invalid", "bad format")
    resolved = paths.resolve(path)
    st = _stat(resolved)
    api = resolved.api
    if stat.S_ISDIR(st.st_mode):
        if type not in (None, "directory"):
            raise InvalidContents(f"{api!r} is a directory, not a {type}", "bad type")
        return _directory(paths, resolved, st, content)
    if not stat.S_ISREG(st.st_mode):
        # Reading a FIFO or a device would hang or never end.
        raise InvalidContents(f"{api!r} is not a regular file", "bad type")
    if type == "directory":
        raise InvalidContents(f"{api!r} is not a directory", "bad type")
    if type == "notebook" or (type is None and api.endswith(".ipynb")):
        return _notebook(resolved, st, content, require_hash, trust, validated)
    return _file(resolved, st, content, format, require_hash)


def _notebook(
    resolved: Resolved,
    st: os.stat_result,
    content: bool,
    require_hash: bool,
    trust: NotebookTrust | None,
    validated: ValidationCache | None,
) -> Model:
    model = base_model(resolved.api, resolved.real, st, "notebook")
    if not (content or require_hash):
        return model
    raw = read_bytes(resolved.real, resolved.api)
    if content:
        nb = notebooks.parse(raw, resolved.api)
        known = validated.lookup(resolved.real, st) if validated else None
        facts = known or FileFacts(notebooks.validation_message(nb))
        if trust is not None:
            facts = facts._replace(digest=trust.mark(nb, resolved.api, facts.digest))
        if validated is not None and facts != known:
            validated.store(resolved.real, st, facts)
        message = facts.message
        model["content"] = nb
        model["format"] = "json"
        if message:
            model["message"] = message
    if require_hash:
        add_hash(model, raw)
    return model


def _file(
    resolved: Resolved,
    st: os.stat_result,
    content: bool,
    format: str | None,
    require_hash: bool,
) -> Model:
    model = base_model(resolved.api, resolved.real, st, "file")
    model["mimetype"] = guess_mimetype(resolved.api)
    if not (content or require_hash):
        return model
    raw = read_bytes(resolved.real, resolved.api)
    if content:
        text, fmt = file_content(raw, format, resolved.api)
        if model["mimetype"] is None:
            model["mimetype"] = "text/plain" if fmt == "text" else "application/octet-stream"
        model["content"] = text
        model["format"] = fmt
    if require_hash:
        add_hash(model, raw)
    return model


def _directory(paths: PathResolver, resolved: Resolved, st: os.stat_result, content: bool) -> Model:
    model = base_model(resolved.api, resolved.real, st, "directory")
    if content:
        model["content"] = list_directory(paths, resolved)
        model["format"] = "json"
    return model


def list_directory(paths: PathResolver, resolved: Resolved) -> list[Model]:
    entries: list[Model] = []
    try:
        scan = list(os.scandir(resolved.real))
    except PermissionError as exc:
        raise InvalidContents(
            f"Permission denied listing {resolved.api!r}", "permission denied"
        ) from exc
    for entry in scan:
        if any(fnmatch.fnmatch(entry.name, glob) for glob in HIDE_GLOBS):
            continue
        entry_path = Path(entry.path)
        try:
            if not paths.listable(entry_path, entry.is_symlink()):
                continue
            st = entry.stat()  # follows symlinks; a broken one raises and is skipped
        except OSError:
            continue
        if not (stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode)):
            continue
        api = join(resolved.api, entry.name)
        kind = kind_of(api, stat.S_ISDIR(st.st_mode))
        model = base_model(api, entry_path, st, kind)
        if kind == "file":
            model["mimetype"] = guess_mimetype(entry.name)
        entries.append(model)
    return entries
