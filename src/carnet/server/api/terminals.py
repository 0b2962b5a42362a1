"""/api/terminals, the terminal websocket and the /terminals/{name} page.

Jupyter Server's terminals API, so its clients (JupyterLab's TerminalManager,
the classic page) work unchanged. `install` puts a TerminalManager on
app.state.terminals, or None when `terminals_enabled` is False: then every
route here answers 404. Each docstring carries its OpenAPI operation.
"""

from __future__ import annotations

import functools
import html
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from carnet.errors import TerminalError, TerminalNotFound
from carnet.server.contents.responses import (
    BadRequest,
    Endpoint,
    error_response,
    json_body,
    json_response,
)

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.settings import ServerSettings
    from carnet.server.terminals.manager import TerminalManager

log = logging.getLogger("carnet.server")

DISABLED = "terminals are disabled on this server (terminals_enabled = False)"


def install(app: Starlette, settings: ServerSettings) -> None:
    """Create the app's TerminalManager from the config (None when disabled)."""
    from traitlets.config import Config

    from carnet.server.options import ServerOptions
    from carnet.server.options import TerminalManager as TerminalOptions

    section = settings.config.get("NotebookApp", {})
    keys = ("terminals_enabled", "terminado_settings")
    server = ServerOptions(
        config=Config({"ServerOptions": {k: section[k] for k in keys if k in section}})
    )
    app.state.terminals = None
    if not server.terminals_enabled:
        return
    from carnet.server.terminals.manager import TerminalManager

    culling = TerminalOptions(config=settings.config)
    manager = TerminalManager(
        settings.root_dir,
        dict(server.terminado_settings),
        cull_inactive_timeout=culling.cull_inactive_timeout,
        cull_interval=culling.cull_interval,
    )
    app.state.terminals = manager
    app.state.shutdown_hooks.append(manager.shutdown_all)


class _Disabled(Exception):
    pass


def _manager(request: Request) -> TerminalManager:
    manager: TerminalManager | None = request.app.state.terminals
    if manager is None:
        raise _Disabled
    return manager


def handles_terminal_errors(endpoint: Endpoint) -> Endpoint:
    """Terminal errors become JSON responses with a reason, never a traceback."""

    @functools.wraps(endpoint)
    async def wrapper(request: Request) -> Response:
        try:
            return await endpoint(request)
        except _Disabled:
            return error_response(404, DISABLED, "terminals disabled")
        except TerminalNotFound as exc:
            return error_response(404, str(exc), "not found")
        except BadRequest as exc:
            return error_response(400, str(exc), exc.reason)
        except TerminalError as exc:
            log.error("%s %s: %s", request.method, request.url.path, exc)
            return error_response(500, str(exc), "terminal error")

    return wrapper


@handles_terminal_errors
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


@handles_terminal_errors
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
        return error_response(409, f"a terminal named {name!r} already exists", "conflict")
    terminal = manager.create(name, _cwd(request, body.get("cwd")))
    return json_response(manager.model(terminal))


@handles_terminal_errors
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


@handles_terminal_errors
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


def _html_error(status: int, message: str) -> Response:
    from http import HTTPStatus

    from starlette.responses import HTMLResponse

    title = f"{status}: {HTTPStatus(status).phrase}"
    body = (
        f"<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"</head><body><h1>{title}</h1><p>{html.escape(message)}</p></body></html>\n"
    )
    return HTMLResponse(body, status_code=status)


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
        return _html_error(404, DISABLED)
    user = request.scope.get("user")
    if user is not None and user.read_only:
        return _html_error(403, "Read-only access: this user may not use terminals.")
    if name not in manager.terminals:
        return _html_error(404, f"No terminal named {name!r} (it was closed, or its shell exited).")
    built = shell.bundle()
    if built is None:
        return HTMLResponse(shell.not_built_page(), status_code=503)
    settings: ServerSettings = request.app.state.settings
    body = shell.render_page(
        page="terminal",
        title=f"Terminal {name} - Carnet",
        base_url=settings.base_url,
        path=name,
        xsrf_token=request.scope.get("xsrf_token", ""),
        autosave_interval=settings.autosave_interval,
        built=built,
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
