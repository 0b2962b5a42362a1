"""`/api/config/{section}`: the front-end config (nbconfig), as in Jupyter Server.

GET answers the section merged along the config path; PATCH deep-merges its body into
the user's `nbconfig/<section>.json` (a null removes a key) and answers the new merged
section; PUT replaces the user's file, answering 204. Read-only users get 403 on the
writes from the read-only middleware, like any state-changing request.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from carnet.server.api.http import json_body, json_response
from carnet.server.nbconfig import FrontendConfig

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute


def _store(request: Request) -> FrontendConfig:
    store: FrontendConfig = request.app.state.nbconfig
    return store


async def get_section(request: Request) -> Response:
    """A front-end config section, merged.
    ---
    summary: Get a front-end config section (nbconfig)
    tags: [config]
    parameters:
      - {name: section, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: The section merged from every nbconfig directory ({} when none has it)
        content:
          application/json:
            schema: {type: object}
      400: {description: 'The section name is not [A-Za-z0-9_-]+'}
      403: {description: Not authenticated}
      500: {description: A config file on disk is not a JSON object (the message names it)}
    """
    section: str = request.path_params["section"]
    return json_response(await asyncio.to_thread(_store(request).get, section))


async def patch_section(request: Request) -> Response:
    """Update the user's front-end config section.
    ---
    summary: Update a front-end config section (nbconfig)
    description: >-
      Deep-merges the body into the user's nbconfig/SECTION.json (a null value removes
      the key) and answers the section merged from every directory.
    tags: [config]
    parameters:
      - {name: section, in: path, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        application/json:
          schema: {type: object}
    responses:
      200:
        description: The new merged section
        content:
          application/json:
            schema: {type: object}
      400: {description: 'A bad section name, or a body that is not a JSON object'}
      403: {description: 'Not authenticated, or a read-only user'}
      500: {description: "The user's file is not a JSON object; it is left as it is"}
    """
    section: str = request.path_params["section"]
    body = await json_body(request)
    assert body is not None
    return json_response(await asyncio.to_thread(_store(request).update, section, body))


async def put_section(request: Request) -> Response:
    """Replace the user's front-end config section.
    ---
    summary: Replace a front-end config section (nbconfig)
    tags: [config]
    parameters:
      - {name: section, in: path, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        application/json:
          schema: {type: object}
    responses:
      204: {description: Replaced}
      400: {description: 'A bad section name, or a body that is not a JSON object'}
      403: {description: 'Not authenticated, or a read-only user'}
    """
    from starlette.responses import Response

    section: str = request.path_params["section"]
    body = await json_body(request)
    assert body is not None
    await asyncio.to_thread(_store(request).replace, section, body)
    return Response(status_code=204)


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    # {section:path}: a name with a '/' reaches the handler and is refused with a 400.
    return [
        Route("/api/config/{section:path}", get_section, methods=["GET"]),
        Route("/api/config/{section:path}", patch_section, methods=["PATCH"]),
        Route("/api/config/{section:path}", put_section, methods=["PUT"]),
    ]
