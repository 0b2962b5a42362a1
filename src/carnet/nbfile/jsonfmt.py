"""nbformat's on-disk JSON layout, written several times faster than json.dumps does it.

nbformat writes `json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False,
separators=(",", ": "))` after splitting multi-line strings into lists of lines. With
an indent, the standard library falls back to its pure-Python encoder, visiting every
one of the (often hundreds of thousands of) lines of a big notebook one generator step
at a time. Here a multi-line string marked as `Lines` is encoded once by the C string
encoder and cut into its list-of-lines layout with one `str.replace`; lists of strings
are encoded and joined in one step; the rest recurses as usual. The output is
identical (tests compare it with nbformat's writer on real and generated notebooks).
"""

from __future__ import annotations

from json.encoder import encode_basestring  # the C implementation when available
from typing import Any

_CONSTANTS = {True: "true", False: "false"}
# Line breaks str.splitlines() knows besides "\n": a string with one of these (or with a
# backslash, whose escape could be mistaken for "\n") takes the slow, exact path.
# Single-character `in` scans are far faster than a regex character class.
_UNUSUAL_ASCII = ("\\", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
_UNUSUAL_OTHER = ("\x85", "\u2028", "\u2029")


def _unusual(value: str) -> bool:
    if any(char in value for char in _UNUSUAL_ASCII):
        return True
    return not value.isascii() and any(char in value for char in _UNUSUAL_OTHER)


# Bytes the JSON string encoder leaves as they are ("\n" aside): a UTF-8 text with no
# other byte is encoded by escaping its newlines alone, one str.replace.
_AS_IS = bytes(b for b in range(256) if b == 0x0A or (b >= 0x20 and b not in b'"\\'))


def _plain(value: str) -> bool:
    """Whether `value` needs no JSON escape but "\n" and has no other line break."""
    try:
        data = value.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the exact path reports it
        return False
    if data.translate(None, _AS_IS):
        return False
    return value.isascii() or not any(char in value for char in _UNUSUAL_OTHER)


class Lines(str):
    """A string to be written as nbformat writes multi-line text: a list of its lines."""

    __slots__ = ()


def _encode_lines(value: str, level: int, out: _Out) -> None:
    """`value.splitlines(True)` encoded as a JSON list, without splitting in Python."""
    if not value:
        out.append("[]")
        return
    inner = "\n" + " " * (level + 1)
    separator = '\\n",' + inner + '"'
    if _plain(value):
        # Checking with one C pass over the bytes, then one replace, is about three
        # times faster than encoding the string and then cutting it into lines.
        joined = value.replace("\n", separator)
        if value.endswith("\n"):
            joined = joined[: -len(separator)] + "\\n"
        out.append("[" + inner + '"' + joined + '"')
    elif _unusual(value):
        out.append("[" + inner + ("," + inner).join(map(encode_basestring, value.splitlines(True))))
    else:
        body = encode_basestring(value)[1:-1]
        joined = body.replace("\\n", separator)
        if body.endswith("\\n"):
            joined = joined[: -len(separator)] + "\\n"
        out.append("[" + inner + '"' + joined + '"')
    out.append("\n" + " " * level + "]")


_FLOAT_SPECIALS = {float("inf"): "Infinity", float("-inf"): "-Infinity"}


class _Out(list[str]):
    """The pieces written so far, and whether one is NaN or an infinity (not JSON proper)."""

    finite = True


def _float(value: float, out: _Out) -> str:
    if value != value:
        out.finite = False
        return "NaN"
    special = _FLOAT_SPECIALS.get(value)
    if special:
        out.finite = False
        return special
    return float.__repr__(value)


def _encode(value: Any, level: int, out: _Out) -> None:
    if isinstance(value, str):
        if type(value) is Lines:
            _encode_lines(value, level, out)
        else:
            out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True or value is False:
        out.append(_CONSTANTS[value])
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value, out))
    elif isinstance(value, dict):
        _encode_dict(value, level, out)
    elif isinstance(value, list | tuple):
        _encode_list(value, level, out)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _encode_dict(value: dict[Any, Any], level: int, out: _Out) -> None:
    if not value:
        out.append("{}")
        return
    inner = "\n" + " " * (level + 1)
    prefix = "{" + inner
    for key in sorted(value):
        item = value[key]
        # encode_basestring raises TypeError for a non-string key, as JSON requires.
        out.append(prefix + encode_basestring(key) + ": ")
        prefix = "," + inner
        if type(item) is str:  # the most common value, inlined
            out.append(encode_basestring(item))
        else:
            _encode(item, level + 1, out)
    out.append("\n" + " " * level + "}")


def _encode_list(value: list[Any] | tuple[Any, ...], level: int, out: _Out) -> None:
    if not value:
        out.append("[]")
        return
    inner = "\n" + " " * (level + 1)
    try:
        # The common case, split lines: all strings, encoded and joined at C speed.
        encoded = list(map(encode_basestring, value))
    except TypeError:
        encoded = None
    out.append("[" + inner)
    if encoded is not None:
        out.append(("," + inner).join(encoded))
    else:
        for index, item in enumerate(value):
            if index:
                out.append("," + inner)
            _encode(item, level + 1, out)
    out.append("\n" + " " * level + "]")


def dumps(value: Any, end: str = "") -> str:
    """Exactly `json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False,
    separators=(",", ": ")) + end` for JSON data (string keys), with each `Lines` string
    written as the list `value.splitlines(True)` would be.

    Raises TypeError for what JSON cannot hold, RecursionError for absurd nesting.
    """
    return encode(value, end)[0]


def encode(value: Any, end: str = "", level: int = 0) -> tuple[str, bool]:
    """`dumps(value, end)`, and whether every float in it was finite (no NaN, no infinity).

    With `level`, the text `value` has as a part of a document, that many levels in:
    its inner lines indented as there (its first line is not).
    """
    out = _Out()
    _encode(value, level, out)
    out.append(end)  # joined with the rest: a big text is not copied again to add it
    return "".join(out), out.finite
