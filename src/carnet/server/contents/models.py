"""Contents models shaped exactly like jupyter_server's (services/api/api.yaml `Contents`).

Every model has name, path, type, writable, created, last_modified, mimetype, content,
format, size, hash and hash_algorithm; timestamps are ISO 8601 UTC strings ending in
`Z`, as jupyter_server serializes them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import mimetypes
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import orjson

from carnet.errors import InvalidContents
from carnet.server.contents.types import CheckpointModel, ContentsKind, ContentsModel

# The TypedDicts are generated from scripts/typegen/types.json, with the browser's types.
Model = ContentsModel

HASH_ALGORITHM = "sha256"


def isoformat(timestamp: float) -> str:
    try:
        moment = datetime.fromtimestamp(timestamp, tz=UTC)
    except (OverflowError, OSError, ValueError):
        moment = datetime(1970, 1, 1, tzinfo=UTC)  # A bogus mtime must not break a listing.
    return moment.isoformat().replace("+00:00", "Z")


def http_date(iso: str) -> str:
    """An RFC 7231 date (for Last-Modified) from one of our ISO timestamps."""
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(iso), usegmt=True)


def kind_of(api_path: str, is_dir: bool) -> ContentsKind:
    if is_dir:
        return "directory"
    return "notebook" if api_path.endswith(".ipynb") else "file"


def base_model(api_path: str, real: Path, st: os.stat_result, kind: ContentsKind) -> Model:
    return {
        "name": api_path.rpartition("/")[2],
        "path": api_path,
        "last_modified": isoformat(st.st_mtime),
        "created": isoformat(st.st_ctime),
        "content": None,
        "format": None,
        "mimetype": None,
        "size": None if kind == "directory" else st.st_size,
        "writable": os.access(real, os.W_OK),
        "hash": None,
        "hash_algorithm": None,
        "type": kind,
    }


def add_hash(model: Model, raw: bytes, known: str | None = None) -> None:
    """The model's hash of `raw` (`known` when it was computed already)."""
    model["hash"] = known or hashlib.new(HASH_ALGORITHM, raw).hexdigest()
    model["hash_algorithm"] = HASH_ALGORITHM


def json_bytes(data: Any) -> bytes:
    """Compact JSON in ASCII with \\u escapes, as jupyter_server sends it.

    The C encoder's ASCII mode is a quarter faster on a big notebook, and a lone
    surrogate cannot break the encoding.
    """
    return json.dumps(data, separators=(",", ":")).encode("ascii")


def notebook_json(nb: Any, finite: bool) -> bytes:
    """A notebook's content as JSON for a response: orjson's, ten times faster than `json_bytes`.

    orjson writes UTF-8 (as valid as \\u escapes to any JSON reader) but writes NaN and
    infinities as null: `finite` says the content has none (known from how it was read).
    What orjson refuses (a lone surrogate, an integer over 64 bits, deep nesting) goes
    to `json_bytes`, as does anything not finite.
    """
    if finite:
        try:
            return orjson.dumps(nb)
        except orjson.JSONEncodeError:
            pass
    return json_bytes(nb)


def content_hash(raw: bytes) -> str:
    return hashlib.new(HASH_ALGORITHM, raw).hexdigest()


@contextmanager
def hashing(raw: bytes) -> Iterator[Callable[[], str]]:
    """`content_hash(raw)`, computed by a thread while the block runs (hashlib lets go
    of the GIL on big data); the function yielded gives it once the block has ended."""
    done: list[str] = []
    thread = threading.Thread(target=lambda: done.append(content_hash(raw)), daemon=True)
    thread.start()
    try:
        yield lambda: done[0]
    finally:
        thread.join()


def guess_mimetype(name: str) -> str | None:
    return mimetypes.guess_type(name, strict=False)[0]


def file_content(
    raw: bytes, fmt: str | None, api_path: str
) -> tuple[str, Literal["text", "base64"]]:
    """(content, format) for a file: text when asked or when it is UTF-8, else base64."""
    if fmt in (None, "text"):
        try:
            return raw.decode("utf-8"), "text"
        except UnicodeDecodeError as exc:
            if fmt == "text":
                raise InvalidContents(f"{api_path!r} is not UTF-8 encoded", "bad format") from exc
    # encodebytes (76-column lines) is what jupyter_server sends; clients strip the newlines.
    return base64.encodebytes(raw).decode("ascii"), "base64"


def decode_upload(content: Any, fmt: Any, api_path: str) -> bytes:
    """The bytes of a file model's content ('text' or 'base64'), or InvalidContents."""
    if fmt not in ("text", "base64"):
        raise InvalidContents(
            "Must specify format of file contents as 'text' or 'base64'", "bad format"
        )
    if not isinstance(content, str):
        raise InvalidContents(f"File content for {api_path!r} must be a string", "bad model")
    if fmt == "text":
        try:
            return content.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidContents(f"Invalid text for {api_path!r}: {exc}", "bad format") from exc
    try:
        # Whitespace is allowed (encodebytes wraps lines); other non-alphabet bytes are not.
        return base64.b64decode("".join(content.split()).encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError) as exc:
        raise InvalidContents(
            f"Invalid base64 content for {api_path!r}: {exc}", "bad format"
        ) from exc


def checkpoint_model(checkpoint_id: str, st: os.stat_result) -> CheckpointModel:
    return {"id": checkpoint_id, "last_modified": isoformat(st.st_mtime)}
