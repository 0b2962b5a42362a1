"""HTTP helpers shared by the REST endpoints: JSON bodies in and out, query flags.

Endpoints raise Carnet's errors (BadRequest for a request they reject themselves);
carnet.server.http_errors turns them into responses.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from carnet.errors import InvalidContents
from carnet.server.contents.models import json_bytes
from carnet.server.jsonbody import BIG_BODY, SURROGATE_ESCAPE_BYTES, encodable

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from carnet.server.contents.manager import ContentsManager


class BadRequest(InvalidContents):
    """A request the handler itself rejects (bad query argument or body)."""

    def __init__(self, message: str, reason: str = "bad request") -> None:
        super().__init__(message, reason)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return json_bytes_response(json_bytes(data), status, headers)


def json_bytes_response(
    body: bytes, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    """A response of JSON already encoded (json_bytes)."""
    from starlette.responses import Response

    all_headers = {"Cache-Control": "no-store", **(headers or {})}
    return Response(body, status_code=status, headers=all_headers, media_type="application/json")


def contents_manager(request: Request) -> ContentsManager:
    manager: ContentsManager = request.app.state.contents
    return manager


async def json_body(request: Request, required: bool = True) -> dict[str, Any] | None:
    """The request's JSON object body; None when empty and not required."""
    raw = await request.body()
    if not raw.strip():
        if required:
            raise BadRequest("JSON body missing")
        return None
    return await parse_json(raw)


async def parse_json(raw: bytes) -> dict[str, Any]:
    """A JSON object body (BadRequest if it is not one); a big one is parsed in a thread."""
    if len(raw) >= BIG_BODY:
        return await asyncio.to_thread(_parsed, raw)
    return _parsed(raw)


def _parsed(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"Invalid JSON in body of request: {exc}") from exc
    except RecursionError as exc:  # json's parser recurses once per nesting level
        raise BadRequest("Invalid JSON in body of request: nested too deeply") from exc
    if SURROGATE_ESCAPE_BYTES.search(raw) and not encodable(body):
        raise BadRequest("Invalid JSON in body of request: an unpaired surrogate escape")
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object")
    return body


def flag(request: Request, name: str, default: str) -> bool:
    """A 0/1 query argument, as jupyter_server accepts them (anything else is a 400)."""
    value = request.query_params.get(name, default)
    if value not in ("0", "1"):
        raise BadRequest(f"{name.capitalize()} {value!r} is invalid")
    return value == "1"
