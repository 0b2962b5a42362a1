"""Valid names: server extensions (Python names), nbextension dirs and require paths."""

from __future__ import annotations

import re

from carnet.errors import ConfigError

_SEGMENT = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"
_NAME = re.compile(_SEGMENT)
_REQUIRE = re.compile(rf"{_SEGMENT}(/{_SEGMENT})+")
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def check_name(name: str) -> str:
    """An nbextension directory name (one path segment, not hidden, no '..')."""
    if not _NAME.fullmatch(name) or ".." in name:
        raise ConfigError(f"invalid nbextension name {name!r}: letters, digits, '_', '-', '.'")
    return name


def check_require(require: str) -> str:
    """A front-end module as nbconfig names it: "name/main" (no '.js', no '..')."""
    if not _REQUIRE.fullmatch(require) or ".." in require:
        raise ConfigError(
            f"invalid front-end extension {require!r}: expected a path like 'name/main' "
            "(the file nbextensions/name/main.js)"
        )
    return require


def is_module_name(name: str) -> bool:
    """Whether `name` can be a server extension (an entry point name or Python module)."""
    return bool(_MODULE.fullmatch(name))
