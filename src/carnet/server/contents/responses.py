"""HTTP glue shared by /api/contents and /files: error statuses, JSON bodies, decorators.

Errors become jupyter_server-style JSON bodies `{"message": ..., "reason": ...}` with a
4xx status (5xx only when the disk fails us); a traceback never reaches a response.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from carnet.errors import (
    ContentsConflict,
    ContentsError,
    ContentsForbidden,
    ContentsNotFound,
    ContentsWriteError,
    InvalidContents,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from carnet.server.contents.manager import ContentsManager

log = logging.getLogger("carnet.server.contents")

Endpoint = Callable[["Request"], Awaitable["Response"]]

# \uD800-\uDFFF escapes: only these can decode to a string UTF-8 cannot encode.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")

# A write refused by the disk: say which way, so a client can tell "full" from "forbidden".
_WRITE_STATUS = {
    "disk full": 507,
    "file too large": 413,
    "permission denied": 403,
    "name too long": 400,
}


class BadRequest(InvalidContents):
    """A request the handler itself rejects (bad query argument or body)."""

    def __init__(self, message: str, reason: str = "bad request") -> None:
        super().__init__(message, reason)


def status_for(error: ContentsError) -> int:
    if error.reason == "permission denied":
        return 403
    if isinstance(error, ContentsNotFound):
        return 404
    if isinstance(error, ContentsForbidden):
        return 403
    if isinstance(error, ContentsConflict):
        return 409
    if isinstance(error, ContentsWriteError):
        return _WRITE_STATUS.get(error.reason, 500)
    return 400


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    from starlette.responses import Response

    # ASCII with \u escapes, as jupyter_server sends: the C encoder's ASCII mode is a
    # quarter faster on a big notebook, and a lone surrogate cannot break the encoding.
    body = json.dumps(data, separators=(",", ":")).encode("ascii")
    all_headers = {"Cache-Control": "no-store", **(headers or {})}
    return Response(body, status_code=status, headers=all_headers, media_type="application/json")


def error_response(status: int, message: str, reason: str) -> Response:
    return json_response({"message": message, "reason": reason}, status)


def handles_errors(endpoint: Endpoint) -> Endpoint:
    """Turn ContentsErrors (and unexpected failures) into JSON error responses."""

    @functools.wraps(endpoint)
    async def wrapper(request: Request) -> Response:
        try:
            return await endpoint(request)
        except ContentsError as error:
            status = status_for(error)
            log.log(logging.ERROR if status >= 500 else logging.INFO, "%s: %s", status, error)
            return error_response(status, str(error), error.reason)
        except Exception:
            log.exception("Unexpected error in %s %s", request.method, request.url.path)
            return error_response(500, "Internal server error (details in the server log)", "error")

    return wrapper


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
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"Invalid JSON in body of request: {exc}") from exc
    except RecursionError as exc:  # json's parser recurses once per nesting level
        raise BadRequest("Invalid JSON in body of request: nested too deeply") from exc
    if _SURROGATE_ESCAPE.search(raw) and not _encodable(body):
        # A lone \ud800 decodes to a str no file name, log line or response can encode.
        raise BadRequest("Invalid JSON in body of request: an unpaired surrogate escape")
    if not isinstance(body, dict):
        raise BadRequest("The request body must be a JSON object")
    return body


def _encodable(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def flag(request: Request, name: str, default: str) -> bool:
    """A 0/1 query argument, as jupyter_server accepts them (anything else is a 400)."""
    value = request.query_params.get(name, default)
    if value not in ("0", "1"):
        raise BadRequest(f"{name.capitalize()} {value!r} is invalid")
    return value == "1"
