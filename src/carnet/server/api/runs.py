"""/api/kernels/{kernel_id}/runs: the cells a kernel is running for notebook pages.

A Carnet extension (not in Jupyter Server's API). A page opened while a cell
runs (the tab was closed, reloaded, or the laptop slept) gets the outputs so far
here and follows the rest on its websocket: it adopts the runs, so the server
leaves saving them to the page. Each docstring carries its OpenAPI operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carnet.server.api.http import BadRequest, json_body, json_response
from carnet.server.http_errors import json_error

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.kernels.hub import KernelHub


def _hub(request: Request) -> KernelHub:
    hub: KernelHub = request.app.state.kernels.hub(request.path_params["kernel_id"])
    return hub


async def list_runs(request: Request) -> Response:
    """The runs in progress on a kernel.
    ---
    summary: List the cells a kernel is running or has queued, with their outputs so far
    description: >-
      Carnet extension. Runs are the execute_requests that carried metadata.cellId,
      oldest first, and (state idle) those that finished with no page connected in the
      last few seconds, before the server writes them into the notebook. Outputs are
      nbformat outputs, complete (huge ones are kept on disk by the server and read
      back here).
    tags: [kernels]
    parameters:
      - {name: kernel_id, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: The runs in progress
        content:
          application/json:
            schema:
              type: array
              items:
                type: object
                properties:
                  cell_id: {type: string}
                  msg_id: {type: string, description: The execute_request's msg_id}
                  state: {type: string, enum: [idle, queued, running]}
                  execution_count: {type: integer, nullable: true}
                  outputs: {type: array, items: {type: object}}
                  display_ids:
                    type: array
                    items: {type: string, nullable: true}
                    description: The display_id of each output (for update_display_data)
                  last_msg_id:
                    type: string
                    nullable: true
                    description: The last iopub message the outputs include
                  recent_msg_ids:
                    type: array
                    items: {type: string}
                    description: The iopub messages of the last minute the outputs include
      404: {description: No such kernel}
      501: {description: 'Gateway mode: the kernel runs on a gateway, its runs are not kept here'}
    """
    recorder = _hub(request).recorder
    return json_response(recorder.snapshot() if recorder is not None else [])


async def adopt_runs(request: Request) -> Response:
    """A page takes over the runs in progress.
    ---
    summary: Adopt a kernel's runs in progress for a connected page
    description: >-
      Carnet extension. The websocket of `session_id` must be connected to the kernel,
      so that it gets every iopub message after the returned outputs. Runs adopted
      are saved by the page; the server writes them into the notebook file only if
      neither the page that ran them nor one that adopted them is connected when
      they finish.
    tags: [kernels]
    parameters:
      - {name: kernel_id, in: path, required: true, schema: {type: string}}
    requestBody:
      required: true
      content:
        application/json:
          schema:
            type: object
            required: [session_id]
            properties:
              session_id: {type: string, description: The page's websocket session_id}
    responses:
      200:
        description: The runs in progress, as GET returns them
        content:
          application/json:
            schema: {type: array, items: {type: object}}
      400: {description: A malformed body}
      404: {description: No such kernel}
      409: {description: That session's websocket is not connected (yet)}
      501: {description: 'Gateway mode: the kernel runs on a gateway, its runs are not kept here'}
    """
    body = await json_body(request) or {}
    session_id = body.get("session_id")
    if not isinstance(session_id, str) or not session_id:
        raise BadRequest("'session_id' must be a non-empty string")
    hub = _hub(request)
    if not hub.is_connected(session_id):
        return json_error(409, f"session {session_id!r} is not connected", "not connected")
    recorder = hub.recorder
    runs = recorder.snapshot(adopt_for=session_id) if recorder is not None else []
    hub.hand_over((run["msg_id"] for run in runs if run.get("state") != "idle"), session_id)
    return json_response(runs)


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    item = "/api/kernels/{kernel_id}/runs"
    return [
        Route(item, list_runs, methods=["GET"]),
        Route(item + "/adopt", adopt_runs, methods=["POST"]),
    ]
