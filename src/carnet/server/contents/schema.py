"""Notebook validation against nbformat's own JSON schemas, compiled with fastjsonschema.

The schema files are read from the installed nbformat package without importing it:
importing nbformat pulls in jsonschema and its format checkers, which take seconds,
and every first notebook a server opened would pay for it. Compiled validators are
cached per minor version. Notebooks from a future minor version are checked against
the latest schema, relaxed the way nbformat relaxes it (unknown keys, cell and output
types allowed).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

Validator = Callable[[Any], Any]

_SCHEMA_NAME = re.compile(r"nbformat\.v4\.(\d+)\.schema\.json")


@functools.cache
def _schema_dir() -> Path:
    spec = importlib.util.find_spec("nbformat")
    if spec is None or spec.origin is None:
        raise RuntimeError("nbformat is not installed: its notebook schemas are needed")
    return Path(spec.origin).parent / "v4"


@functools.cache
def _known_minors() -> dict[int, Path]:
    found = {}
    for path in _schema_dir().glob("nbformat.v4.*.schema.json"):
        match = _SCHEMA_NAME.fullmatch(path.name)
        if match:
            found[int(match.group(1))] = path
    return found


def _relax(node: Any) -> Any:
    """Allow unknown keys everywhere (a future minor version may add some)."""
    if isinstance(node, dict):
        return {k: True if k == "additionalProperties" else _relax(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_relax(v) for v in node]
    return node


def _future_schema(latest: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = _relax(latest)
    definitions = schema["definitions"]
    definitions["cell"]["oneOf"].append({"$ref": "#/definitions/unrecognized_cell"})
    definitions["output"]["oneOf"].append({"$ref": "#/definitions/unrecognized_output"})
    return schema


@functools.cache
def validator(minor: int) -> Validator | None:
    """The compiled validator for nbformat 4.<minor>, or None when there is no schema."""
    import fastjsonschema

    known = _known_minors()
    if minor in known:
        schema = json.loads(known[minor].read_text(encoding="utf-8"))
    elif known and minor > max(known):
        schema = _future_schema(json.loads(known[max(known)].read_text(encoding="utf-8")))
    else:
        return None
    compiled: Validator = fastjsonschema.compile(schema)
    return compiled


def problem(nb: dict[str, Any]) -> str | None:
    """None when a v4 notebook satisfies its schema, else what is wrong, briefly."""
    import fastjsonschema

    minor = nb.get("nbformat_minor", 0)
    if not isinstance(minor, int) or isinstance(minor, bool) or minor < 0:
        return f"nbformat_minor is {minor!r}, not a version number"
    check = validator(minor)
    if check is None:
        return f"no schema for nbformat 4.{minor}"
    try:
        check(nb)
    except fastjsonschema.JsonSchemaException as error:
        return str(error)
    return None
