# Over 300 lines: each endpoint carries its OpenAPI operation in its docstring.
"""/api/contents: jupyter_server's contents REST API (services/api/api.yaml).

Each endpoint's docstring carries its OpenAPI operation (after `---`), from which
/api/spec.yaml is generated. Handlers read the ContentsManager from app.state.contents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from carnet.errors import ContentsNotFound, InvalidContents
from carnet.server.api.http import (
    BadRequest,
    contents_manager,
    flag,
    json_body,
    json_bytes_response,
    json_response,
    parse_json,
)
from carnet.server.contents.models import http_date, json_bytes

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

ROOT_ROUTE = "api_contents_root"


def _path(request: Request) -> str:
    path: str = request.path_params.get("path", "")
    if "\ufffd" in path:
        _check_utf8(request)
    return path


def _check_utf8(request: Request) -> None:
    """Refuse a URL whose bytes are not UTF-8 (the server decoded them to U+FFFD)."""
    from urllib.parse import unquote_to_bytes

    raw = request.scope.get("raw_path") or b""
    try:
        unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest("The URL path is not valid UTF-8", "bad path") from exc


def _location(request: Request, api_path: str, *suffix: str) -> str:
    """The URL path of a contents item, under whatever base_url the app is mounted at."""
    base = request.url_for(ROOT_ROUTE).path.rstrip("/")
    return "/".join([base, quote(api_path), *(quote(part, safe="") for part in suffix)])


async def get_contents(request: Request) -> Response:
    """Get a file, notebook or directory model.

    ---
    summary: Get contents of file or directory
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
      - {name: type, in: query, schema: {type: string, enum: [file, directory, notebook]}}
      - {name: format, in: query, schema: {type: string, enum: [text, base64]}}
      - {name: content, in: query, schema: {type: integer, enum: [0, 1]}}
      - {name: hash, in: query, schema: {type: integer, enum: [0, 1]}}
    responses:
      200: {description: The contents model (with a Last-Modified header)}
      400: {description: "Bad request; reason 'bad type', 'bad format' or 'unreadable notebook'"}
      403: {description: The path leaves the root directory}
      404: {description: 'No such file or directory, or a hidden one'}
    """
    query = request.query_params
    model, content = await contents_manager(request).get_encoded(
        _path(request),
        content=flag(request, "content", "1"),
        type=query.get("type"),  # an empty type= or format= is invalid, as in jupyter_server
        format=query.get("format"),
        require_hash=flag(request, "hash", "0"),
    )
    headers = {"Last-Modified": http_date(model["last_modified"])}
    if content is None:
        return json_response(model, headers=headers)
    # A notebook's content, encoded apart (maybe long before), spliced in unchanged.
    outer = json_bytes({k: v for k, v in model.items() if k != "content"})
    return json_bytes_response(outer[:-1] + b',"content":' + content + b"}", headers=headers)


async def create_contents(request: Request) -> Response:
    """Create an untitled notebook, file or directory, or copy a file into this directory.

    ---
    summary: Create a new file in the specified path
    description: >-
      Creates Untitled.ipynb, untitled<ext> or Untitled Folder (numbered to be unique) in
      the directory, or with {"copy_from": path} a copy named <name>-Copy<n>.
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
    requestBody:
      content:
        application/json:
          schema:
            type: object
            properties:
              copy_from: {type: string}
              ext: {type: string}
              type: {type: string, enum: [notebook, file, directory]}
    responses:
      201: {description: Created; the Location header is its URL}
      400: {description: Bad request (for instance a POST to a file)}
      404: {description: No such directory}
    """
    manager = contents_manager(request)
    path = _path(request)
    manager.os_path(path)  # a path outside the root or hidden is refused as such, not as absent
    if await manager.file_exists(path):
        raise BadRequest("Cannot POST to files, use PUT instead.")
    if not await manager.dir_exists(path):
        raise ContentsNotFound(f"No such directory: {path!r}", "not found")
    body = await json_body(request, required=False) or {}
    copy_from = body.get("copy_from")
    if copy_from is not None:
        if not isinstance(copy_from, str):
            raise BadRequest("copy_from must be a path")
        model = await manager.copy(copy_from, path)
    else:
        kind, ext = body.get("type") or "", body.get("ext") or ""
        if not isinstance(kind, str) or not isinstance(ext, str):
            raise BadRequest("type and ext must be strings")
        model = await manager.new_untitled(path, type=kind, ext=ext)
    return json_response(model, 201, {"Location": _location(request, model["path"])})


async def save_contents(request: Request) -> Response:
    """Save or upload a file, notebook or directory at this path.

    ---
    summary: Save or upload file
    description: >-
      Saves the model at the path (200), or creates it (201). A model with "chunk"
      (1, 2, ..., -1 for the last) is one part of a chunked upload. Carnet extension: with
      "expected_hash" (a sha256 from a GET with hash=1), the save is refused with 409
      unless the file on disk still has that hash; hash=1 returns the saved file's hash.
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
      - {name: hash, in: query, schema: {type: integer, enum: [0, 1]}}
    requestBody:
      content:
        application/json:
          schema:
            type: object
            properties:
              type: {type: string, enum: [notebook, file, directory]}
              format: {type: string, enum: [json, text, base64]}
              content: {}
              chunk: {type: integer}
              expected_hash: {type: string}
    responses:
      200: {description: Saved}
      201: {description: Created}
      400: {description: 'Bad model, format or chunk'}
      403: {description: 'Outside the root, hidden, or read-only'}
      404: {description: No such directory to create an untitled file in (a PUT without body)}
      409: {description: The file changed on disk since expected_hash was read}
      507: {description: Disk full; the previous file is intact}
    """
    manager = contents_manager(request)
    path = _path(request)
    manager.os_path(path)  # refuse outside-root and hidden paths before anything else
    require_hash = flag(request, "hash", "0")
    raw = await request.body()
    sent, body = None, None
    if raw.strip():
        # Read against the last save's cells, so that those sent again are not parsed again.
        sent = await manager.read_save_body(raw, path)
        body = sent.body if sent is not None else await parse_json(raw)
    if body is None:
        model = await manager.new_untitled(path)
        return json_response(model, 201, {"Location": _location(request, model["path"])})
    if body.get("copy_from"):
        raise BadRequest("Cannot copy with PUT, only POST")
    if body.get("format") and body["format"] not in ("json", "text", "base64"):
        # Checked here too: a model without content (a new file) would otherwise ignore it.
        raise InvalidContents(f"Format {body['format']!r} is invalid", "bad format")
    expected_hash = body.pop("expected_hash", None)
    if expected_hash is not None and not isinstance(expected_hash, str):
        raise BadRequest("expected_hash must be a string")
    existed = await manager.file_exists(path)
    if existed or body.get("chunk") is not None or expected_hash is not None:
        model = await manager.save(
            body,
            path,
            expected_hash=expected_hash,
            require_hash=require_hash,
            texts=sent.texts if sent else (),
        )
    else:
        model = await manager.new(body, path, sent.texts if sent else ())
    status = 200 if existed else 201
    return json_response(model, status, {"Location": _location(request, model["path"])})


async def rename_contents(request: Request) -> Response:
    """Rename (move) a file or directory.

    ---
    summary: Rename a file or directory without re-uploading content
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        application/json:
          schema: {type: object, properties: {path: {type: string}}}
    responses:
      200: {description: Renamed; the Location header is the new URL}
      400: {description: No new path given}
      404: {description: No such file or directory}
      409: {description: The new path already exists}
    """
    body = await json_body(request)
    assert body is not None  # required=True
    if not isinstance(body.get("path"), str):
        raise BadRequest("The new path is missing from the body")
    model = await contents_manager(request).update(body, _path(request))
    return json_response(model, headers={"Location": _location(request, model["path"])})


async def delete_contents(request: Request) -> Response:
    """Delete a file, or an empty directory.

    ---
    summary: Delete a file in the given path
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
    responses:
      204: {description: Deleted}
      400: {description: 'The directory is not empty, or it is the root'}
      404: {description: No such file or directory}
    """
    from starlette.responses import Response

    await contents_manager(request).delete(_path(request))
    return Response(status_code=204)


async def list_checkpoints(request: Request) -> Response:
    """List a file's checkpoints (zero or one).

    ---
    summary: Get a list of checkpoints for a file
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
    responses:
      200: {description: "A list of {id, last_modified}"}
      404: {description: No such file}
    """
    return json_response(await contents_manager(request).list_checkpoints(_path(request)))


async def create_checkpoint(request: Request) -> Response:
    """Checkpoint a file's current state (replacing its previous checkpoint).

    ---
    summary: Create a new checkpoint for a file
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
    responses:
      201: {description: "The checkpoint {id, last_modified}; Location is its URL"}
      400: {description: Not a file}
      404: {description: No such file}
    """
    path = _path(request)
    checkpoint = await contents_manager(request).create_checkpoint(path)
    location = _location(request, path, "checkpoints", checkpoint["id"])
    return json_response(checkpoint, 201, {"Location": location})


async def restore_checkpoint(request: Request) -> Response:
    """Restore a file from a checkpoint.

    ---
    summary: Restore a file to a particular checkpointed state
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
      - {name: checkpoint_id, in: path, required: true, schema: {type: string}}
    responses:
      204: {description: Restored}
      404: {description: No such checkpoint}
    """
    from starlette.responses import Response

    manager = contents_manager(request)
    await manager.restore_checkpoint(request.path_params["checkpoint_id"], _path(request))
    return Response(status_code=204)


async def delete_checkpoint(request: Request) -> Response:
    """Delete a checkpoint.

    ---
    summary: Delete a checkpoint
    tags: [contents]
    parameters:
      - {name: path, in: path, required: true, schema: {type: string}}
      - {name: checkpoint_id, in: path, required: true, schema: {type: string}}
    responses:
      204: {description: Deleted}
      404: {description: No such checkpoint}
    """
    from starlette.responses import Response

    manager = contents_manager(request)
    await manager.delete_checkpoint(request.path_params["checkpoint_id"], _path(request))
    return Response(status_code=204)


def routes(extra: Sequence[BaseRoute] = ()) -> list[BaseRoute]:
    """The /api/contents routes, relative to base_url.

    `extra` routes are placed before the catch-all `{path:path}` routes, which would
    otherwise swallow them: this is where `POST /api/contents/{path:path}/trust` (notebook
    trust, a later feature) plugs in.
    """
    from starlette.routing import Route

    item = "/api/contents/{path:path}"
    checkpoint = item + "/checkpoints/{checkpoint_id}"
    return [
        Route(checkpoint, restore_checkpoint, methods=["POST"]),
        Route(checkpoint, delete_checkpoint, methods=["DELETE"]),
        Route(item + "/checkpoints", list_checkpoints, methods=["GET"]),
        Route(item + "/checkpoints", create_checkpoint, methods=["POST"]),
        *extra,
        Route("/api/contents", get_contents, methods=["GET"], name=ROOT_ROUTE),
        Route("/api/contents", create_contents, methods=["POST"]),
        Route("/api/contents", save_contents, methods=["PUT"]),
        Route(item, get_contents, methods=["GET"]),
        Route(item, create_contents, methods=["POST"]),
        Route(item, save_contents, methods=["PUT"]),
        Route(item, rename_contents, methods=["PATCH"]),
        Route(item, delete_contents, methods=["DELETE"]),
    ]
