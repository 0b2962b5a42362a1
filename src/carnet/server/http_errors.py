"""Carnet's error tree as HTTP responses, in one table; the body is jupyter_server's.

Every error response is JSON `{"message": ..., "reason": ...}`, `reason` a short tag
clients may show or match on. Endpoints raise and never catch: `ErrorMiddleware`, just
around the router, answers a CarnetError with its row of `STATUS` and anything else
with a bare 500 (the traceback goes to the server log, never into a response).
Starlette's own HTTPExceptions (no route, wrong method) and a failure in a middleware
get the same body through `exception_handlers()`; the middleware's refusals are sent
with `send_error`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from carnet.errors import (
    BadConfigSection,
    CarnetError,
    ContentsConflict,
    ContentsError,
    ContentsForbidden,
    ContentsNotFound,
    ContentsWriteError,
    CorruptConfigFile,
    ExportError,
    GatewayError,
    GatewayUnreachable,
    KernelError,
    KernelNotFound,
    KernelSpecError,
    NotWithGateway,
    TerminalError,
    TerminalNotFound,
    TerminalsDisabled,
    UnknownExportFormat,
)
from carnet.server import asgi
from carnet.server.api.http import json_response
from carnet.server.contents.models import json_bytes

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

log = logging.getLogger("carnet.server")

# Most specific first; the first class the error is an instance of gives the status.
# A reason of None keeps the error's own (a ContentsError says why).
STATUS: tuple[tuple[type[CarnetError], int, str | None], ...] = (
    (ContentsNotFound, 404, None),
    (ContentsForbidden, 403, None),
    (ContentsConflict, 409, None),
    (ContentsWriteError, 500, None),
    (ContentsError, 400, None),  # InvalidContents, and a handler's BadRequest
    (KernelNotFound, 404, "not found"),
    (KernelSpecError, 404, "no such kernelspec"),
    (KernelError, 500, "kernel error"),
    (TerminalNotFound, 404, "not found"),
    (TerminalsDisabled, 404, "terminals disabled"),
    (TerminalError, 500, "terminal error"),
    (UnknownExportFormat, 404, "unknown format"),
    (ExportError, 500, None),  # a program the format needs is missing, say
    (GatewayUnreachable, 503, "gateway unreachable"),
    (NotWithGateway, 501, "not with a gateway"),
    (GatewayError, 502, "gateway error"),
    (BadConfigSection, 400, "bad section"),
    (CorruptConfigFile, 500, "corrupt config file"),
)
# A contents error's reason wins over its class: a client can tell "full" from "forbidden".
STATUS_OF_REASON = {
    "permission denied": 403,
    "disk full": 507,
    "file too large": 413,
    "name too long": 400,
    # An export error's: the machine lacks a program (503), or the notebook is broken.
    "missing chromium": 503,
    "missing playwright": 503,
    "missing pandoc": 503,
    "bad notebook": 400,
}
UNEXPECTED = (500, "Internal server error (details in the server log)", "error")


def status_for(error: BaseException) -> tuple[int, str] | None:
    """(status, reason) for an error of the table; None for an unexpected one."""
    for cls, status, reason in STATUS:
        if isinstance(error, cls):
            if isinstance(error, ContentsError | ExportError):
                return STATUS_OF_REASON.get(error.reason, status), error.reason
            if isinstance(error, GatewayError):  # the gateway's status, or ours about it
                return error.status, reason or "gateway error"
            assert reason is not None
            return status, reason
    return None


def json_error(
    status: int, message: str, reason: str | None = None, headers: dict[str, str] | None = None
) -> Response:
    """An error response with jupyter_server's body."""
    return json_response({"message": message, "reason": reason}, status, headers)


def error_body(message: str, reason: str | None) -> bytes:
    return json_bytes({"message": message, "reason": reason})


async def send_error(send: asgi.Send, status: int, message: str, reason: str) -> None:
    """The same body, from a middleware that answers before any route runs."""
    payload = error_body(message, reason)
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(payload)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


def response_for(error: Exception, scope: asgi.Scope) -> Response:
    """The response for an error an endpoint raised, logged as its status deserves."""
    where = f"{scope.get('method', '')} {scope.get('path', '')}"
    mapped = status_for(error)
    if mapped is None:
        log.error("Unexpected error in %s", where, exc_info=error)
        return json_error(*UNEXPECTED)
    status, reason = mapped
    log.log(logging.ERROR if status >= 500 else logging.INFO, "%s: %s %s", where, status, error)
    return json_error(status, str(error), reason)


class ErrorMiddleware:
    """Innermost: an endpoint's exception becomes its JSON response, inside the other
    middleware (so it is logged and gets the security headers like any response)."""

    def __init__(self, app: asgi.ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watching_send(message: asgi.Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watching_send)
        except Exception as exc:
            if started:  # too late for an error response: the web server closes it
                raise
            await response_for(exc, scope)(scope, receive, send)


async def _http_exception(request: Request, exc: Exception) -> Response:
    from http import HTTPStatus

    from starlette.exceptions import HTTPException

    assert isinstance(exc, HTTPException)
    phrase = HTTPStatus(exc.status_code).phrase
    detail = exc.detail if exc.detail and exc.detail != phrase else None
    # Keep what the exception says about the response (Allow on a 405, say).
    return json_error(exc.status_code, detail or phrase, None, dict(exc.headers or {}))


async def _middleware_failure(request: Request, exc: Exception) -> Response:
    # The web server logs the traceback (through the redacting log filter) after this.
    return json_error(*UNEXPECTED)


def exception_handlers() -> dict[Any, Any]:
    """Starlette's handlers: its HTTPExceptions, and the last resort outside all middleware."""
    from starlette.exceptions import HTTPException

    return {HTTPException: _http_exception, Exception: _middleware_failure}
