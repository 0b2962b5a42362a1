"""Session paths with unusual code points, as schemathesis sends them (issue 12).

A session is created for a path only if the path is one the contents API accepts (no
NUL, encodable, not too long); a refused one is a 400 saying why. A created session
can be read back and deleted by its id, its path unchanged.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import schemathesis
import yaml

from tests.server.conformance.conftest import Seed
from tests.server.conformance.fuzz import CONFORMANCE_CHECKS, fuzz, load_operations
from tests.server.conftest import RunningServer

# What schemathesis generated that created sessions nobody could find again, and kin.
ODD_PATHS = ["\ud800", "\x00", "a\u2028b", "a\x00b.ipynb", "\x01\x7f\u0085.ipynb", "\ufeff"]
REFUSED = {"\ud800", "\x00", "a\x00b.ipynb"}


# The server the check below talks to (a check gets the case and response, not the server).
_SERVER: list[RunningServer] = []


def contents_url(path: str) -> str:
    """The contents API's URL of a path, every byte percent-encoded."""
    name = path.encode("utf-8", "surrogatepass").hex()
    return "api/contents/" + "".join(f"%{name[i : i + 2]}" for i in range(0, len(name), 2))


@schemathesis.check
def session_is_retrievable(ctx: Any, response: Any, case: Any) -> bool | None:
    """A path the contents API refuses is refused (400, saying why); any other gets a
    session there by its id and path, then deleted."""
    path = case.body.get("path") if isinstance(case.body, dict) else None
    if not isinstance(path, str):
        return None  # no body: the schema checks cover that answer
    with _SERVER[0].client() as http:
        refused = http.get(contents_url(path)).status_code == 400
        if refused or response.status_code == 400:
            assert (response.status_code, refused) == (400, True), path
            body = response.json()
            assert body["message"] and body["reason"], body
            return None
        assert response.status_code == 201, response.status_code
        created = response.json()
        got = http.get(f"api/sessions/{created['id']}")
        assert got.status_code == 200, (created["path"], got.status_code)
        assert got.json()["path"] == created["path"]
        assert http.delete(f"api/sessions/{created['id']}").status_code == 204
        assert http.get(f"api/sessions/{created['id']}").status_code == 404
    return None


def _odd_paths_spec(document: dict[str, Any], kernel_id: str) -> dict[str, Any]:
    """The spec with sessions' paths drawn from ODD_PATHS, on the seeded kernel."""
    spec = copy.deepcopy(document)
    spec.pop("security", None)
    session = spec["components"]["schemas"]["Session"]
    # (schemathesis cannot send a lone surrogate: the direct test below does)
    encodable = [p for p in ODD_PATHS if p != "\ud800"]
    session["properties"]["path"] = {"type": "string", "enum": encodable}
    session["properties"]["kernel"] = {
        "type": "object",
        "properties": {"id": {"type": "string", "enum": [kernel_id]}},
        "required": ["id"],
    }
    session["required"] = ["path", "kernel"]
    return spec


def test_odd_session_paths_are_refused_or_retrievable(
    api_server: RunningServer, seed_with_kernel: Seed
) -> None:
    with api_server.client() as http:
        document = yaml.safe_load(http.get("api/spec.yaml").text)
    spec = _odd_paths_spec(document, seed_with_kernel.kernel_id)
    operation = load_operations(spec)["POST /api/sessions"]
    _SERVER[:] = [api_server]
    statuses = fuzz(
        operation,
        base_url=api_server.url,
        headers=api_server.auth_headers,
        checks=[*CONFORMANCE_CHECKS, session_is_retrievable],
        max_examples=12,
        deadline=30.0,
        after_each=seed_with_kernel.reap,
    )
    assert statuses[201] and statuses[400], statuses


@pytest.mark.parametrize("path", ODD_PATHS)
def test_one_rule_for_session_and_contents_paths(
    api_server: RunningServer, seed_with_kernel: Seed, path: str
) -> None:
    """The session API refuses exactly the paths the contents API refuses."""
    body = {"path": path, "type": "notebook", "kernel": {"id": seed_with_kernel.kernel_id}}
    with api_server.client() as http:
        # json.dumps escapes a lone surrogate as \ud800, as schemathesis's JSON would.
        headers = {"Content-Type": "application/json"}
        created = http.post("api/sessions", content=json.dumps(body), headers=headers)
        if path in REFUSED:
            assert created.status_code == 400, created.text
            assert created.json()["reason"] in ("bad path", "bad request")
            assert path not in [s["path"] for s in http.get("api/sessions").json()]
        else:
            assert created.status_code == 201, created.text
            session_id = created.json()["id"]
            got = http.get(f"api/sessions/{session_id}")
            assert got.status_code == 200 and got.json()["path"] == path
            assert http.delete(f"api/sessions/{session_id}").status_code == 204
            assert http.get(f"api/sessions/{session_id}").status_code == 404
        saved = http.put(
            contents_url(path), json={"type": "file", "format": "text", "content": "x"}
        )
        assert (saved.status_code == 400) == (path in REFUSED), (saved.status_code, saved.text)
