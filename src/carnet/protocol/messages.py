"""The message object and its JSON encoding.

A Jupyter message has four JSON parts (header, parent_header, metadata,
content) and optional binary buffers. Dicts are kept as plain dicts because
every client in the ecosystem speaks them; the dataclass gives them a type.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from carnet.errors import MalformedMessage

PROTOCOL_VERSION = "5.3"

JsonDict = dict[str, Any]
# What a message's content may be given as: a plain dict, or one of the TypedDicts of
# carnet.protocol.content (a TypedDict is a Mapping to mypy, never a dict[str, Any]).
Content = Mapping[str, Any]

_HEADER_FIELDS = ("msg_id", "msg_type")


def utcnow_iso() -> str:
    """ISO-8601 with a time zone, as the protocol requires."""
    return _dt.datetime.now(_dt.UTC).isoformat().replace("+00:00", "Z")


class Routed:
    """What a message is routed by, read from its header and parent header (a mixin of
    Message and carnet.protocol.packed.PackedMessage)."""

    __slots__ = ()
    header: JsonDict
    parent_header: JsonDict

    @property
    def msg_type(self) -> str:
        return str(self.header.get("msg_type", ""))

    @property
    def msg_id(self) -> str:
        return str(self.header.get("msg_id", ""))

    @property
    def parent_msg_id(self) -> str:
        return str(self.parent_header.get("msg_id", ""))


@dataclass(frozen=True, slots=True)
class Message(Routed):
    header: JsonDict
    parent_header: JsonDict = field(default_factory=dict)
    metadata: JsonDict = field(default_factory=dict)
    content: JsonDict = field(default_factory=dict)
    buffers: tuple[bytes, ...] = ()
    # Routing identities from a ROUTER socket; empty for PUB/SUB and DEALER peers.
    identities: tuple[bytes, ...] = ()
    # The four JSON parts as received, when this message was read from the wire: the
    # server forwards them to websockets without encoding them again. Whoever changes
    # a received message makes a new one (replace_content), which has none.
    raw_parts: tuple[bytes, bytes, bytes, bytes] | None = field(
        default=None, compare=False, repr=False
    )

    def wire_parts(self) -> tuple[bytes, bytes, bytes, bytes]:
        """The four JSON parts: as received when it was read from the wire, else packed."""
        return self.raw_parts or (
            pack(self.header),
            pack(self.parent_header),
            pack(self.metadata),
            pack(self.content),
        )

    def to_dict(self) -> JsonDict:
        """The nested dict form used by jupyter_client and the websocket JSON protocol."""
        return {
            "header": self.header,
            "msg_id": self.msg_id,
            "msg_type": self.msg_type,
            "parent_header": self.parent_header,
            "metadata": self.metadata,
            "content": self.content,
            "buffers": list(self.buffers),
        }

    @classmethod
    def from_dict(cls, data: JsonDict, identities: tuple[bytes, ...] = ()) -> Message:
        header = data.get("header")
        if not isinstance(header, dict):
            raise MalformedMessage("message has no header object")
        check_header(header)
        parts: list[JsonDict] = []
        for name in ("parent_header", "metadata", "content"):
            value = data.get(name) or {}
            if not isinstance(value, dict):
                raise MalformedMessage(f"message {name} is not an object")
            parts.append(value)
        raw_buffers = data.get("buffers") or []
        buffers = tuple(_as_bytes(b) for b in raw_buffers)
        return cls(header, parts[0], parts[1], parts[2], buffers, identities)

    def replace_content(self, content: JsonDict) -> Message:
        return Message(
            self.header, self.parent_header, self.metadata, content, self.buffers, self.identities
        )


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value)
    raise MalformedMessage("message buffers must be bytes")


def check_header(header: JsonDict) -> None:
    for name in _HEADER_FIELDS:
        if not isinstance(header.get(name), str):
            raise MalformedMessage(f"message header has no string {name!r}")


def json_default(obj: Any) -> Any:
    """Encode what IPython and libraries commonly put in messages."""
    if isinstance(obj, _dt.datetime):
        if obj.tzinfo is None:
            obj = obj.replace(tzinfo=_dt.UTC)
        return obj.isoformat().replace("+00:00", "Z")
    if isinstance(obj, _dt.date):
        return obj.isoformat()
    if isinstance(obj, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(obj)).decode("ascii")
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    if hasattr(obj, "__index__"):
        return obj.__index__()
    if hasattr(obj, "__float__"):
        return float(obj)
    if hasattr(obj, "tolist"):
        return obj.tolist()
    raise TypeError(f"{type(obj).__name__} is not JSON serializable")


def _clean_floats(obj: Any) -> Any:
    """Replace NaN and infinities, which JSON cannot carry, by null."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _clean_floats(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean_floats(v) for v in obj]
    return obj


# A message holding a big string (a base64 image, a big HTML table) is packed by orjson,
# which escapes a string many bytes at a time where json goes character by character: a
# 27 MB display packs in about 8 ms instead of 55-90 (jupyter_client packs with orjson
# too when it is installed). What orjson does differently from json.dumps is kept from
# it: datetimes and dataclasses go to json_default; what it refuses (a lone surrogate,
# an integer over 64 bits, a key that is not a string) goes to json.dumps. Floats may be
# written differently (1e16 for 1e+16): the same numbers. Mime bundles hold big strings
# two levels down.
BIG_STRING = 1 << 20
_BIG_DEPTH = 3


def _has_big_string(obj: Any, depth: int) -> bool:
    if not isinstance(obj, dict) or depth == 0:
        return False
    for value in obj.values():
        if isinstance(value, str):
            if len(value) >= BIG_STRING:
                return True
        elif _has_big_string(value, depth - 1):
            return True
    return False


def pack(obj: Any) -> bytes:
    """A message part as compact UTF-8 JSON (NaN and infinities become null)."""
    if _has_big_string(obj, _BIG_DEPTH):
        import orjson

        options = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
        try:
            packed: bytes = orjson.dumps(obj, default=json_default, option=options)
            return packed
        except orjson.JSONEncodeError:
            pass  # json.dumps says it again, or copes
    return _pack_text(obj)


def _pack_text(obj: Any) -> bytes:
    try:
        text = json.dumps(
            obj, default=json_default, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
    except ValueError:
        text = json.dumps(
            _clean_floats(obj), default=json_default, ensure_ascii=False, separators=(",", ":")
        )
    return text.encode("utf-8", "surrogatepass")


def unpack(data: bytes) -> JsonDict:
    try:
        value = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise MalformedMessage(f"message part is not valid JSON: {exc}") from None
    if not isinstance(value, dict):
        raise MalformedMessage("message part is not a JSON object")
    return value
