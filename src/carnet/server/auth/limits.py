"""Refuse requests with absurd headers before any other work (431, as RFC 6585 says).

Uvicorn's httptools parser accepts headers of any size and number; a client
sending megabytes of headers would make every later check (cookies, tokens,
origins) slow. Real browsers send a few kilobytes.
"""

from __future__ import annotations

import json

from carnet.server import asgi

MAX_HEADER_COUNT = 200
MAX_HEADER_BYTES = 64 * 1024


def headers_too_large(scope: asgi.Scope) -> bool:
    headers = scope.get("headers", [])
    if len(headers) > MAX_HEADER_COUNT:
        return True
    return sum(len(name) + len(value) for name, value in headers) > MAX_HEADER_BYTES


class HeaderLimitMiddleware:
    def __init__(self, app: asgi.ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] not in ("http", "websocket") or not headers_too_large(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1009})
            return
        body = json.dumps(
            {
                "message": f"Request headers too large (at most {MAX_HEADER_COUNT} headers, "
                f"{MAX_HEADER_BYTES} bytes)",
                "reason": "headers too large",
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 431,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
