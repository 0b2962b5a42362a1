"""An example Carnet server extension, used by the tests: a JSON route, a traitlets
option, start-up and shut-down hooks, and a front-end module it serves and loads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from traitlets import Unicode

from carnet.server.extensions.api import ExtensionContext, ServerExtension


class ExampleServer(ServerExtension):
    greeting = Unicode("hello", config=True, help="What /api/example/greeting says.")
    marker_dir = Unicode("", config=True, help="Where the hooks record that they ran.")

    def load(self, ctx: ExtensionContext) -> None:
        from starlette.routing import Route

        ctx.add_routes(
            [
                Route("/api/example/greeting", self.greet, methods=["GET"]),
                Route("/api/example/echo", self.echo, methods=["POST"]),
            ]
        )
        here = Path(__file__).parent / "static"
        ctx.add_static("example-static", here)
        ctx.add_nbextension("example_server", here)
        ctx.load_frontend("example_server/main", "notebook", "tree")
        ctx.on_startup(self.started)
        ctx.on_shutdown(self.stopped)

    async def greet(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        return JSONResponse({"greeting": self.greeting, "user": request.user.name})

    async def echo(self, request: Any) -> Any:
        from starlette.responses import JSONResponse

        return JSONResponse(await request.json())

    def _mark(self, name: str) -> None:
        if self.marker_dir:
            (Path(self.marker_dir) / name).write_text(name)

    async def started(self) -> None:
        self._mark("started")

    async def stopped(self) -> None:
        self._mark("stopped")
