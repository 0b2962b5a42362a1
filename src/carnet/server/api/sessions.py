"""/api/sessions: notebook paths tied to kernels (create reuses a path's session)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carnet.errors import InvalidContents, KernelNotFound, KernelSpecError
from carnet.server.api.http import BadRequest, json_body, json_response
from carnet.server.api.kernels import optional_str
from carnet.server.contents.paths import check_api_path

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.kernels.sessions import SessionManager

SESSIONS_ROUTE = "api_sessions"


def session_manager(request: Request) -> SessionManager:
    sessions: SessionManager = request.app.state.sessions
    return sessions


def _kernel_fields(body: dict[str, Any]) -> tuple[str | None, str | None]:
    kernel = body.get("kernel")
    if kernel is None:
        return None, None
    if not isinstance(kernel, dict):
        raise BadRequest("'kernel' must be an object with a name or an id")
    return optional_str(kernel, "name"), optional_str(kernel, "id")


def _path_of(body: dict[str, Any]) -> str | None:
    path = optional_str(body, "path")
    notebook = body.get("notebook")
    if path is None and isinstance(notebook, dict):  # the pre-5.0 notebook client form
        path = optional_str(notebook, "path")
    if path is not None:
        # The contents API's rule: a session for a path no file can have would be
        # created, then never found again by that path.
        try:
            check_api_path(path)
        except InvalidContents as exc:
            raise BadRequest(str(exc), exc.reason) from None
    return path


def _kernel_unavailable(name: str | None, error: KernelSpecError) -> Response:
    """jupyter_server's answer to a session asking for a kernelspec it lacks: 501."""
    body = {
        "message": f"The {name!r} kernel is not available: {error}",
        "short_message": f"{name} not found",
        "reason": "no such kernelspec",
    }
    return json_response(body, 501)


def _no_such_kernel(kernel_id: str | None) -> BadRequest:
    # A session naming a kernel id that does not exist is a bad body (400), as in
    # jupyter_server; 404 is kept for the session itself being missing.
    return BadRequest(f"No such kernel: {kernel_id}")


async def list_sessions(request: Request) -> Response:
    """List the sessions.
    ---
    summary: List the active sessions
    tags: [sessions]
    responses:
      200:
        description: The session models
        content:
          application/json:
            schema: {type: array, items: {$ref: '#/components/schemas/Session'}}
    """
    sessions = session_manager(request)
    await sessions.kernels.refresh()  # a kernel gone from a gateway ends its session
    return json_response(sessions.list())


async def create_session(request: Request) -> Response:
    """Create a session, or return the existing one for the path.
    ---
    summary: Create a session for a path (reusing the path's session if it has one)
    tags: [sessions]
    requestBody:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Session'}
    responses:
      201:
        description: The session model
        headers:
          Location: {description: The session's URL, schema: {type: string}}
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Session'}
      400: {description: 'A malformed body (no or an invalid path), or no kernel with that id'}
      501:
        description: No such kernelspec (as jupyter_server answers)
        content:
          application/json:
            schema:
              type: object
              properties: {message: {type: string}, short_message: {type: string}}
    """
    body = await json_body(request)
    assert body is not None
    path = _path_of(body)
    if not path:
        raise BadRequest("a session needs a 'path'")
    kernel_name, kernel_id = _kernel_fields(body)
    sessions = session_manager(request)
    try:
        rec, _ = await sessions.create(
            path,
            name=optional_str(body, "name") or "",
            type=optional_str(body, "type") or "notebook",
            kernel_name=kernel_name,
            kernel_id=kernel_id,
        )
    except KernelSpecError as exc:
        return _kernel_unavailable(kernel_name, exc)
    except KernelNotFound as exc:
        raise _no_such_kernel(kernel_id) from exc
    location = request.url_for(SESSIONS_ROUTE).path.rstrip("/") + f"/{rec.id}"
    return json_response(sessions.model(rec), 201, {"Location": location})


async def get_session(request: Request) -> Response:
    """Get a session.
    ---
    summary: Get a session's model
    tags: [sessions]
    parameters:
      - {name: session, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: The session model
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Session'}
      404: {description: No such session}
    """
    sessions = session_manager(request)
    await sessions.kernels.refresh()
    return json_response(sessions.model(sessions.get(request.path_params["session"])))


async def patch_session(request: Request) -> Response:
    """Rename a session or change its kernel.
    ---
    summary: Change a session's path, name, type or kernel
    tags: [sessions]
    parameters:
      - {name: session, in: path, required: true, schema: {type: string}}
    requestBody:
      content:
        application/json:
          schema: {$ref: '#/components/schemas/Session'}
    responses:
      200:
        description: The updated session model
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Session'}
      400: {description: 'A malformed body (an invalid path), or no kernel with the given id'}
      404: {description: No such session}
      501: {description: No such kernelspec (as jupyter_server answers)}
    """
    body = await json_body(request)
    assert body is not None
    kernel_name, kernel_id = _kernel_fields(body)
    sessions = session_manager(request)
    session_id = request.path_params["session"]
    sessions.get(session_id)  # an unknown session is a 404, before any kernel lookup
    try:
        rec = await sessions.update(
            session_id,
            path=_path_of(body),
            name=optional_str(body, "name"),
            type=optional_str(body, "type"),
            kernel_name=kernel_name,
            kernel_id=kernel_id,
        )
    except KernelSpecError as exc:
        return _kernel_unavailable(kernel_name, exc)
    except KernelNotFound as exc:
        raise _no_such_kernel(kernel_id) from exc
    return json_response(sessions.model(rec))


async def delete_session(request: Request) -> Response:
    """Delete a session and shut down its kernel.
    ---
    summary: Delete a session (its kernel is shut down)
    tags: [sessions]
    parameters:
      - {name: session, in: path, required: true, schema: {type: string}}
    responses:
      204: {description: The session was deleted}
      404: {description: No such session}
    """
    from starlette.responses import Response

    await session_manager(request).delete(request.path_params["session"])
    return Response(status_code=204)


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    item = "/api/sessions/{session}"
    return [
        Route("/api/sessions", list_sessions, methods=["GET"], name=SESSIONS_ROUTE),
        Route("/api/sessions", create_session, methods=["POST"]),
        Route(item, get_session, methods=["GET"]),
        Route(item, patch_session, methods=["PATCH"]),
        Route(item, delete_session, methods=["DELETE"]),
    ]
