"""Kernelspecs in gateway mode: the gateway's list, and its resources (logos) relayed.

Resource URLs are rewritten to this server's /kernelspecs/{name}/{file}, so the page
never talks to the gateway (which it may not reach, and which wants a token).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from carnet.errors import GatewayError, KernelSpecError
from carnet.server.gateway.http import check

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from carnet.server.gateway.kernels import GatewayKernelService

# What a relayed resource may be served as; anything else goes out as bytes.
_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".js": "text/javascript",
    ".css": "text/css",
}


def _rewrite(request: Request, route: str, model: Any) -> dict[str, Any]:
    if not isinstance(model, dict) or not isinstance(model.get("name"), str):
        raise GatewayError("the gateway sent a kernelspec without a name")
    name = model["name"]
    resources: dict[str, str] = {}
    for key, url in (model.get("resources") or {}).items():
        file = str(url).rstrip("/").rsplit("/", 1)[-1]
        resources[str(key)] = request.url_for(route, name=name, file=file).path
    return {**model, "resources": resources}


async def list_specs(request: Request, service: GatewayKernelService, route: str) -> Any:
    data = await service.http.json("GET", service.config.kernelspecs_endpoint)
    if not isinstance(data, dict) or not isinstance(data.get("kernelspecs"), dict):
        raise GatewayError(f"Kernel gateway {service.config.url}: kernelspecs are malformed")
    service.default_name = str(data.get("default") or "")
    specs = {name: _rewrite(request, route, m) for name, m in data["kernelspecs"].items()}
    return {"default": service.default_kernel_name, "kernelspecs": specs}


async def get_spec(request: Request, service: GatewayKernelService, route: str) -> Any:
    name = request.path_params["kernel_name"]
    path = f"{service.config.kernelspecs_endpoint}/{quote(name, safe='')}"
    reply = await service.http.request("GET", path)
    if reply.status == 404:
        raise KernelSpecError(f"no kernelspec {name!r} on the gateway")
    check(reply, "GET", path, service.config.url)
    return _rewrite(request, route, reply.json())


async def resource(request: Request, service: GatewayKernelService) -> Response:
    from starlette.responses import Response

    from carnet.server.http_errors import json_error

    name, file = request.path_params["name"], request.path_params["file"]
    if "/" in file or file.startswith("."):
        return json_error(404, f"no resource {file!r}", "not found")
    path = f"{service.config.kernelspecs_resource_endpoint}/{quote(name, safe='')}/{quote(file)}"
    reply = await service.http.request("GET", path)
    if reply.status == 404:
        return json_error(404, f"no resource {file!r} for kernelspec {name!r}", "not found")
    check(reply, "GET", path, service.config.url)
    suffix = "." + file.rsplit(".", 1)[-1] if "." in file else ""
    media_type = _TYPES.get(suffix, "application/octet-stream")
    headers = {"X-Content-Type-Options": "nosniff"}
    return Response(reply.body, media_type=media_type, headers=headers)
