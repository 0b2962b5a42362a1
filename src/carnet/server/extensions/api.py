"""The stable API of a Carnet server extension.

A package registers a `carnet.server_extensions` entry point whose name is the
extension's name (the key users enable) and whose value is a `ServerExtension`
subclass (or a plain `load(ctx)` function):

    [project.entry-points."carnet.server_extensions"]
    hello = "hello_ext:Hello"

    class Hello(ServerExtension):
        greeting = Unicode("hi", config=True)      # c.Hello.greeting in config files

        def load(self, ctx: ExtensionContext) -> None:
            ctx.add_routes([Route("/hello/api", self.answer)])
            ctx.add_nbextension("hello", Path(__file__).parent / "static")
            ctx.load_frontend("hello/main", "notebook")
            ctx.on_startup(self.started)

Routes are relative to base_url and sit behind Carnet's security middleware (token or
cookie, XSRF, Host/Origin, read-only), like every other route; built-in routes win over
an extension's route of the same path.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from traitlets.config import Configurable

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from carnet.server.config.settings import ServerSettings

ENTRY_POINT_GROUP = "carnet.server_extensions"
# Page names a front-end module can be loaded on; "common" means every page.
PAGE_SECTIONS = ("notebook", "tree", "edit", "terminal", "common")
Hook = Callable[[], Awaitable[None]]


@dataclass
class Contributions:
    """What the loaded extensions added, collected by create_app."""

    routes: list[BaseRoute] = field(default_factory=list)
    nbextension_dirs: dict[str, Path] = field(default_factory=dict)
    frontend: dict[str, list[str]] = field(default_factory=dict)
    startup: list[Hook] = field(default_factory=list)
    shutdown: list[Hook] = field(default_factory=list)

    def frontend_for(self, page: str) -> list[str]:
        """The front-end modules the server's extensions load on `page`."""
        return [*self.frontend.get("common", []), *self.frontend.get(page, [])]


class ExtensionContext:
    """What one extension may add to the server while it loads."""

    def __init__(
        self, name: str, settings: ServerSettings, into: Contributions, log: logging.Logger
    ) -> None:
        self.name = name
        self.settings = settings
        self.base_url = settings.base_url
        self.log = log
        self._into = into

    def add_routes(self, routes: Sequence[BaseRoute]) -> None:
        """Starlette routes, with paths relative to base_url (e.g. "/hello/api")."""
        self._into.routes.extend(routes)

    def add_static(self, url_path: str, directory: Path) -> None:
        """Serve the files of `directory` at {base_url}{url_path}/... (no listing, no
        hidden files, nothing outside the directory)."""
        from starlette.routing import Route

        from carnet.server.extensions.static import directory_endpoint

        prefix = "/" + url_path.strip("/")
        self.add_routes([Route(prefix + "/{path:path}", directory_endpoint(Path(directory)))])

    def add_nbextension(self, name: str, directory: Path) -> None:
        """Serve `directory` at {base_url}nbextensions/{name}/..., before the data path's."""
        from carnet.server.extensions.names import check_name

        self._into.nbextension_dirs[check_name(name)] = Path(directory)

    def load_frontend(self, require: str, *pages: str) -> None:
        """Load the front-end module `require` ("name/main", under nbextensions/) on
        `pages` (default: the notebook page), as if enabled in nbconfig."""
        from carnet.server.extensions.names import check_require

        check_require(require)
        for page in pages or ("notebook",):
            if page not in PAGE_SECTIONS:
                raise ValueError(f"unknown page {page!r}: use one of {', '.join(PAGE_SECTIONS)}")
            self._into.frontend.setdefault(page, []).append(require)

    def on_startup(self, hook: Hook) -> None:
        """An async callable run once the server starts, before it announces its URL."""
        self._into.startup.append(hook)

    def on_shutdown(self, hook: Hook) -> None:
        """An async callable run when the server stops (after the kernels are shut down)."""
        self._into.shutdown.append(hook)


class ServerExtension(Configurable):
    """Base class of a server extension: traitlets options declared on a subclass with
    `config=True` are read from the server's config (`c.<ClassName>.<option>`)."""

    def load(self, ctx: ExtensionContext) -> None:
        """Add routes, files, front-end modules and hooks through `ctx`."""
