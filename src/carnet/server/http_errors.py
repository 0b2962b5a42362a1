"""JSON error responses, as jupyter_server sends them: {"message": ..., "reason": ...}.

No response ever carries a traceback: unexpected exceptions get a generic 500 and
their traceback goes to the server log only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import JSONResponse


def json_error(status: int, message: str, reason: str | None = None) -> JSONResponse:
    """An error response; `reason` is a short tag clients may show or match on."""
    from starlette.responses import JSONResponse

    return JSONResponse({"message": message, "reason": reason}, status_code=status)


async def http_exception(request: Request, exc: Exception) -> JSONResponse:
    from http import HTTPStatus

    from starlette.exceptions import HTTPException

    assert isinstance(exc, HTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if exc.detail and exc.detail != phrase else None
    response = json_error(exc.status_code, detail or phrase, None)
    # Keep what the exception says about the response (Allow on a 405, say).
    response.headers.update(exc.headers or {})
    return response


async def unexpected_exception(request: Request, exc: Exception) -> JSONResponse:
    # The web server logs the traceback (through the redacting log filter) after this.
    return json_error(500, "Internal server error", "internal error")


def exception_handlers() -> dict[Any, Any]:
    from starlette.exceptions import HTTPException

    return {HTTPException: http_exception, Exception: unexpected_exception}
