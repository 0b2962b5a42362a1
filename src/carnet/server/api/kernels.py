"""/api/kernels: list, start, get, shut down, interrupt and restart kernels.

Handlers use app.state.kernels: a KernelService, or in gateway mode a
GatewayKernelService (the same interface, kernels on the gateway). Each docstring carries its
OpenAPI operation (after `---`) for the generated /api/spec.yaml.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from carnet.server.api.http import BadRequest, json_body, json_response

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.kernels.backend import KernelBackend

KERNELS_ROUTE = "api_kernels"


def kernel_service(request: Request) -> KernelBackend:
    service: KernelBackend = request.app.state.kernels
    return service


def _kernel_id(request: Request) -> str:
    kernel_id: str = request.path_params["kernel_id"]
    return kernel_id


def optional_str(body: dict[str, object], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{key!r} must be a string")
    return value


async def list_kernels(request: Request) -> Response:
    """List the running kernels.
    ---
    summary: List the running kernels
    tags: [kernels]
    responses:
      200:
        description: The kernel models
        content:
          application/json:
            schema: {type: array, items: {$ref: '#/components/schemas/Kernel'}}
    """
    service = kernel_service(request)
    await service.refresh()
    return json_response(service.models())


async def start_kernel(request: Request) -> Response:
    """Start a kernel.
    ---
    summary: Start a kernel and return its model
    tags: [kernels]
    requestBody:
      content:
        application/json:
          schema:
            type: object
            properties:
              name:
                type: string
                nullable: true
                description: The kernelspec name (the default if absent, null or empty)
              path:
                type: string
                nullable: true
                description: 'The directory the kernel runs in, relative'
    responses:
      201:
        description: The kernel was started
        headers:
          Location: {description: The kernel's URL, schema: {type: string}}
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Kernel'}
      400: {description: A malformed body}
      404: {description: No such kernelspec}
    """
    body = await json_body(request, required=False) or {}
    service = kernel_service(request)
    kernel_id = await service.start(optional_str(body, "name"), optional_str(body, "path"))
    location = request.url_for(KERNELS_ROUTE).path.rstrip("/") + f"/{kernel_id}"
    return json_response(service.get(kernel_id).to_model(), 201, {"Location": location})


async def get_kernel(request: Request) -> Response:
    """Get a kernel's model.
    ---
    summary: Get a kernel's model
    tags: [kernels]
    parameters:
      - {name: kernel_id, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: The kernel model
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Kernel'}
      404: {description: No such kernel}
    """
    return json_response(await kernel_service(request).model(_kernel_id(request)))


async def delete_kernel(request: Request) -> Response:
    """Shut a kernel down.
    ---
    summary: Shut a kernel down
    tags: [kernels]
    parameters:
      - {name: kernel_id, in: path, required: true, schema: {type: string}}
    responses:
      204: {description: The kernel was shut down}
      404: {description: No such kernel}
    """
    from starlette.responses import Response

    await kernel_service(request).shutdown(_kernel_id(request))
    return Response(status_code=204)


async def interrupt_kernel(request: Request) -> Response:
    """Interrupt a kernel.
    ---
    summary: Interrupt a kernel
    tags: [kernels]
    parameters:
      - {name: kernel_id, in: path, required: true, schema: {type: string}}
    responses:
      204: {description: The kernel was interrupted}
      404: {description: No such kernel}
    """
    from starlette.responses import Response

    await kernel_service(request).interrupt(_kernel_id(request))
    return Response(status_code=204)


async def restart_kernel(request: Request) -> Response:
    """Restart a kernel.
    ---
    summary: Restart a kernel on the same ports
    tags: [kernels]
    parameters:
      - {name: kernel_id, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: The kernel restarted
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Kernel'}
      404: {description: No such kernel}
    """
    service = kernel_service(request)
    kernel_id = _kernel_id(request)
    await service.restart(kernel_id)
    return json_response(service.get(kernel_id).to_model())


def routes() -> list[BaseRoute]:
    from starlette.routing import Route, WebSocketRoute

    from carnet.server.ws.channels import kernel_channels

    item = "/api/kernels/{kernel_id}"
    return [
        Route("/api/kernels", list_kernels, methods=["GET"], name=KERNELS_ROUTE),
        Route("/api/kernels", start_kernel, methods=["POST"]),
        Route(item, get_kernel, methods=["GET"]),
        Route(item, delete_kernel, methods=["DELETE"]),
        Route(item + "/interrupt", interrupt_kernel, methods=["POST"]),
        Route(item + "/restart", restart_kernel, methods=["POST"]),
        WebSocketRoute(item + "/channels", kernel_channels),
    ]
