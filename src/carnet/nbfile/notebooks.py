"""Notebook files <-> notebook models, compatible with nbformat byte for byte.

On disk a v4 notebook is JSON with sorted keys, one-space indent, multi-line strings
split into lists of lines, and a final newline; in a model the lines are joined into
strings and transient keys (signature, orig_nbformat, cells' `trusted`) are dropped.
That is nbformat's own convention; doing it here on plain dicts, in place, avoids
nbformat's NotebookNode conversion and deep copies, which dominate the time on big
notebooks. Older formats (v1-v3) are upgraded through nbformat itself.

Validation uses nbformat's schemas (schema.py); a problem is reported as a message,
never fatal, as in Jupyter.
"""

from __future__ import annotations

import json
import math
import uuid
from typing import Any

from carnet.errors import InvalidContents
from carnet.nbfile import jsonfmt
from carnet.nbfile.jsonfmt import Lines

Notebook = dict[str, Any]

_NON_TEXT_SPLIT_MIMES = {"application/javascript", "image/svg+xml"}
_MAX_DETAIL = 400  # a validator may quote the offending value; a cell may be megabytes


def _is_json_mime(mime: str) -> bool:
    return mime == "application/json" or (
        mime.startswith("application/") and mime.endswith("+json")
    )


def _cells(nb: Notebook) -> list[dict[str, Any]]:
    cells = nb.get("cells")
    return [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _joined(value: Any) -> Any:
    """A list of strings joined into one string; anything else unchanged."""
    if isinstance(value, list):
        try:
            return "".join(value)  # fails (at C speed) unless every item is a string
        except TypeError:
            return value
    return value


def _rejoin_bundle(bundle: dict[str, Any]) -> None:
    for key, value in bundle.items():
        if isinstance(value, list) and not _is_json_mime(key):
            bundle[key] = _joined(value)


def _split_bundle(bundle: dict[str, Any]) -> None:
    for key, value in bundle.items():
        if isinstance(value, str) and (key.startswith("text/") or key in _NON_TEXT_SPLIT_MIMES):
            bundle[key] = Lines(value)


def _outputs(cell: dict[str, Any]) -> list[dict[str, Any]]:
    outputs = cell.get("outputs")
    if cell.get("cell_type") != "code" or not isinstance(outputs, list):
        return []
    return [o for o in outputs if isinstance(o, dict)]


def rejoin_lines(nb: Notebook) -> None:
    """Join split multi-line strings (the on-disk form) into plain strings, in place."""
    for cell in _cells(nb):
        rejoin_cell(cell)


def rejoin_cell(cell: dict[str, Any]) -> None:
    """`rejoin_lines` for one cell."""
    if isinstance(cell.get("source"), list):
        cell["source"] = _joined(cell["source"])
    for attachment in _dict(cell.get("attachments")).values():
        _rejoin_bundle(_dict(attachment))
    for output in _outputs(cell):
        kind = output.get("output_type", "")
        if kind in ("execute_result", "display_data"):
            _rejoin_bundle(_dict(output.get("data")))
        elif kind and isinstance(output.get("text"), list):
            output["text"] = _joined(output["text"])


def split_lines(nb: Notebook) -> None:
    """Mark multi-line strings to be written as lists of lines (the on-disk form), in place."""
    for cell in _cells(nb):
        split_cell(cell)


def split_cell(cell: dict[str, Any]) -> None:
    """`split_lines` for one cell."""
    source = cell.get("source")
    if isinstance(source, str):
        cell["source"] = Lines(source)
    for attachment in _dict(cell.get("attachments")).values():
        _split_bundle(_dict(attachment))
    for output in _outputs(cell):
        kind = output.get("output_type")
        if kind in ("execute_result", "display_data"):
            _split_bundle(_dict(output.get("data")))
        elif kind == "stream" and isinstance(output.get("text"), str):
            output["text"] = Lines(output["text"])


def strip_transient(nb: Notebook) -> None:
    """Drop values that must never be stored (signatures, trust marks), in place."""
    metadata = _dict(nb.get("metadata"))
    for key in ("orig_nbformat", "orig_nbformat_minor", "signature"):
        metadata.pop(key, None)
    for cell in _cells(nb):
        _dict(cell.get("metadata")).pop("trusted", None)


def repair_cell_ids(nb: Notebook) -> None:
    """Give 4.5+ cells a unique id when one is missing or repeated, as nbformat does on read."""
    if nb.get("nbformat_minor", 0) < 5:
        return
    seen: set[Any] = set()
    for cell in _cells(nb):
        cell_id = cell.get("id")
        if cell_id is None or cell_id in seen:
            cell_id = cell["id"] = uuid.uuid4().hex[:8]
        seen.add(cell_id)


def _upgrade(text: str, api_path: str) -> Notebook:
    """Read a v1-v3 notebook with nbformat and convert it to v4 (without its noisy validation)."""
    import nbformat
    import nbformat.reader

    # nbformat's functions are untyped; name them as Any once instead of casting each call.
    convert: Any = nbformat.convert
    read_any_version: Any = nbformat.reader.reads
    try:
        upgraded = convert(read_any_version(text), 4)
    except Exception as exc:  # nbformat raises assorted errors on malformed old notebooks
        raise InvalidContents(
            f"Unreadable notebook {api_path!r}: {exc}", "unreadable notebook"
        ) from exc
    plain: Notebook = json.loads(json.dumps(upgraded))  # NotebookNode -> plain dicts
    return plain


class _Floats:
    """Notes whether a parse met a number JSON cannot write back as one (NaN, +-inf).

    Python's json reads NaN, Infinity and an overflowing 1e400; a fast encoder would write
    them as null. The hooks run only for float and constant tokens: rare in notebooks.
    """

    def __init__(self) -> None:
        self.finite = True

    def number(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            self.finite = False
        return value

    def constant(self, name: str) -> float:
        self.finite = False
        return float(name)


class ObjectParser:
    """Parses the parts of a file (see cellspans.py) one by one, with one decoder."""

    def __init__(self) -> None:
        self._floats = _Floats()
        self._decoder = json.JSONDecoder(
            parse_float=self._floats.number, parse_constant=self._floats.constant
        )

    def __call__(self, text: bytes) -> tuple[dict[str, Any], bool]:
        """The object `text` is, and whether every number in it is finite; ValueError
        when it is not one."""
        self._floats.finite = True
        # UnicodeDecodeError is a ValueError. Not json.loads(bytes): it lets surrogates in.
        decoded = text.decode("utf-8")
        value, end = self._decoder.raw_decode(decoded)
        if end != len(decoded) or not isinstance(value, dict):
            raise ValueError("not one object")
        return value, self._floats.finite


def parse(raw: bytes, api_path: str) -> Notebook:
    """A notebook model's content from file bytes; InvalidContents when it is not a notebook."""
    return load(raw, api_path)[0]


def load(raw: bytes, api_path: str) -> tuple[Notebook, bool]:
    """As `parse`, and whether every number read is finite (see models.notebook_json)."""
    floats = _Floats()
    try:
        text = raw.decode("utf-8-sig")
        nb: Any = json.loads(text, parse_float=floats.number, parse_constant=floats.constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # Recursion: too deep
        raise InvalidContents(
            f"Unreadable notebook {api_path!r}: not valid JSON ({exc})", "unreadable notebook"
        ) from exc
    major = nb.get("nbformat") if isinstance(nb, dict) else None
    if not isinstance(major, int) or isinstance(major, bool):
        raise InvalidContents(
            f"Unreadable notebook {api_path!r}: no nbformat version", "unreadable notebook"
        )
    if major > 4:
        raise InvalidContents(
            f"Unreadable notebook {api_path!r}: nbformat {major} is newer than this server reads",
            "unreadable notebook",
        )
    if major < 4:
        # The upgrade records orig_nbformat, which a frontend uses to say "converted from
        # an older format"; it is transient, so it is dropped again when saving.
        upgraded = _upgrade(text, api_path)
        rejoin_lines(upgraded)
        return upgraded, floats.finite
    notebook: Notebook = nb
    rejoin_lines(notebook)
    strip_transient(notebook)
    repair_cell_ids(notebook)
    return notebook, floats.finite


def serialize(nb: Notebook) -> bytes:
    """File bytes for a notebook model's content (consumed: it is modified in place)."""
    return serialized(nb)[0]


def serialized(nb: Notebook, keep_marks: bool = False) -> tuple[bytes, bool]:
    """As `serialize`, and whether every number written is finite (no NaN, no infinity).

    Multi-line strings become `Lines` (still str) and transient values go; with
    `keep_marks`, the cells' `trusted` marks are put back after (not written), for a
    signature decided on after writing.
    """
    repair_cell_ids(nb)
    split_lines(nb)
    kept = map(_dict, _metadatas(nb)) if keep_marks else ()
    marks = [(metadata, metadata["trusted"]) for metadata in kept if "trusted" in metadata]
    strip_transient(nb)
    try:
        text, finite = jsonfmt.encode(nb, end="\n")
        return text.encode("utf-8"), finite
    except (TypeError, RecursionError, UnicodeEncodeError) as exc:
        raise InvalidContents(
            f"The notebook cannot be written as JSON: {exc}", "bad model"
        ) from exc
    finally:
        for metadata, mark in marks:
            metadata["trusted"] = mark


def _metadatas(nb: Notebook) -> list[Any]:
    return [cell.get("metadata") for cell in _cells(nb)]


def check_savable(content: Any, api_path: str) -> Notebook:
    """The content of a notebook model to save, or InvalidContents when it cannot be one."""
    if not isinstance(content, dict):
        raise InvalidContents(
            f"Notebook content for {api_path!r} must be a JSON object", "bad model"
        )
    if content.get("nbformat") != 4:
        raise InvalidContents(
            f"Cannot save {api_path!r}: only nbformat 4 notebooks are written "
            f"(got nbformat {content.get('nbformat')!r})",
            "bad model",
        )
    return content


def validation_message(nb: Notebook) -> str | None:
    """None when `nb` satisfies its nbformat schema, else a message saying what is wrong."""
    from carnet.nbfile import schema

    problem = schema.problem(nb)
    if problem is None:
        return None
    if len(problem) > _MAX_DETAIL:
        problem = problem[:_MAX_DETAIL] + "..."
    return f"Notebook validation failed: {problem}"
