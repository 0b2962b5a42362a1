"""uvicorn's Server and Config, imported without running uvicorn/__init__.py.

The package's __init__ imports uvicorn.main for `uvicorn.run`, and with it click,
the reloaders (watchfiles, a Rust extension) and multiprocessing: about 2.5 MB of
resident memory that the notebook server never uses. Registering `uvicorn` as a
bare package (its __path__, nothing run) lets uvicorn.server and uvicorn.config
import as usual. Asking the bare package for anything else runs the real __init__
then, so `from uvicorn import Config` (in uvicorn's own lifespan module) or
`uvicorn.run` elsewhere in the process still work.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from uvicorn.config import Config
    from uvicorn.server import Server


def load() -> tuple[type[Config], type[Server]]:
    if "uvicorn" not in sys.modules:
        _register_bare_package()
    from uvicorn.config import Config
    from uvicorn.server import Server

    return Config, Server


def _register_bare_package() -> None:
    spec = importlib.util.find_spec("uvicorn")
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        return  # the ordinary import will say what is wrong
    package = importlib.util.module_from_spec(spec)  # __path__ and __spec__ set, not run
    loader = spec.loader

    def __getattr__(name: str) -> Any:
        if name == "Config":
            from uvicorn.config import Config

            return Config
        # Anything else __init__ defines (run, main, Server, __version__): run it, once.
        vars(package).pop("__getattr__", None)
        loader.exec_module(package)
        return getattr(package, name)

    package.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules["uvicorn"] = package
