"""Response headers on every response: Carnet's safe defaults, then the configured ones.

A header a route sets itself (for instance a sandboxing Content-Security-Policy on
user files) is kept; configured headers (`headers`, `tornado_settings['headers']`)
replace the defaults, which is how a user allows embedding in another site.

The default Content-Security-Policy depends on the page (SECURITY.md explains why):
* the notebook page (/notebooks/...) must run trusted outputs the way Jupyter does
  (application/javascript through `new Function`, HTML outputs with inline and
  remote scripts from CDNs, as plotly, bokeh or widgets emit them), so it only
  forbids being framed by other sites, plugins and <base> hijacking;
* every other page (tree, editor, login) loads scripts from the server only;
* API responses are data, never documents: nothing may load from them.
"""

from __future__ import annotations

from carnet.server import asgi

# Shared by every policy: no framing by other sites, no plugins, no <base> rewrites.
_BASELINE = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'"
NOTEBOOK_CSP = _BASELINE
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; "
    # KaTeX and the editor set style attributes; the login page has an inline sheet.
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; worker-src 'self' blob:; form-action 'self'; " + _BASELINE
)
API_CSP = "default-src 'none'; frame-ancestors 'self'"

DEFAULT_HEADERS = {
    "Content-Security-Policy": PAGE_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def default_csp(relative_path: str) -> str:
    """The default Content-Security-Policy for a path relative to base_url."""
    if relative_path == "/api" or relative_path.startswith("/api/"):
        return API_CSP
    if relative_path.startswith("/notebooks/"):
        return NOTEBOOK_CSP
    return PAGE_CSP


class HeadersMiddleware:
    """Adds the default and configured headers a response does not set itself."""

    def __init__(
        self,
        app: asgi.ASGIApp,
        configured: dict[str, str],
        base_url: str = "/",
        frame_ancestors: str = "'self'",
    ):
        """`frame_ancestors`: who may frame the pages by default ('none' under JupyterHub,
        as jupyterhub-singleuser: the Hub's pages never frame a user's server)."""
        self.app = app
        self.base_url = base_url
        self.frame_ancestors = f"frame-ancestors {frame_ancestors}"
        merged = {name.lower(): (name, value) for name, value in DEFAULT_HEADERS.items()}
        self.csp_configured = "content-security-policy" in {n.lower() for n in configured}
        merged.update({name.lower(): (name, value) for name, value in configured.items()})
        self.extra = [
            (name.lower().encode("latin-1"), value.encode("latin-1"))
            for name, value in merged.values()
        ]

    def _headers_for(self, scope: asgi.Scope) -> list[tuple[bytes, bytes]]:
        if self.csp_configured:
            return self.extra
        policy = default_csp(asgi.relative_path(scope, self.base_url))
        csp = policy.replace("frame-ancestors 'self'", self.frame_ancestors).encode("latin-1")
        return [(k, csp) if k == b"content-security-policy" else (k, v) for k, v in self.extra]

    async def __call__(self, scope: asgi.Scope, receive: asgi.Receive, send: asgi.Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self._headers_for(scope)

        async def send_with_headers(message: asgi.Message) -> None:
            if message["type"] == "http.response.start":
                own = list(message.get("headers", []))
                present = {bytes(key).lower() for key, _ in own}
                own += [(k, v) for k, v in extra if k not in present]
                message["headers"] = own
            await send(message)

        await self.app(scope, receive, send_with_headers)
