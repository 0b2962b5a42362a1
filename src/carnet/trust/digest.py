"""The notebook signature: an HMAC over every key and value of the notebook, as Jupyter does.

Jupyter (nbformat.sign) feeds the HMAC a depth-first walk of the notebook: each dict's
keys in sorted order, each key's UTF-8 bytes followed by its value's; lists item by item;
strings as UTF-8; anything else as the UTF-8 of its `str()`. Because pieces are simply
concatenated, a multi-line string and its on-disk list of lines digest identically,
so the notebook can be signed in either form.

Values that are never stored (the signature itself, the upgrade markers, each cell's
`trusted` mark) are left out, so a notebook digests the same before it is written and
after it is read back, by Carnet or by Jupyter.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

ALGORITHM = "sha256"
_TRANSIENT_NOTEBOOK_METADATA = ("signature", "orig_nbformat", "orig_nbformat_minor")
# Pieces hashed per update by `compute`: some hundreds of KB of a notebook's text.
_BATCH = 1024


def _walk(obj: Any, out: list[str]) -> None:
    # Pieces stay str and are encoded once, joined: as many bytes as encoding each piece
    # (surrogatepass encodes code point by code point), tens of thousands fewer calls.
    if isinstance(obj, str):
        out.append(obj)
    elif isinstance(obj, dict):
        for key in sorted(obj):
            if not isinstance(key, str):
                raise TypeError(f"notebook keys must be strings, not {type(key).__name__}")
            out.append(key)
            value = obj[key]
            if type(value) is str:  # most values: inlined
                out.append(value)
            else:
                _walk(value, out)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            _walk(item, out)
    else:
        out.append(str(obj))


def _without(mapping: Any, keys: tuple[str, ...]) -> Any:
    if not isinstance(mapping, dict) or not any(key in mapping for key in keys):
        return mapping
    return {k: v for k, v in mapping.items() if k not in keys}


def _stored_view(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook as it is stored: shallow copies without the transient values."""
    view = dict(nb)
    if "metadata" in view:
        view["metadata"] = _without(view["metadata"], _TRANSIENT_NOTEBOOK_METADATA)
    cells = view.get("cells")
    if isinstance(cells, list):
        view["cells"] = [_stored_cell(cell) if isinstance(cell, dict) else cell for cell in cells]
    return view


def _stored_cell(cell: dict[str, Any]) -> dict[str, Any]:
    """A cell as it is stored: a shallow copy without its trust mark."""
    if "metadata" not in cell:
        return cell
    return {**cell, "metadata": _without(cell["metadata"], ("trusted",))}


def cell_walk(cell: dict[str, Any]) -> bytes:
    """What a cell adds to its notebook's HMAC (see compute_from_parts)."""
    pieces: list[str] = []
    _walk(_stored_cell(cell), pieces)
    return "".join(pieces).encode("utf-8", "surrogatepass")


def compute_from_parts(top: dict[str, Any], cell_walks: list[bytes], secret: bytes) -> str:
    """`compute` of `{**top, "cells": cells}` from each cell's `cell_walk`: the same digest,
    with nothing of the cells walked again."""
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    view = _stored_view({k: v for k, v in top.items() if k != "cells"})
    for key in sorted([*view, "cells"]):
        if not isinstance(key, str):
            raise TypeError(f"notebook keys must be strings, not {type(key).__name__}")
        pieces: list[str] = [key]
        if key != "cells":
            _walk(view[key], pieces)
        mac.update("".join(pieces).encode("utf-8", "surrogatepass"))
        if key == "cells":
            for walk in cell_walks:
                mac.update(walk)
    return mac.hexdigest()


def compute(nb: dict[str, Any], secret: bytes) -> str:
    """The hex HMAC-SHA256 of a notebook under `secret`.

    Raises TypeError or RecursionError for something that is not a JSON-like notebook.
    """
    pieces: list[str] = []
    _walk(_stored_view(nb), pieces)
    mac = hmac.new(secret, digestmod=hashlib.sha256)
    # Joined and encoded a batch at a time: far fewer calls than one per piece, and no
    # copy of the whole notebook (twice: text, then bytes) to allocate and fault in.
    for start in range(0, len(pieces), _BATCH):
        mac.update("".join(pieces[start : start + _BATCH]).encode("utf-8", "surrogatepass"))
    return mac.hexdigest()
