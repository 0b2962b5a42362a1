"""/nbconvert/{format}/{path} and POST /nbconvert/{format}: "Download as", the Jupyter way.

GET converts a notebook on disk (with `download=true`, or 1, as an attachment named
after the notebook with the exporter's extension); POST converts the notebook model
in the body ({"content": notebook, "name": ...}). Trust decides sanitizing: a notebook
on disk is trusted when its signature is (as when it is opened), a posted one when
every cell with rich output is marked trusted (as when it is saved). Conversion runs
in a worker thread; errors are raised, for the server's error table (http_errors).
Responses carry the sandboxing CSP of /files, so an HTML export
shown inline cannot run script with the user's session. Each docstring carries its
OpenAPI operation.
"""

from __future__ import annotations

import asyncio
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from carnet.server.api.files import SANDBOX_HEADERS
from carnet.server.api.http import BadRequest, contents_manager, json_body

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.export.convert import Converted


def _response(converted: Converted, name: str, download: bool) -> Response:
    from starlette.responses import Response

    filename = PurePosixPath(name).stem + converted.extension
    headers = dict(SANDBOX_HEADERS)
    if download:
        headers["Content-Disposition"] = f"attachment; filename*=utf-8''{quote(filename)}"
    headers["Cache-Control"] = "no-store"
    media_type = converted.mimetype
    if media_type.startswith("text/"):
        media_type += "; charset=utf-8"
    return Response(converted.body, headers=headers, media_type=media_type)


async def _convert(notebook: dict[str, Any], format_name: str, trusted: bool) -> Converted:
    from carnet.server.export.convert import convert, exporter_name

    exporter_name(format_name)  # an unknown format fails before any work
    return await asyncio.to_thread(convert, notebook, format_name, trusted)


def _download(request: Request) -> bool:
    value = request.query_params.get("download", "false").lower()
    if value not in ("true", "false", "1", "0", ""):
        raise BadRequest(f"download {value!r} is invalid (true or false)")
    return value in ("true", "1")


async def export_file(request: Request) -> Response:
    """Convert a notebook on disk.
    ---
    summary: Convert a notebook to another format (html, markdown, python, rst, latex, pdf)
    tags: [nbconvert]
    parameters:
      - {name: format, in: path, required: true, schema: {type: string}}
      - name: download
        in: query
        required: false
        schema: {type: string, enum: ['true', 'false']}
    responses:
      200: {description: 'The converted notebook (an attachment with download=true)'}
      400: {description: 'A bad argument, or not a notebook'}
      404: {description: 'No such notebook, or no exporter of that name'}
      503: {description: 'A program the format needs (pandoc, Chromium) is missing'}
    """
    from carnet.server.export.convert import exporter_name
    from carnet.trust.cells import all_trusted

    format_name = request.path_params["format"]
    path = request.path_params["path"].strip("/")
    download = _download(request)
    exporter_name(format_name)
    model = await contents_manager(request).get(path, type="notebook")
    notebook: dict[str, Any] = model["content"]
    converted = await _convert(notebook, format_name, all_trusted(notebook))
    return _response(converted, model["name"], download)


async def export_model(request: Request) -> Response:
    """Convert the notebook in the body.
    ---
    summary: Convert a notebook model to another format
    tags: [nbconvert]
    parameters:
      - {name: format, in: path, required: true, schema: {type: string}}
    requestBody:
      content:
        application/json:
          schema:
            type: object
            required: [content]
            properties:
              content: {type: object, description: The notebook (nbformat 4)}
              name: {type: string, description: 'The file name to derive the output name from'}
    responses:
      200: {description: The converted notebook}
      400: {description: 'A malformed body, or not a notebook'}
      404: {description: No exporter of that name}
      503: {description: 'A program the format needs (pandoc, Chromium) is missing'}
    """
    from carnet.trust.cells import all_trusted

    format_name = request.path_params["format"]
    body = await json_body(request) or {}
    notebook = body.get("content")
    if not isinstance(notebook, dict):
        raise BadRequest("the body needs the notebook as 'content'")
    name = body.get("name")
    name = name if isinstance(name, str) and name else "notebook.ipynb"
    converted = await _convert(notebook, format_name, all_trusted(notebook))
    return _response(converted, name, download=_download(request))


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        Route("/nbconvert/{format}/{path:path}", export_file, methods=["GET"]),
        Route("/nbconvert/{format}", export_model, methods=["POST"]),
    ]
