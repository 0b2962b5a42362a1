"""Reading: the model of a file, notebook or directory (blocking; run in a thread)."""

from __future__ import annotations

import contextlib
import fnmatch
import os
import stat
from pathlib import Path

from carnet.errors import ContentsNotFound, InvalidContents
from carnet.nbfile import notebooks
from carnet.server.contents.cellmemo import CellMemo
from carnet.server.contents.known import FileFacts, Known, KnownFiles, file_stamp
from carnet.server.contents.models import (
    Model,
    add_hash,
    base_model,
    content_hash,
    file_content,
    guess_mimetype,
    hashing,
    kind_of,
    notebook_json,
)
from carnet.server.contents.paths import PathResolver, Resolved, join
from carnet.server.contents.trusthook import NotebookTrust

# Never listed, as in jupyter_server's default `hide_globs`: build debris, not user files.
HIDE_GLOBS = ("__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*.so", "*.dylib", "*~")

TYPES = ("directory", "file", "notebook")
FORMATS = ("text", "base64")


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
    known: KnownFiles | None = None,
) -> Model:
    model, encoded = _get(
        paths, path, content, type, format, require_hash, trust, known, None, False
    )
    assert encoded is None  # asked for a parsed content
    return model


def get_encoded(
    paths: PathResolver,
    path: str,
    *,
    content: bool = True,
    type: str | None = None,
    format: str | None = None,
    require_hash: bool = False,
    trust: NotebookTrust | None = None,
    known: KnownFiles | None = None,
    cells: CellMemo | None = None,
) -> tuple[Model, bytes | None]:
    """As `get`, but a notebook's content comes as its JSON (the model's is None).

    With `cells` (and `trust`), a notebook changed since it was last read is read
    cell by cell, and the cells read before are not read again (cellmemo.py).
    """
    return _get(paths, path, content, type, format, require_hash, trust, known, cells, True)


def _get(
    paths: PathResolver,
    path: str,
    content: bool,
    type: str | None,
    format: str | None,
    require_hash: bool,
    trust: NotebookTrust | None,
    known: KnownFiles | None,
    cells: CellMemo | None,
    encode: bool,
) -> tuple[Model, bytes | None]:
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
        return _directory(paths, resolved, st, content), None
    if not stat.S_ISREG(st.st_mode):
        # Reading a FIFO or a device would hang or never end.
        raise InvalidContents(f"{api!r} is not a regular file", "bad type")
    if type == "directory":
        raise InvalidContents(f"{api!r} is not a directory", "bad type")
    if type == "notebook" or (type is None and api.endswith(".ipynb")):
        memo = cells if encode and trust is not None else None
        return _notebook(resolved, st, content, require_hash, trust, known, memo, encode)
    return _file(resolved, st, content, format, require_hash), None


def _notebook(
    resolved: Resolved,
    st: os.stat_result,
    content: bool,
    require_hash: bool,
    trust: NotebookTrust | None,
    known: KnownFiles | None,
    memo: CellMemo | None,
    encode: bool,
) -> tuple[Model, bytes | None]:
    model = base_model(resolved.api, resolved.real, st, "notebook")
    if not (content or require_hash):
        return model, None
    raw = read_bytes(resolved.real, resolved.api)
    stamp = file_stamp(st)
    # A file `known` has not seen in this state (by stat: a hint, never trusted) is most
    # likely new to it, and about to be parsed: then it is hashed meanwhile, in a thread.
    late = content and known is not None and not known.stamped(resolved.real, stamp)
    hashed = require_hash or known is not None
    sha256 = content_hash(raw) if hashed and not late else None
    if sha256 is not None and require_hash:
        add_hash(model, raw, sha256)
    if not content:
        return model, None
    model["format"] = "json"
    entry = known.lookup(resolved.real, sha256) if known is not None and sha256 else None
    if encode and entry is not None and entry.encoded is not None:
        signed = trust.signed(entry.facts.digest) if trust is not None else None
        if signed == entry.signed:
            _add_message(model, entry.facts.message)
            return model, entry.encoded
    if memo is not None and trust is not None:
        # Unasked for, the hash is not made: only `known` would need it, and the memo
        # answers the next GET of these bytes as cheaply without it (they match its own).
        wait = sha256 is None and require_hash
        with hashing(raw) if wait else contextlib.nullcontext() as hashed_raw:
            assembled = memo.assemble(resolved.real, raw, trust)
        if hashed_raw is not None:
            sha256 = hashed_raw()
            add_hash(model, raw, sha256)
        if assembled is not None:
            if known is not None and sha256 is not None:
                facts = FileFacts(None, assembled.digest)
                kept = Known(sha256, facts, assembled.encoded, assembled.signed, stamp)
                known.store(resolved.real, kept)
            return model, assembled.encoded
        entry = known.lookup(resolved.real, sha256) if known is not None and sha256 else None
    if sha256 is None and hashed:
        with hashing(raw) as hashed_raw:
            nb, finite = notebooks.load(raw, resolved.api)
        sha256 = hashed_raw()
        if require_hash:
            add_hash(model, raw, sha256)
        entry = known.lookup(resolved.real, sha256) if known is not None else None
    else:
        nb, finite = notebooks.load(raw, resolved.api)
    del raw
    facts = entry.facts if entry is not None else FileFacts(notebooks.validation_message(nb))
    signed = None
    if trust is not None:
        before = trust.signed(facts.digest) if encode and facts.digest else None
        facts = facts._replace(digest=trust.mark(nb, resolved.api, facts.digest))
        signed = trust.signed(facts.digest) if encode else None
        if before is not None and before != signed:
            signed = None  # trust changed while marking: not kept, asked again next time
    _add_message(model, facts.message)
    encoded = notebook_json(nb, finite) if encode else None
    if known is not None and sha256 is not None and (encode or entry is None):
        # Encoded content is kept only with a trust state that can be asked again; a
        # parsed read (encode=False) learns nothing new of a file already known.
        keep = encoded if (trust is None or signed is not None) else None
        known.store(resolved.real, Known(sha256, facts, keep, signed if keep else None, stamp))
    if encoded is None:
        model["content"] = nb
    return model, encoded


def _add_message(model: Model, message: str | None) -> None:
    if message:
        model["message"] = message


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
