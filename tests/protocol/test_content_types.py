"""The typed message contents and contents models: one description, both languages in step."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from carnet.protocol import content
from carnet.server.contents import types as contents_types

ROOT = Path(__file__).resolve().parents[2]
DESCRIPTION = json.loads((ROOT / "scripts/typegen/types.json").read_text(encoding="utf-8"))
MODULES = {"protocol": content, "contents": contents_types}


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("typegen", ROOT / "scripts/typegen/generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["typegen"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_generated_files_are_current() -> None:
    stale = [
        str(path.relative_to(ROOT))
        for path, text in _generator().outputs().items()
        if path.read_text(encoding="utf-8") != text
    ]
    assert not stale, f"run python scripts/typegen/generate.py: {stale}"


def _ts_fields(section: str) -> dict[str, set[str]]:
    """Field names of each object type in a generated TypeScript file."""
    source = (ROOT / DESCRIPTION["modules"][section]["typescript"]).read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for name, body in re.findall(r"export type (\w+) = \{([^}]*)\};", source):
        found[name] = set(re.findall(r"^\s*(\w+)\??:", body, re.M))
    return found


def _records(section: str) -> dict[str, dict[str, Any]]:
    types: dict[str, dict[str, Any]] = DESCRIPTION["modules"][section]["types"]
    return {name: spec for name, spec in types.items() if "fields" in spec}


@pytest.mark.parametrize("section", list(MODULES))
def test_python_and_typescript_name_the_same_fields(section: str) -> None:
    ts = _ts_fields(section)
    for name, spec in _records(section).items():
        typed_dict = getattr(MODULES[section], name)
        required = {k for k in spec["fields"] if not k.endswith("?")}
        optional = {k[:-1] for k in spec["fields"] if k.endswith("?")}
        assert typed_dict.__required_keys__ == required, name
        assert typed_dict.__optional_keys__ == optional, name
        assert ts[name] == required | optional, name


def test_every_message_type_of_the_protocol_is_described() -> None:
    described = {
        spec["msg_type"]
        for spec in DESCRIPTION["modules"]["protocol"]["types"].values()
        if "msg_type" in spec
    }
    shell = {"execute", "kernel_info", "complete", "inspect", "is_complete", "history"}
    control = {"shutdown", "interrupt", "comm_info"}
    expected = {f"{kind}_{end}" for kind in shell | control for end in ("request", "reply")}
    expected |= {"status", "stream", "display_data", "update_display_data", "execute_input"}
    expected |= {"execute_result", "error", "clear_output", "input_request", "input_reply"}
    expected |= {"comm_open", "comm_msg", "comm_close"}
    assert described == expected
