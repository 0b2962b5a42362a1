"""The one table from Carnet's errors to HTTP responses, and the middleware applying it."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from carnet.errors import (
    ConfigError,
    ContentsConflict,
    ContentsForbidden,
    ContentsNotFound,
    ContentsWriteError,
    InvalidContents,
    KernelNotFound,
    KernelSpecError,
    KernelTimeout,
    ProtocolError,
)
from carnet.server.api.http import BadRequest
from carnet.server.http_errors import ErrorMiddleware, status_for


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (ContentsNotFound("m", "not found"), (404, "not found")),
        (ContentsNotFound("m", "permission denied"), (403, "permission denied")),
        (ContentsForbidden("m", "outside root"), (403, "outside root")),
        (ContentsConflict("m", "exists"), (409, "exists")),
        (ContentsWriteError("m", "disk full"), (507, "disk full")),
        (ContentsWriteError("m", "file too large"), (413, "file too large")),
        (ContentsWriteError("m", "name too long"), (400, "name too long")),
        (ContentsWriteError("m", "io error"), (500, "io error")),
        (InvalidContents("m", "bad type"), (400, "bad type")),
        (BadRequest("m"), (400, "bad request")),
        (KernelNotFound("m"), (404, "not found")),
        (KernelSpecError("m"), (404, "no such kernelspec")),
        (KernelTimeout("m"), (500, "kernel error")),
    ],
)
def test_each_error_of_the_tree_has_its_status_and_reason(
    error: Exception, expected: tuple[int, str]
) -> None:
    assert status_for(error) == expected


@pytest.mark.parametrize("error", [ProtocolError("m"), ConfigError("m"), KeyError("k")])
def test_errors_outside_the_table_are_unexpected(error: Exception) -> None:
    assert status_for(error) is None


def _call(raising: BaseException, start_first: bool = False) -> list[dict[str, Any]]:
    async def endpoint(scope: Any, receive: Any, send: Any) -> None:
        if start_first:
            await send({"type": "http.response.start", "status": 200, "headers": []})
        raise raising

    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/api/x", "headers": []}
    asyncio.run(ErrorMiddleware(endpoint)(scope, receive, send))
    return sent


def test_the_middleware_answers_with_the_json_body() -> None:
    start, body = _call(KernelNotFound("no kernel 'k'"))
    assert start["status"] == 404
    assert json.loads(body["body"]) == {"message": "no kernel 'k'", "reason": "not found"}
    start, body = _call(RuntimeError("secret detail"))
    assert start["status"] == 500
    assert "secret detail" not in body["body"].decode()
    assert set(json.loads(body["body"])) == {"message", "reason"}


def test_an_error_after_the_response_started_is_not_answered_twice() -> None:
    with pytest.raises(RuntimeError):
        _call(RuntimeError("late"), start_first=True)
