"""/api/terminals, the terminal websocket and the /terminals/{name} page.

Jupyter Server's terminals API, so its clients (JupyterLab's TerminalManager,
the classic page) work unchanged. `install` puts a TerminalManager on
app.state.terminals, or None when `terminals_enabled` is False: then every
route here answers 404. Each docstring carries its OpenAPI operation.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from carnet.errors import TerminalsDisabled
from carnet.server.api.http import BadRequest, json_body, json_response
from carnet.server.http_errors import json_error

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.config.settings import ServerSettings
    from carnet.server.terminals.manager import TerminalManager

DISABLED = "terminals are disabled on this server (terminals_enabled = False)"


def install(app: Starlette, settings: ServerSettings) -> None:
    """Create the app's TerminalManager from the settings (None when disabled)."""
    app.state.terminals = None
    if not settings.terminals_enabled:
        return
    from carnet.server.config.options import TerminalManager as TerminalOptions
    from carnet.server.terminals.manager import TerminalManager

    # Its own section, whose cull_interval is not the server's (a kernel culling option).
    culling = TerminalOptions(config=settings.config)
    manager = TerminalManager(
        settings.root_dir,
        dict(settings.terminado_settings),
        cull_inactive_timeout=culling.cull_inactive_timeout,
        cull_interval=culling.cull_interval,
    )
    app.state.terminals = manager
    app.state.shutdown_hooks.append(manager.shutdown_all)


def _manager(request: Request) -> TerminalManager:
    manager: TerminalManager | None = request.app.state.terminals
    if manager is None:
        raise TerminalsDisabled(DISABLED)
    return manager


async def list_terminals(request: Request) -> Response:
    """List the running terminals.
    ---
    summary: List the running terminals
    tags: [terminals]
    responses:
      200:
        description: The terminal models
        content:
          application/json:
            schema:
              type: array
              items:
                type: object
                properties:
                  name: {type: string}
                  last_activity: {type: string, format: date-time}
      404: {description: Terminals are disabled}
    """
    return json_response(_manager(request).models())


def _cwd(request: Request, value: Any) -> Path | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadRequest("'cwd' must be a string")
    root: Path = request.app.state.settings.root_dir
    target = (root / value.lstrip("/")).resolve()
    if not target.is_relative_to(root) or not target.is_dir():
        raise BadRequest(f"'cwd' is not a directory under the served root: {value!r}")
    return target


async def create_terminal(request: Request) -> Response:
    """Start a terminal.
    ---
    summary: Start a terminal (a shell in a pty) and return its model
    tags: [terminals]
    requestBody:
      content:
        application/json:
          schema:
            type: object
            properties:
              name: {type: string, description: 'A name for it (default: the next number)'}
              cwd: {type: string, description: 'Its directory, relative to the root'}
    responses:
      200:
        description: The terminal was started
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: string}
                last_activity: {type: string, format: date-time}
      400: {description: A malformed body}
      404: {description: Terminals are disabled}
      409: {description: A terminal of that name exists}
    """
    manager = _manager(request)
    body = await json_body(request, required=False) or {}
    name = body.get("name")
    if name is not None and (not isinstance(name, str) or not name or "/" in name):
        raise BadRequest("'name' must be a non-empty string without '/'")
    if name is not None and name in manager.terminals:
        return json_error(409, f"a terminal named {name!r} already exists", "conflict")
    terminal = manager.create(name, _cwd(request, body.get("cwd")))
    return json_response(manager.model(terminal))


async def get_terminal(request: Request) -> Response:
    """Get a terminal's model.
    ---
    summary: Get a terminal's model
    tags: [terminals]
    parameters:
      - {name: name, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: The terminal model
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: string}
                last_activity: {type: string, format: date-time}
      404: {description: No such terminal}
    """
    manager = _manager(request)
    return json_response(manager.model(manager.get(request.path_params["name"])))


async def delete_terminal(request: Request) -> Response:
    """Close a terminal.
    ---
    summary: Close a terminal, ending its shell
    tags: [terminals]
    parameters:
      - {name: name, in: path, required: true, schema: {type: string}}
    responses:
      204: {description: The terminal was closed}
      404: {description: No such terminal}
    """
    from starlette.responses import Response

    await _manager(request).terminate(request.path_params["name"])
    return Response(status_code=204)


async def _html_error(request: Request, status: int, message: str, **values: str) -> Response:
    """An error page in the request's language; `message` is English, with {name}s from values."""
    from carnet.server.i18n import request_language, translate
    from carnet.server.pages.errors import error_page

    language, _ = await request_language(request)
    home = request.app.state.settings.base_url + "tree"
    return error_page(language, status, translate(language, message, **values), home)


async def terminal_page(request: Request) -> Response:
    """The terminal page.
    ---
    summary: The page of one terminal (xterm.js on the terminal websocket)
    tags: [pages]
    responses:
      200: {description: The terminal page}
      403: {description: A read-only user}
      404: {description: "No such terminal, or terminals are disabled"}
    """
    from starlette.responses import HTMLResponse

    from carnet.server.pages import shell

    manager: TerminalManager | None = request.app.state.terminals
    name = request.path_params["name"]
    if manager is None:
        return await _html_error(request, 404, DISABLED)
    user = request.scope.get("user")
    if user is not None and user.read_only:
        return await _html_error(request, 403, "Read-only access: this user may not use terminals.")
    if name not in manager.terminals:
        return await _html_error(
            request,
            404,
            "No terminal named {name} (it was closed, or its shell exited).",
            name=repr(name),
        )
    built = shell.bundle()
    if built is None:
        return HTMLResponse(shell.not_built_page(), status_code=503)
    from carnet.server.i18n import request_language, translate

    settings: ServerSettings = request.app.state.settings
    language, override = await request_language(request)
    body = shell.render_page(
        page="terminal",
        title=f"{translate(language, 'Terminal {name}', name=name)} - Carnet",
        base_url=settings.base_url,
        path=name,
        xsrf_token=request.scope.get("xsrf_token", ""),
        autosave_interval=settings.autosave_interval,
        built=built,
        extensions=request.app.state.extensions.frontend_for("terminal"),
        language=language,
        language_override=override,
    )
    return HTMLResponse(body, headers={"Cache-Control": "no-store"})


def routes() -> list[BaseRoute]:
    from starlette.routing import Route, WebSocketRoute

    from carnet.server.terminals.websocket import terminal_websocket

    item = "/api/terminals/{name}"
    return [
        Route("/api/terminals", list_terminals, methods=["GET"]),
        Route("/api/terminals", create_terminal, methods=["POST"]),
        Route(item, get_terminal, methods=["GET"]),
        Route(item, delete_terminal, methods=["DELETE"]),
        Route("/terminals/{name}", terminal_page, methods=["GET"]),
        WebSocketRoute("/terminals/websocket/{name}", terminal_websocket),
    ]
