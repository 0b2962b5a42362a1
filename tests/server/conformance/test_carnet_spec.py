"""Carnet's REST API against its own /api/spec.yaml, fetched from the running server.

The document must be valid OpenAPI 3 and document every JSON success response; then
every operation, grouped by tag, gets schema-valid requests (responses must conform:
listed status, Content-Type, body schema) and schema-violating ones (never a 5xx,
always a listed status, and rejected unless the server can tell they are harmless).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml
from schemathesis import GenerationMode

from tests.server.conformance.conftest import Seed, seed_files, seed_kernel
from tests.server.conformance.fuzz import (
    CONFORMANCE_CHECKS,
    REJECTION_CHECKS,
    can_be_negated,
    fuzz,
    load_operations,
)
from tests.server.conftest import RunningServer

GROUPS = [
    "api",
    "identity",
    "contents",
    "files",
    "kernels",
    "sessions",
    "kernelspecs",
    "terminals",
    "nbconvert",
    "config",
    "pages",
]
_KERNEL_GROUPS = {"kernels", "sessions"}


@pytest.fixture(scope="module")
def carnet_spec(api_server: RunningServer) -> dict[str, Any]:
    with api_server.client() as http:
        response = http.get("api/spec.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/x-yaml")
    document: dict[str, Any] = yaml.safe_load(response.text)
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    ]


def test_spec_is_valid_openapi_3(carnet_spec: dict[str, Any]) -> None:
    from openapi_spec_validator import validate

    validate(carnet_spec)
    assert carnet_spec["openapi"].startswith("3.")


def test_every_operation_is_documented_and_fuzzed(carnet_spec: dict[str, Any]) -> None:
    for method, path, operation in _operations(carnet_spec):
        where = f"{method.upper()} {path}"
        assert operation.get("summary"), f"{where} has no summary"
        assert set(operation.get("tags", [])) & set(GROUPS), f"{where} is in no fuzzed group"
        for status, response in operation["responses"].items():
            assert response.get("description"), f"{where} {status} has no description"
        if not path.startswith("/api/") or path == "/api/spec.yaml":
            continue
        if path.startswith("/api/contents"):
            # Contents docstrings stay plain descriptions (tests/server/contents asserts so);
            # their models are validated against api.yaml's Contents in test_jupyter_spec.
            continue
        for status, response in operation["responses"].items():
            if status.startswith("2") and status != "204":
                assert "application/json" in response.get("content", {}), (
                    f"{where} {status} documents no JSON body schema"
                )


def _without_security(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the fuzzer sees it: every request carries the token.

    Authentication itself is proven by tests/server/test_auth.py; left in, the security
    scheme would make schemathesis generate (and negate) the Authorization header.
    """
    stripped = copy.deepcopy(document)
    stripped.pop("security", None)
    for _, _, operation in _operations(stripped):
        operation.pop("security", None)
    return stripped


def _fuzz_operation(server: RunningServer, seed: Seed, operation: Any, kernels: bool) -> None:
    starts_kernels = kernels and operation.method.upper() in ("POST", "PATCH")
    common: dict[str, Any] = {
        "base_url": server.url,
        "headers": server.auth_headers,
        "known": seed.known(),
        "after_each": seed.reap if starts_kernels else None,
        "deadline": 30.0 if kernels else 10.0,
        "max_examples": 6 if kernels else 15,
    }
    fuzz(operation, checks=CONFORMANCE_CHECKS, **common)
    if can_be_negated(operation):
        fuzz(operation, checks=REJECTION_CHECKS, modes=[GenerationMode.NEGATIVE], **common)


@pytest.mark.parametrize("group", GROUPS)
def test_operations_conform(
    group: str, carnet_spec: dict[str, Any], api_server: RunningServer
) -> None:
    operations = [
        op
        for op in load_operations(_without_security(carnet_spec)).values()
        if group in (op.tags or [])
    ]
    assert operations, f"no operation tagged {group!r}"
    kernels = group in _KERNEL_GROUPS
    for operation in operations:
        seed = seed_files(api_server)  # the previous operation may have deleted them
        if kernels:
            seed_kernel(seed)
        try:
            _fuzz_operation(api_server, seed, operation, kernels)
        finally:
            seed.reap()
