"""`create_app(settings)`: the Starlette application, every route family under base_url.

Each route family is a module exposing `routes()` with paths relative to base_url.
Shared objects hang on app.state: `settings`, `activity`, `credentials`,
`api_routes` (for the generated OpenAPI document), `extensions` (what the enabled server
extensions added), `started` (an event set when the lifespan starts, after the
extensions' start-up hooks), `shutdown_hooks` (async callables run when the server stops; the
kernel manager registers its own), and the services (`contents`; later `kernels`,
`sessions`).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from carnet import paths
from carnet.server import logs
from carnet.server.access_log import AccessLogMiddleware
from carnet.server.activity import Activity
from carnet.server.api import contents, core, files, kernels, kernelspecs, runs, sessions, spec
from carnet.server.api import nbconfig as nbconfig_api
from carnet.server.api import nbconvert as nbconvert_api
from carnet.server.api import terminals as terminals_api
from carnet.server.api import trust as trust_api
from carnet.server.auth import login
from carnet.server.auth.stack import make_credentials, security_middleware
from carnet.server.auth.throttle import LoginThrottle
from carnet.server.config.settings import ServerSettings
from carnet.server.contents import ContentsManager
from carnet.server.extensions import loading as extension_loading
from carnet.server.extensions import static as extension_static
from carnet.server.extensions.api import Contributions
from carnet.server.http_errors import ErrorMiddleware, exception_handlers
from carnet.server.kernels import KernelService, SessionManager
from carnet.server.nbconfig import FrontendConfig
from carnet.server.pages import other_uis
from carnet.server.pages import routes as pages_routes
from carnet.trust import Notary

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import BaseRoute

    from carnet.server.gateway.kernels import GatewayKernelService
    from carnet.server.hub.env import HubEnv

ShutdownHook = Callable[[], Awaitable[None]]


async def root_redirect(request: Request) -> Response:
    """The server root.
    ---
    summary: Redirect to the default page (the file tree)
    tags: [pages]
    security: []
    responses:
      302:
        description: A redirect to default_url
    """
    from starlette.responses import RedirectResponse

    settings: ServerSettings = request.app.state.settings
    return RedirectResponse(settings.base_url + settings.default_url.lstrip("/"), 302)


def _route_families(first: list[BaseRoute], extensions: Contributions) -> list[BaseRoute]:
    from starlette.routing import Route

    return [
        *first,
        Route("/", root_redirect, methods=["GET"]),
        *login.routes(),
        *core.routes(),
        *spec.routes(),
        *contents.routes(extra=trust_api.routes()),
        *files.routes(),
        *kernels.routes(),
        *runs.routes(),
        *sessions.routes(),
        *kernelspecs.routes(),
        *terminals_api.routes(),
        *nbconvert_api.routes(),
        *nbconfig_api.routes(),
        *extension_static.routes(),
        # After Carnet's own routes, so an extension cannot replace one of them.
        *extensions.routes,
        *pages_routes(),
        *other_uis.routes(),
    ]


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    contributions: Contributions = app.state.extensions
    for start in contributions.startup:
        try:
            await start()
        except Exception:
            logs.server_log().exception("A server extension's start-up hook failed")
    app.state.started.set()  # the runner announces the server then
    yield
    hooks: list[ShutdownHook] = app.state.shutdown_hooks
    for hook in reversed(hooks):
        try:
            await hook()
        except Exception:
            logs.server_log().exception("Error while shutting down")


def create_app(settings: ServerSettings, hub: HubEnv | None = None) -> Starlette:
    """The ASGI application for these settings (the port must be the one bound).

    With `hub`, a JupyterHub single-user server: the Hub says who users are."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Mount

    activity = Activity()
    credentials = make_credentials(settings)
    hub_identity = None
    first: list[BaseRoute] = []
    if hub is not None:
        from carnet.server.hub import oauth
        from carnet.server.hub.identity import HubIdentity

        hub_identity = HubIdentity(hub, credentials, settings.secure)
        first = oauth.routes()  # before /login and /logout of the password login
    extensions = extension_loading.load_all(settings, logs.server_log())
    api_routes = _route_families(first, extensions)
    base = settings.base_url
    routes = api_routes if base == "/" else [Mount(base.rstrip("/"), routes=api_routes)]
    # Outermost first: log every request (refusals too), then the security checks, then
    # the endpoints' errors as responses (which the others then see like any response).
    middleware = [
        Middleware(AccessLogMiddleware, activity=activity, base_url=base),
        *security_middleware(
            settings, credentials, hub_identity, "'none'" if hub is not None else "'self'"
        ),
        Middleware(ErrorMiddleware),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=exception_handlers(),
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.activity = activity
    app.state.credentials = credentials
    app.state.hub_identity = hub_identity
    app.state.login_throttle = LoginThrottle()
    app.state.api_routes = api_routes
    app.state.extensions = extensions
    # Run in reverse: the extensions' hooks after the kernels are shut down.
    app.state.shutdown_hooks = list(extensions.shutdown)
    app.state.started = asyncio.Event()
    app.state.contents = ContentsManager(settings.root_dir, allow_hidden=settings.allow_hidden)
    app.state.nbconfig = FrontendConfig()
    app.state.notary = Notary(paths.data_dir(), log=logs.server_log())
    app.state.contents.trust = app.state.notary
    app.state.kernels = _kernel_service(settings)
    app.state.sessions = SessionManager(app.state.kernels)
    app.state.kernels.contents = app.state.contents
    app.state.kernels.notebook_path = app.state.sessions.path_for_kernel
    app.state.shutdown_hooks.append(app.state.kernels.shutdown_all)
    terminals_api.install(app, settings)
    return app


def _kernel_service(settings: ServerSettings) -> KernelService | GatewayKernelService:
    """Local kernels, or in gateway mode the gateway's."""
    if settings.gateway is not None:
        from carnet.server.gateway.kernels import NO_RUNS, GatewayKernelService

        log = logs.server_log()
        log.info("Kernels and kernelspecs are on the gateway at %s", settings.gateway.url)
        log.info("Gateway mode: %s; idle kernels are culled by the gateway", NO_RUNS)
        return GatewayKernelService(settings.gateway, settings.root_dir)
    return KernelService(
        settings.root_dir,
        cull_idle_timeout=settings.cull_idle_timeout,
        cull_interval=settings.cull_interval,
        cull_connected=settings.cull_connected,
        cull_busy=settings.cull_busy,
        startup_timeout=settings.kernel_info_timeout,
    )
