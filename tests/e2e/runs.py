"""What the server holds of a notebook's running cells (its runs API): the evidence a test
waits for when a cell must have printed, or finished, while no page was watching."""

from __future__ import annotations

import json
from typing import Any

from tests.server.conftest import RunningServer


def runs_of(server: RunningServer, path: str) -> list[dict[str, Any]]:
    """The runs of the kernel of the notebook at `path`, as GET .../runs lists them."""
    with server.client() as http:
        sessions = http.get("api/sessions").json()
        kid = next(s["kernel"]["id"] for s in sessions if s["path"] == path)
        listed: list[dict[str, Any]] = http.get(f"api/kernels/{kid}/runs").json()
    return listed


def lines_printed(server: RunningServer, path: str) -> int:
    """Lines of stdout the server holds for the notebook's one run (0 with none listed)."""
    listed = runs_of(server, path)
    if len(listed) != 1:
        return 0
    outputs = listed[0]["outputs"]
    return sum(o["text"].count("\n") for o in outputs if o["output_type"] == "stream")


def finished_unwritten(server: RunningServer, path: str) -> bool:
    """The notebook's run has finished and the server offers it, not yet written."""
    return [r["state"] for r in runs_of(server, path)] == ["idle"]


def written(server: RunningServer, path: str) -> bool:
    """The first cell of the notebook file has outputs."""
    return bool(json.loads((server.root_dir / path).read_text())["cells"][0]["outputs"])


def no_page_connected(server: RunningServer, path: str) -> bool:
    """The server sees no websocket on the notebook's kernel (it notices a close later)."""
    with server.client() as http:
        sessions = http.get("api/sessions").json()
        kid = next(s["kernel"]["id"] for s in sessions if s["path"] == path)
        connections: int = http.get(f"api/kernels/{kid}").json()["connections"]
    return connections == 0


def gated(gate: str, *before: str) -> str:
    """Cell lines: `before`, then waiting until the file `gate` exists (the test opens it
    once what it checks mid-run is checked)."""
    return "\n".join(
        ["import os, time", *before, f"while not os.path.exists({gate!r}): time.sleep(0.02)"]
    )
