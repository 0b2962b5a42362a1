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


def _load(minor: int) -> dict[str, Any] | None:
    known = _known_minors()
    if minor in known:
        schema: dict[str, Any] = json.loads(known[minor].read_text(encoding="utf-8"))
        return schema
    if known and minor > max(known):
        return _future_schema(json.loads(known[max(known)].read_text(encoding="utf-8")))
    return None


def _discriminated(definitions: dict[str, Any], name: str, key: str) -> dict[str, str]:
    """{type value: definition name} for a `oneOf` whose branches each fix `key` by enum."""
    table = {}
    for branch in definitions[name]["oneOf"]:
        target = branch["$ref"].rpartition("/")[2]
        for value in definitions[target]["properties"][key].get("enum", []):
            table[value] = target
    return table


def _exclusive_one_of(node: Any) -> Any:
    """Each `oneOf` whose branches are plain, distinct JSON types becomes an `anyOf`.

    No value has two of these types, so both accept the same values; but a `oneOf`
    tries every branch (raising and discarding an exception for each miss), while an
    `anyOf` stops at the first that fits: for the multi-line strings of every cell
    and output, that was much of the validation time.
    """
    if isinstance(node, list):
        return [_exclusive_one_of(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {k: _exclusive_one_of(v) for k, v in node.items()}
    branches = out.get("oneOf")
    if isinstance(branches, list) and "anyOf" not in out:
        types = [b.get("type") if isinstance(b, dict) else None for b in branches]
        plain = all(isinstance(t, str) for t in types) and len(set(types)) == len(types)
        if plain and not {"integer", "number"} <= set(types):  # integers are numbers too
            out["anyOf"] = out.pop("oneOf")
    return out


def _kind(value: dict[str, Any], key: str) -> str:
    """A cell's or output's type, "" for one that is not a string (a list cannot be looked up)."""
    kind = value.get(key)
    return kind if isinstance(kind, str) else ""


class _Checker:
    """A notebook schema, checked cell by cell and output by output.

    The schemas say a cell is `oneOf` raw/markdown/code and an output `oneOf` four
    kinds, so a generic validator tries every branch of every cell and output, raising
    and discarding an exception for each miss. The branches are told apart by
    `cell_type` / `output_type`, so picking the one branch by that key is equivalent
    and several times faster. Unknown kinds (and any failure) go to the whole-schema
    validator, which has the final word and the error message.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        import fastjsonschema

        definitions = schema["definitions"]
        self.schema = schema
        self.cell_kinds = _discriminated(definitions, "cell", "cell_type")
        self.output_kinds = _discriminated(definitions, "output", "output_type")
        shallow = _exclusive_one_of(schema)
        shallow["definitions"]["cell"] = {"type": "object"}
        shallow["definitions"]["output"] = {"type": "object"}
        self.top: Validator = fastjsonschema.compile(shallow)

        def part(name: str) -> Validator:
            root = {
                "definitions": shallow["definitions"],
                "allOf": [{"$ref": f"#/definitions/{name}"}],
            }
            compiled: Validator = fastjsonschema.compile(root)
            return compiled

        self.parts = {
            name: part(name) for name in {*self.cell_kinds.values(), *self.output_kinds.values()}
        }

    @functools.cached_property
    def full(self) -> Validator:
        """The whole-schema validator, compiled only when a notebook fails the fast check."""
        import fastjsonschema

        compiled: Validator = fastjsonschema.compile(self.schema)
        return compiled

    def fast_check(self, nb: dict[str, Any]) -> bool:
        """True when valid; False means "ask the full validator" (maybe invalid)."""
        return self.skeleton_check(nb) and all(map(self.cell_check, nb["cells"]))

    def skeleton_check(self, nb: dict[str, Any]) -> bool:
        """`fast_check` of all but the cells' contents (each only has to be an object)."""
        import fastjsonschema

        try:
            self.top(nb)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    def cell_check(self, cell: dict[str, Any]) -> bool:
        """`fast_check` of one cell (an object: `skeleton_check` says so)."""
        import fastjsonschema

        try:
            name = self.cell_kinds.get(_kind(cell, "cell_type"))
            if name is None:
                return False
            self.parts[name](cell)
            for output in cell.get("outputs", ()) if name == "code_cell" else ():
                kind = self.output_kinds.get(_kind(output, "output_type"))
                if kind is None:
                    return False
                self.parts[kind](output)
        except fastjsonschema.JsonSchemaException:
            return False
        return True


@functools.cache
def _checker(minor: int) -> _Checker | None:
    schema = _load(minor)
    return None if schema is None else _Checker(schema)


def fast_checker(minor: Any) -> _Checker | None:
    """The fast checks for notebooks of this nbformat 4 minor version; None: none apply."""
    return _checker(minor) if _is_version(minor) else None


def _is_version(minor: Any) -> bool:
    return isinstance(minor, int) and not isinstance(minor, bool) and minor >= 0


def problem(nb: dict[str, Any]) -> str | None:
    """None when a v4 notebook satisfies its schema, else what is wrong, briefly."""
    import fastjsonschema

    minor = nb.get("nbformat_minor", 0)
    if not _is_version(minor):
        return f"nbformat_minor is {minor!r}, not a version number"
    checker = _checker(minor)
    if checker is None:
        return f"no schema for nbformat 4.{minor}"
    if checker.fast_check(nb):
        return None
    try:
        checker.full(nb)
    except fastjsonschema.JsonSchemaException as error:
        return str(error)
    return None
