"""Carnet's REST API against jupyter_server's published api.yaml (issue 3).

Each in-scope operation gets schema-valid generated requests (random and aimed at
existing files, checkpoints, kernels and sessions); every response must have a status
the spec lists, the spec's Content-Type and a body valid against the spec's schema.
The spec's known mistakes are corrected, each with its reason, in jupyter_spec.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.conformance import jupyter_spec
from tests.server.conformance.conftest import Seed, seed_kernel, seed_terminal
from tests.server.conformance.fuzz import fuzz, load_operations

SPEC = jupyter_spec.corrected(jupyter_spec.load())
OPERATIONS = load_operations(SPEC)
_KERNEL_TAGS = {"kernels", "sessions"}


def _tags(label: str) -> set[str]:
    return set(OPERATIONS[label].tags or [])


def test_every_operation_of_the_notebook_api_is_in_scope() -> None:
    paths = {op.path for op in OPERATIONS.values()}
    published = set(jupyter_spec.load()["paths"])
    assert paths == published - set(jupyter_spec.OUT_OF_SCOPE)
    assert {"/api/contents/{path}", "/api/sessions", "/api/kernels", "/api/me"} <= paths


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_operation_conforms(label: str, seed: Seed) -> None:
    operation = OPERATIONS[label]
    kernels = bool(_tags(label) & _KERNEL_TAGS)
    if kernels:
        seed_kernel(seed)
    if "terminals" in _tags(label):
        seed_terminal(seed)
    starts_kernels = kernels and operation.method.upper() in ("POST", "PATCH")
    options: dict[str, Any] = (
        {"max_examples": 12, "deadline": 30.0, "after_each": seed.reap if starts_kernels else None}
        if kernels
        else {"max_examples": 25, "deadline": 10.0}
    )
    statuses = fuzz(
        operation,
        base_url=seed.server.url,
        headers=seed.server.auth_headers,
        known=seed.known(),
        **options,
    )
    # The aimed cases name existing things, so every operation must succeed sometimes.
    assert any(200 <= s < 300 for s in statuses), f"never reached success: {statuses}"


def test_sessions_answer_missing_kernels_as_jupyter_server_does(seed: Seed) -> None:
    """An unknown kernelspec is a 501 with api.yaml's {message, short_message}; an
    unknown kernel id is a bad body (400); an unknown session a 404."""
    from jsonschema import validate

    seed_kernel(seed)
    unavailable = jupyter_spec.load()["paths"]["/api/sessions"]["post"]["responses"][501]["schema"]
    with seed.client() as http:
        body = {"path": "other.ipynb", "type": "notebook", "kernel": {"name": "no-such"}}
        created = http.post("api/sessions", json=body)
        assert created.status_code == 501, created.text
        validate(created.json(), unavailable)
        assert "no-such" in created.json()["message"]
        assert created.json()["short_message"] == "no-such not found"
        unknown_id = {"path": "other.ipynb", "kernel": {"id": "no-such-id"}}
        assert http.post("api/sessions", json=unknown_id).status_code == 400
        session = f"api/sessions/{seed.session_id}"
        assert http.patch(session, json={"kernel": {"name": "no-such"}}).status_code == 501
        assert http.patch(session, json={"kernel": {"id": "no-such-id"}}).status_code == 400
        assert http.get(session).json()["kernel"]["id"] == seed.kernel_id  # unchanged
        assert http.patch("api/sessions/no-such", json={"name": "x"}).status_code == 404
        assert [s["id"] for s in http.get("api/sessions").json()] == [seed.session_id]
