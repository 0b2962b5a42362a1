"""The server's own API: version, status and identity (`/api`, `/api/status`, `/api/me`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from carnet import __version__
from carnet.server.activity import Activity, iso_utc
from carnet.server.auth.identity import User, permissions_model
from carnet.server.http_errors import json_error

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute


async def api_version(request: Request) -> Response:
    """The server's version; reachable without credentials.
    ---
    summary: Get the server's version
    tags: [api]
    security: []
    responses:
      200:
        description: The version
        content:
          application/json:
            schema:
              type: object
              properties:
                version: {type: string}
    """
    from starlette.responses import JSONResponse

    return JSONResponse({"version": __version__})


async def api_status(request: Request) -> Response:
    """Server activity.
    ---
    summary: Get the server's status
    tags: [api]
    responses:
      200:
        description: When the server started, its last activity, open connections, kernels
        content:
          application/json:
            schema:
              type: object
              properties:
                started: {type: string, format: date-time}
                last_activity: {type: string, format: date-time}
                connections: {type: integer}
                kernels: {type: integer}
      403:
        description: Not authenticated
    """
    from starlette.responses import JSONResponse

    activity: Activity = request.app.state.activity
    kernels = getattr(request.app.state, "kernels", None)
    return JSONResponse(
        {
            "started": iso_utc(activity.started),
            "last_activity": iso_utc(activity.last_activity),
            "connections": activity.connections,
            "kernels": len(kernels) if kernels is not None else 0,
        }
    )


async def api_me(request: Request) -> Response:
    """Who the request is authenticated as, and what it may do.
    ---
    summary: Get the current user's identity and permissions
    tags: [identity]
    parameters:
      - name: permissions
        in: query
        required: false
        description: >-
          A JSON object of resource names to lists of actions to ask about,
          e.g. {"contents": ["read", "write"]}.
        schema: {type: string}
    responses:
      200:
        description: The identity and, for each resource asked about, the permitted actions
        content:
          application/json:
            schema:
              type: object
              properties:
                identity:
                  type: object
                  properties:
                    username: {type: string}
                    name: {type: string}
                    display_name: {type: string}
                    initials: {type: string, nullable: true}
                    avatar_url: {type: string, nullable: true}
                    color: {type: string, nullable: true}
                permissions:
                  type: object
                  additionalProperties:
                    type: array
                    items: {type: string}
                auth:
                  type: object
                  description: Carnet's addition, for the UI's warnings and read-only mode
                  properties:
                    enabled: {type: boolean, description: false when token and password are ''}
                    read_only: {type: boolean}
      400:
        description: The permissions parameter is not a JSON object of lists of strings
      403:
        description: Not authenticated
    """
    from starlette.responses import JSONResponse

    user: User = request.scope["user"]
    asked = _asked_permissions(request.query_params.get("permissions", "{}"))
    if asked is None:
        return json_error(
            400,
            'permissions must be a JSON object like {"contents": ["read", "write"]}',
            "bad permissions",
        )
    auth = {"enabled": request.scope.get("auth") != "none", "read_only": user.read_only}
    return JSONResponse(
        {
            "identity": user.identity_model(),
            "permissions": permissions_model(user, asked),
            "auth": auth,
        }
    )


def _asked_permissions(raw: str) -> dict[str, list[str]] | None:
    try:
        value: Any = json.loads(raw or "{}")
    except (ValueError, RecursionError):  # RecursionError: nested too deeply
        return None
    if not isinstance(value, dict):
        return None
    for actions in value.values():
        if not isinstance(actions, list) or not all(isinstance(a, str) for a in actions):
            return None
    return value


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        Route("/api", api_version, methods=["GET"]),
        Route("/api/status", api_status, methods=["GET"]),
        Route("/api/me", api_me, methods=["GET"]),
    ]
