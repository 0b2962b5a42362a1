"""POST /api/contents/{path}/trust: the user trusts a notebook (the UI's "Trust notebook").

The route is handed to contents.routes(extra=...), ahead of the contents catch-all.
The notary is app.state.notary, which create_app also installs as the contents
service's trust hook.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from carnet.server.api.http import BadRequest, contents_manager

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.trust import Notary


async def trust_notebook(request: Request) -> Response:
    """Sign a notebook as it is on disk, so its outputs render fully.

    ---
    summary: Trust a notebook
    description: >-
      Records the signature of the notebook file in the signatures database shared
      with Jupyter; when it is opened next, every cell is marked trusted.
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
    responses:
      201: {description: "Trusted (201 with an empty body, as jupyter_server answers)"}
      400: {description: 'Not a notebook, or an unreadable one'}
      403: {description: The path leaves the root directory}
      404: {description: No such file}
    """
    from starlette.responses import Response

    path: str = request.path_params["path"]
    model = await contents_manager(request).get(path, content=True)
    if model["type"] != "notebook":
        raise BadRequest(f"{path!r} is not a notebook", "not a notebook")
    notary: Notary = request.app.state.notary
    if not await asyncio.to_thread(notary.trust, model["content"]):
        raise BadRequest(f"{path!r} cannot be signed: malformed notebook", "unreadable notebook")
    return Response(status_code=201)


def routes() -> list[BaseRoute]:
    """The trust route, relative to base_url (to go before the contents catch-all)."""
    from starlette.routing import Route

    return [Route("/api/contents/{path:path}/trust", trust_notebook, methods=["POST"])]
