"""`/api/spec.yaml`: Carnet's OpenAPI document, generated from the routes' docstrings.

Every endpoint documents itself with a YAML docstring after a `---` line (the
starlette.schemas convention), so the document cannot drift from the code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from carnet import __version__

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

_BASE_DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Carnet notebook server API",
        "version": __version__,
        "description": "The Jupyter Server REST API as Carnet serves it.",
    },
    "components": {
        "securitySchemes": {
            "token": {
                "type": "apiKey",
                "in": "header",
                "name": "Authorization",
                "description": "'token <token>'; also accepted as ?token= or the login cookie",
            }
        }
    },
    "security": [{"token": []}],
}


def build_spec(api_routes: list[BaseRoute], base_url: str) -> dict[str, Any]:
    """The OpenAPI document for the given routes (paths relative to base_url)."""
    from starlette.schemas import SchemaGenerator

    from carnet.server.api.kernel_schemas import SCHEMAS

    components = dict(_BASE_DOCUMENT["components"], schemas=SCHEMAS)
    base = dict(
        _BASE_DOCUMENT, components=components, servers=[{"url": base_url.rstrip("/") or "/"}]
    )
    document: dict[str, Any] = SchemaGenerator(base).get_schema(api_routes)
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            # YAML reads `200:` as an int; OpenAPI wants status codes as strings.
            responses = operation.get("responses", {})
            operation["responses"] = {str(code): value for code, value in responses.items()}
            _match_path_parameters(path, operation)
            if path.startswith("/api/") and operation.get("security") != []:
                # The auth middleware's answer to any unauthenticated API request.
                operation["responses"].setdefault("403", {"description": "Not authenticated"})
    return document


def _match_path_parameters(path: str, operation: dict[str, Any]) -> None:
    """Declare exactly the path's template parameters, as OpenAPI requires.

    One handler may serve several routes (`/api/contents` and `/api/contents/{path}`),
    so its docstring cannot be right for all of them: drop the path parameters a route
    lacks and add (as strings) the ones a docstring left out.
    """
    names = re.findall(r"{([^}:]+)}", path)
    kept = [
        parameter
        for parameter in operation.get("parameters", [])
        if parameter.get("in") != "path" or parameter.get("name") in names
    ]
    declared = {p.get("name") for p in kept if p.get("in") == "path"}
    missing = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in names
        if name not in declared
    ]
    if kept or missing:
        operation["parameters"] = missing + kept
    else:
        operation.pop("parameters", None)


async def api_spec(request: Request) -> Response:
    """This document.
    ---
    summary: Get the server's OpenAPI document
    tags: [api]
    responses:
      200:
        description: The OpenAPI 3 document, as YAML
        content:
          text/x-yaml:
            schema: {type: object, description: An OpenAPI 3 document}
      403:
        description: Not authenticated
    """
    import yaml
    from starlette.responses import Response

    settings = request.app.state.settings
    document = build_spec(request.app.state.api_routes, settings.base_url)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
    return Response(text, media_type="text/x-yaml")


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [Route("/api/spec.yaml", api_spec, methods=["GET"])]
