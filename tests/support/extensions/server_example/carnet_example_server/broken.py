"""A server extension whose load fails: the server must start without it."""

from __future__ import annotations

from carnet.server.extensions.api import ExtensionContext


def load(ctx: ExtensionContext) -> None:
    ctx.add_routes([])
    raise RuntimeError("the example extension is broken on purpose")
