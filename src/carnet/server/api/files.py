"""/files/{path}: raw downloads of files under the root directory.

User files are untrusted content served from the server's own origin, so every
response carries a sandboxing Content-Security-Policy (an HTML or SVG file cannot run
script with the user's session) and `nosniff` (a browser never reinterprets a text
file as HTML). Hidden and outside-root paths get the same refusals as /api/contents.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from typing import TYPE_CHECKING
from urllib.parse import quote

from carnet.errors import ContentsNotFound
from carnet.server.api.http import contents_manager
from carnet.server.http_errors import response_for

if TYPE_CHECKING:
    from pathlib import Path

    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

SANDBOX_HEADERS = {
    # `sandbox` without allow-scripts/allow-same-origin: no script, an opaque origin.
    # frame-ancestors repeats the server-wide default, which a route's own CSP replaces.
    "Content-Security-Policy": "sandbox; script-src 'none'; object-src 'none'; "
    "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
}

_SNIFF_BYTES = 8192
_ENCODING_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip2",
    "xz": "application/x-xz",
}


def _looks_like_text(real: Path) -> bool:
    with open(real, "rb") as f:
        head = f.read(_SNIFF_BYTES)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        return exc.reason == "unexpected end of data" and exc.start >= len(head) - 3
    return b"\x00" not in head


def content_type(name: str, real: Path) -> str:
    if name.lower().endswith(".ipynb"):
        return "application/x-ipynb+json"
    mime, encoding = mimetypes.guess_type(name, strict=False)
    if encoding in _ENCODING_TYPES:
        return _ENCODING_TYPES[encoding]
    if mime is None:
        mime = "text/plain" if _looks_like_text(real) else "application/octet-stream"
    return f"{mime}; charset=UTF-8" if mime == "text/plain" else mime


async def download_file(request: Request) -> Response:
    """Download a file as it is on disk.

    ---
    summary: Get a file's raw bytes
    tags: [files]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
      - name: download
        in: query
        description: Any value but 0, false, no or empty sends the file as an attachment
        schema: {type: string}
    responses:
      200: {description: 'The file, with its Content-Type; sandboxed by Content-Security-Policy'}
      403: {description: The path leaves the root directory}
      404: {description: 'No such file, a directory, or a hidden file'}
    """
    try:
        response = await _download(request)
    except Exception as exc:
        response = response_for(exc, request.scope)
    response.headers.update(SANDBOX_HEADERS)  # errors too: every /files response is sandboxed
    return response


async def _download(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import FileResponse

    api_path: str = request.path_params["path"]
    real = contents_manager(request).os_path(api_path)
    try:
        st = await run_in_threadpool(os.stat, real)
    except OSError:
        st = None
    if st is None or not stat.S_ISREG(st.st_mode):
        raise ContentsNotFound(f"No such file: {api_path.strip('/')!r}", "not found")
    name = api_path.rstrip("/").rpartition("/")[2]  # the name asked for, even through a link
    headers = {}
    if request.query_params.get("download", "0").lower() not in ("", "0", "false", "no"):
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    media_type = await run_in_threadpool(content_type, name, real)
    return FileResponse(real, stat_result=st, media_type=media_type, headers=headers)


def routes() -> list[BaseRoute]:
    """The /files routes, relative to base_url."""
    from starlette.routing import Route

    return [Route("/files/{path:path}", download_file, methods=["GET"], name="files")]
