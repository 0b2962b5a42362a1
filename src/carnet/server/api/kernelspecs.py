"""/api/kernelspecs and /kernelspecs/{name}/{file} (logos and other resources)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from carnet.server.api.http import json_response
from carnet.server.http_errors import json_error

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.client.kernelspec import KernelSpec
    from carnet.server.gateway.kernels import GatewayKernelService

RESOURCE_ROUTE = "kernelspec_resource"
_RESOURCE_SUFFIXES = (".png", ".svg", ".js", ".css")


def _gateway(request: Request) -> GatewayKernelService | None:
    """The gateway's kernel service in gateway mode (kernelspecs are the gateway's)."""
    from carnet.server.gateway.kernels import GatewayKernelService

    service = request.app.state.kernels
    return service if isinstance(service, GatewayKernelService) else None


def _spec_model(request: Request, spec: KernelSpec) -> dict[str, Any]:
    resources: dict[str, str] = {}
    if spec.resource_dir is not None:
        for entry in sorted(spec.resource_dir.iterdir()):
            if entry.is_file() and entry.suffix in _RESOURCE_SUFFIXES:
                url = request.url_for(RESOURCE_ROUTE, name=spec.name, file=entry.name).path
                resources[entry.stem if entry.suffix == ".png" else entry.name] = url
    return {"name": spec.name, "spec": spec.to_dict(), "resources": resources}


async def list_kernelspecs(request: Request) -> Response:
    """List the kernelspecs.
    ---
    summary: Get the kernelspecs and the default kernel name
    tags: [kernelspecs]
    responses:
      200:
        description: The kernelspecs
        content:
          application/json:
            schema:
              type: object
              properties:
                default: {type: string}
                kernelspecs:
                  type: object
                  additionalProperties: {$ref: '#/components/schemas/KernelSpec'}
    """
    from carnet.client.kernelspec import all_kernel_specs

    gateway = _gateway(request)
    if gateway is not None:
        from carnet.server.gateway import kernelspecs

        return json_response(await kernelspecs.list_specs(request, gateway, RESOURCE_ROUTE))
    specs = all_kernel_specs()
    default = request.app.state.kernels.default_kernel_name
    return json_response(
        {
            "default": default,
            "kernelspecs": {name: _spec_model(request, s) for name, s in specs.items()},
        }
    )


async def get_kernelspec(request: Request) -> Response:
    """Get one kernelspec.
    ---
    summary: Get a kernelspec by name
    tags: [kernelspecs]
    parameters:
      - {name: kernel_name, in: path, required: true, schema: {type: string}}
    responses:
      200:
        description: The kernelspec
        content:
          application/json:
            schema: {$ref: '#/components/schemas/KernelSpec'}
      404: {description: No such kernelspec}
    """
    from carnet.client.kernelspec import get_kernel_spec

    gateway = _gateway(request)
    if gateway is not None:
        from carnet.server.gateway import kernelspecs

        return json_response(await kernelspecs.get_spec(request, gateway, RESOURCE_ROUTE))
    return json_response(_spec_model(request, get_kernel_spec(request.path_params["kernel_name"])))


async def kernelspec_resource(request: Request) -> Response:
    """A kernelspec's resource file (its logo, say).
    ---
    summary: Get a kernelspec resource file such as logo-64x64.png
    tags: [kernelspecs]
    parameters:
      - {name: name, in: path, required: true, schema: {type: string}}
      - {name: file, in: path, required: true, schema: {type: string}}
    responses:
      200: {description: The file}
      404: {description: No such kernelspec or file}
    """
    from starlette.responses import FileResponse

    from carnet.client.kernelspec import get_kernel_spec

    gateway = _gateway(request)
    if gateway is not None:
        from carnet.server.gateway import kernelspecs

        return await kernelspecs.resource(request, gateway)
    spec = get_kernel_spec(request.path_params["name"])  # a KernelSpecError is a 404
    name = request.path_params["file"]
    if spec.resource_dir is None or "/" in name or name.startswith("."):
        return json_error(404, f"no resource {name!r}", "not found")
    path = spec.resource_dir / name
    if not path.is_file():
        return json_error(404, f"no resource {name!r}", "not found")
    return FileResponse(path, headers={"X-Content-Type-Options": "nosniff"})


def routes() -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        Route("/api/kernelspecs", list_kernelspecs, methods=["GET"]),
        Route("/api/kernelspecs/{kernel_name}", get_kernelspec, methods=["GET"]),
        Route(
            "/kernelspecs/{name}/{file}", kernelspec_resource, methods=["GET"], name=RESOURCE_ROUTE
        ),
    ]
