"""One log line per request, the Jupyter way, with secrets redacted; records activity.

Successful requests log at DEBUG (quiet by default), redirects at INFO, client
errors at WARNING and server errors at ERROR, like Jupyter's request log.
"""

from __future__ import annotations

import logging
import time
from urllib.parse import quote

from carnet.server import asgi, logs
from carnet.server.activity import Activity

# Polling the status must not count as activity, or the server would never idle.
_NOT_ACTIVITY = ("/api/status",)


class AccessLogMiddleware:
    def __init__(self, app: asgi.ASGIApp, activity: Activity, base_url: str) -> None:
        self.app = app
        self.activity = activity
        self.base_url = base_url
        self.log = logs.server_log()

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def recording_send(message: asgi.Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            # Only authenticated requests count: refused ones must not keep the server up.
            relative = asgi.relative_path(scope, self.base_url)
            if "user" in scope and relative not in _NOT_ACTIVITY:
                self.activity.touch()
            self._log(scope, status, (time.perf_counter() - start) * 1000)

    def _log(self, scope: asgi.Scope, status: int, millis: float) -> None:
        level = logging.DEBUG
        if status >= 500:
            level = logging.ERROR
        elif status >= 400:
            level = logging.WARNING
        elif status >= 300 and status != 304:
            level = logging.INFO
        if not self.log.isEnabledFor(level):
            return
        target = quote(str(scope["path"]))
        if scope.get("query_string"):
            target += "?" + scope["query_string"].decode("latin-1")
        client = scope.get("client") or ("-", 0)
        line = f"{status} {scope['method']} {logs.redact(target)} ({client[0]}) {millis:.2f}ms"
        self.log.log(level, line)
