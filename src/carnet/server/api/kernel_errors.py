"""Error mapping shared by the kernel-facing REST endpoints (kernels, sessions, specs)."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING

from carnet.errors import InvalidContents, KernelError, KernelNotFound, KernelSpecError
from carnet.server.contents.responses import Endpoint, error_response

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

log = logging.getLogger("carnet.server")


def handles_kernel_errors(endpoint: Endpoint) -> Endpoint:
    """Kernel errors become JSON 4xx/5xx responses with a reason, never a traceback."""

    @functools.wraps(endpoint)
    async def wrapper(request: Request) -> Response:
        try:
            return await endpoint(request)
        except KernelNotFound as exc:
            return error_response(404, str(exc), "not found")
        except KernelSpecError as exc:
            return error_response(404, str(exc), "no such kernelspec")
        except InvalidContents as exc:  # a bad body or argument (BadRequest)
            return error_response(400, str(exc), exc.reason)
        except KernelError as exc:
            log.error("%s %s: %s", request.method, request.url.path, exc)
            return error_response(500, str(exc), "kernel error")
        except Exception:
            log.exception("Unexpected error in %s %s", request.method, request.url.path)
            return error_response(500, "Internal server error (details in the server log)", "error")

    return wrapper
