"""Serving extensions' files: `{base_url}nbextensions/...` and an extension's own dirs.

`nbextensions/<name>/<file>` is looked up in the directories server extensions
registered for `<name>`, then in `nbextensions/` of every Jupyter data directory
(most specific first), as the classic notebook does. The same rules as /static:
the resolved file must lie inside the directory it was looked up in (no `..`, no
symlink out), hidden files are never served, no directory listings.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from carnet import paths

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

# The browser must revalidate: an upgraded extension is picked up on the next load.
_CACHE = "no-cache"
# Module scripts must be served with a JavaScript type (Python's table may lack .mjs).
_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".css": "text/css"}


def find_file(roots: Sequence[Path], relative: str) -> Path | None:
    """The first `root/relative` that is a regular file inside its root, not hidden."""
    parts = relative.split("/")
    if not relative or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    for root in roots:
        try:
            base = root.resolve()
            target = (base / relative).resolve()
        except (OSError, RuntimeError):
            continue
        if target.is_relative_to(base) and target.is_file():
            return target
    return None


def _file_response(target: Path) -> Response:
    from starlette.responses import FileResponse

    media = _TYPES.get(target.suffix.lower())
    return FileResponse(target, media_type=media, headers={"Cache-Control": _CACHE})


def _not_found() -> Response:
    from starlette.responses import PlainTextResponse

    return PlainTextResponse("No such file", status_code=404, headers={"Cache-Control": _CACHE})


def nbextension_roots(request: Request, name: str) -> list[Path]:
    """Where `nbextensions/<name>/...` is looked up, in order (as `<dir>/<name>`)."""
    registered: dict[str, Path] = request.app.state.extensions.nbextension_dirs
    own = [registered[name]] if name in registered else []
    return own + [d / name for d in paths.jupyter_path("nbextensions")]


async def nbextension_file(request: Request) -> Response:
    """A front-end extension's file.
    ---
    summary: A file of a front-end extension (nbextensions/NAME/FILE)
    tags: [pages]
    responses:
      200: {description: The file}
      403: {description: Not authenticated}
      404: {description: No such file}
    """
    name, _, rest = str(request.path_params["path"]).partition("/")
    if not rest or name.startswith("."):
        return _not_found()
    target = find_file(nbextension_roots(request, name), rest)
    return _file_response(target) if target is not None else _not_found()


def directory_endpoint(directory: Path) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint serving `directory`'s files under a `{path:path}` route."""

    async def serve(request: Request) -> Response:
        target = find_file([directory], str(request.path_params["path"]))
        return _file_response(target) if target is not None else _not_found()

    return serve


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [Route("/nbextensions/{path:path}", nbextension_file, methods=["GET"])]
