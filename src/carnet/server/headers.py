"""Response headers on every response: Carnet's safe defaults, then the configured ones.

A header a route sets itself (for instance a sandboxing Content-Security-Policy on
user files) is kept; configured headers (`headers`, `tornado_settings['headers']`)
replace the defaults, which is how a user allows embedding in another site.
"""

from __future__ import annotations

from carnet.server import asgi

DEFAULT_HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class HeadersMiddleware:
    """Adds the default and configured headers a response does not set itself."""

    def __init__(self, app: asgi.ASGIApp, configured: dict[str, str]) -> None:
        self.app = app
        merged = {name.lower(): (name, value) for name, value in DEFAULT_HEADERS.items()}
        merged.update({name.lower(): (name, value) for name, value in configured.items()})
        self.extra = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in merged.values()
        ]

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: asgi.Message) -> None:
            if message["type"] == "http.response.start":
                own = list(message.get("headers", []))
                present = {bytes(key).lower() for key, _ in own}
                own += [(k, v) for k, v in self.extra if k not in present]
                message["headers"] = own
            await send(message)

        await self.app(scope, receive, send_with_headers)
