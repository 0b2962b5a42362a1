"""Finding and loading the enabled server extensions at start-up.

Enabled means `{"name": True}` in `jpserver_extensions` or `nbserver_extensions`
(the latter wins for a name in both). Each enabled name is looked up among the
`carnet.server_extensions` entry points; the entry point's object is instantiated
with the server's config (when it is a `ServerExtension`) and loaded. Nothing here
stops the server: an extension that is not installed, is Jupyter-only, or fails to
load is a warning or an error in the log, and the server starts without it, as
Jupyter does unless reraise_server_extension_failures is set. No entry point is read
when no extension is enabled, so this costs nothing at start-up by default.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from carnet.server.extensions.api import (
    ENTRY_POINT_GROUP,
    Contributions,
    ExtensionContext,
    ServerExtension,
)
from carnet.server.extensions.names import is_module_name

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

    from carnet.server.config.settings import ServerSettings


def enabled_names(jpserver: Mapping[str, Any], nbserver: Mapping[str, Any]) -> list[str]:
    """The names switched on, in config order (nbserver_extensions wins per name)."""
    merged = {**jpserver, **nbserver}
    return [str(name) for name, on in merged.items() if on]


def installed() -> dict[str, EntryPoint]:
    """Carnet's server extensions installed in this Python, by name."""
    # Imported here: about 10 ms that a server without extensions does not pay.
    from importlib.metadata import entry_points

    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def jupyter_only(name: str) -> bool:
    """Whether `name` is an importable module without a Carnet entry point: a Jupyter
    Server (or classic notebook) extension, which needs tornado and jupyter_server's
    application object. Found without importing the module itself."""
    if not is_module_name(name):
        return False
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def load_all(settings: ServerSettings, log: logging.Logger) -> Contributions:
    """Load every enabled server extension; what they contributed."""
    into = Contributions()
    names = enabled_names(settings.jpserver_extensions, settings.nbserver_extensions)
    if not names:
        return into
    available = installed()
    for name in names:
        entry = available.get(name)
        if entry is None:
            _warn_missing(name, available, log)
            continue
        try:
            _load_one(name, entry, settings, into, log)
        except Exception:
            log.exception(
                "The server extension %r failed to load; the server runs without it", name
            )
        else:
            log.info("Loaded server extension %s", name)
    return into


def _warn_missing(name: str, available: Mapping[str, EntryPoint], log: logging.Logger) -> None:
    if jupyter_only(name):
        log.warning(
            "The server extension %r is a Jupyter Server extension, not a Carnet one (it "
            "registers no %r entry point): Carnet cannot load it (it needs tornado and "
            "jupyter_server); ignored",
            name,
            ENTRY_POINT_GROUP,
        )
        return
    known = ", ".join(sorted(available)) or "none"
    log.warning(
        "The server extension %r is not installed (installed Carnet extensions: %s); ignored",
        name,
        known,
    )


def _load_one(
    name: str,
    entry: EntryPoint,
    settings: ServerSettings,
    into: Contributions,
    log: logging.Logger,
) -> None:
    target = entry.load()
    # Staged: a failing extension must leave nothing half-registered behind.
    staged = Contributions()
    ctx = ExtensionContext(name, settings, staged, log.getChild(name))
    if isinstance(target, type) and issubclass(target, ServerExtension):
        target(config=settings.config).load(ctx)
    elif callable(target):
        target(ctx)
    else:
        raise TypeError(
            f"entry point {entry.value!r} is neither a ServerExtension subclass nor a function"
        )
    into.routes += staged.routes
    into.nbextension_dirs.update(staged.nbextension_dirs)
    for page, modules in staged.frontend.items():
        into.frontend.setdefault(page, []).extend(modules)
    into.startup += staged.startup
    into.shutdown += staged.shutdown
