"""JupyterLab's page URLs, redirected to Carnet's pages.

Links and launchers written for JupyterLab land here: BinderHub's `urlpath=lab/tree/...`,
a Hub's `?next=/user/<name>/lab`, bookmarks. /lab goes to the file browser and
/lab/tree/<path> to the notebook or directory it names (compat.carnet_url).
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

from carnet.server.config.compat import carnet_url

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute


async def other_ui(request: Request) -> Response:
    """A JupyterLab page.
    ---
    summary: Redirect a JupyterLab page URL (/lab, /lab/tree/<path>) to Carnet's page
    tags: [pages]
    responses:
      302: {description: "On to the tree, notebook or directory page"}
    """
    from starlette.responses import RedirectResponse

    base_url: str = request.app.state.settings.base_url
    relative = "/lab/" + str(request.path_params.get("path", ""))
    return RedirectResponse(base_url + quote(carnet_url(relative).lstrip("/")), 302)


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        Route("/lab", other_ui, methods=["GET"]),
        Route("/lab/{path:path}", other_ui, methods=["GET"]),
    ]
