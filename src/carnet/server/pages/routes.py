"""Page routes: /tree[/dir], /notebooks/<path>, /edit/<path>, /static/<file>, /custom/*."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from carnet import paths
from carnet.errors import ContentsError
from carnet.server.i18n import request_language, translate
from carnet.server.pages import shell
from carnet.server.pages.errors import error_page

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.config.settings import ServerSettings

# Hashed bundle files never change: browsers may keep them for a year.
_IMMUTABLE = "public, max-age=31536000, immutable"
_CUSTOM_TYPES = {"custom.js": "text/javascript", "custom.css": "text/css"}


def _settings(request: Request) -> ServerSettings:
    settings: ServerSettings = request.app.state.settings
    return settings


async def _not_found(request: Request, message: str, **values: str) -> Response:
    """A 404 page in the request's language; `message` is English, with {name}s from values."""
    language, _ = await request_language(request)
    home = _settings(request).base_url + "tree"
    return error_page(language, 404, translate(language, message, **values), home)


async def _page(request: Request, page: str, path: str, title: str) -> Response:
    from starlette.responses import HTMLResponse

    built = shell.bundle()
    if built is None:
        return HTMLResponse(shell.not_built_page(), status_code=503)
    settings = _settings(request)
    language, override = await request_language(request)
    if page == "tree" and not path:
        title = f"{translate(language, 'Home')} - Carnet"
    body = shell.render_page(
        page=page,
        title=title,
        base_url=settings.base_url,
        path=path,
        xsrf_token=request.scope.get("xsrf_token", ""),
        autosave_interval=settings.autosave_interval,
        built=built,
        extensions=request.app.state.extensions.frontend_for(page),
        language=language,
        language_override=override,
    )
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


async def _kind(request: Request, path: str) -> str | None:
    """'directory', 'file' or None (missing, hidden or outside the root)."""
    contents = request.app.state.contents
    try:
        if await contents.dir_exists(path):
            return "directory"
        if await contents.file_exists(path):
            return "file"
    except ContentsError:
        return None
    return None


def _clean(path: str) -> str:
    return path.strip("/")


async def tree_page(request: Request) -> Response:
    """The file browser.
    ---
    summary: The file browser page for a directory
    tags: [pages]
    responses:
      200: {description: The tree page}
      404: {description: No such directory}
    """
    from starlette.responses import RedirectResponse

    path = _clean(request.path_params.get("path", ""))
    kind = await _kind(request, path)
    if kind == "file":
        target = "notebooks" if path.endswith(".ipynb") else "edit"
        location = f"{_settings(request).base_url}{target}/{quote(path)}"
        return RedirectResponse(location)
    if kind is None:
        return await _not_found(request, "No such directory: {path}", path=path)
    return await _page(request, "tree", path, f"{path or 'Home'} - Carnet")


async def notebook_page(request: Request) -> Response:
    """The notebook.
    ---
    summary: The notebook page
    tags: [pages]
    responses:
      200: {description: The notebook page}
      404: {description: No such notebook}
    """
    path = _clean(request.path_params["path"])
    if await _kind(request, path) != "file":
        return await _not_found(request, "No such notebook: {path}", path=path)
    return await _page(request, "notebook", path, Path(path).stem)


async def edit_page(request: Request) -> Response:
    """The text editor.
    ---
    summary: The text file editor page
    tags: [pages]
    responses:
      200: {description: The editor page}
      404: {description: No such file}
    """
    path = _clean(request.path_params["path"])
    if await _kind(request, path) != "file":
        return await _not_found(request, "No such file: {path}", path=path)
    return await _page(request, "edit", path, f"{Path(path).name} - Carnet")


async def static_file(request: Request) -> Response:
    """A file of the built frontend bundle.
    ---
    summary: A static file of the browser UI
    tags: [pages]
    responses:
      200: {description: The file}
      404: {description: No such file}
    """
    from starlette.responses import FileResponse

    root = shell.STATIC_DIR.resolve()
    target = (root / request.path_params["path"]).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return await _not_found(request, "No such static file")
    hashed = target.parent.name == "assets"
    cache = _IMMUTABLE if hashed else "no-cache"
    return FileResponse(target, headers={"Cache-Control": cache})


async def custom_file(request: Request) -> Response:
    """custom/custom.js and custom/custom.css from the Jupyter config directory.
    ---
    summary: The user's custom.js or custom.css (empty when absent)
    tags: [pages]
    responses:
      200: {description: 'The file, or an empty one'}
      404: {description: Only custom.js and custom.css are served}
    """
    from starlette.responses import Response as PlainResponse

    name = request.path_params["name"]
    media = _CUSTOM_TYPES.get(name)
    if media is None:
        return await _not_found(request, "Only custom.js and custom.css are served here")
    try:
        body = (paths.config_dir() / "custom" / name).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        body = b""  # absent: an empty file, so pages load without a console error
    except OSError as exc:
        comment = f"/* Carnet could not read custom/{name}: {exc.strerror} */\n"
        body = comment.encode()
    return PlainResponse(body, media_type=media, headers={"Cache-Control": "no-cache"})


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        Route("/tree", tree_page, methods=["GET"]),
        Route("/tree/{path:path}", tree_page, methods=["GET"]),
        Route("/notebooks/{path:path}", notebook_page, methods=["GET"]),
        Route("/edit/{path:path}", edit_page, methods=["GET"]),
        Route("/static/{path:path}", static_file, methods=["GET"]),
        Route("/custom/{name}", custom_file, methods=["GET"]),
    ]
