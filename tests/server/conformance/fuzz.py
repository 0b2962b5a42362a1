"""Drive one OpenAPI operation with schemathesis-generated requests against a real server.

`fuzz` runs a bounded Hypothesis search (max_examples and a per-example deadline) whose
cases mix fully generated path parameters with known ones naming existing files and
kernels, sends each over HTTP with the token, and validates the response with
schemathesis checks. It returns the status codes seen, so tests can also insist that
the success path was reached.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

REQUEST_TIMEOUT = 15.0

CONFORMANCE_CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)
REJECTION_CHECKS = (not_a_server_error, status_code_conformance, negative_data_rejection)


def load_operations(document: dict[str, Any]) -> dict[str, APIOperation]:
    """Every operation of an OpenAPI/Swagger document by label ("GET /api/status")."""
    schema = schemathesis.openapi.from_dict(document)
    operations: dict[str, APIOperation] = {}
    for result in schema.get_all_operations():
        operation = result.ok()  # raises on an operation schemathesis cannot read
        operations[operation.label] = operation
    return operations


def can_be_negated(operation: APIOperation) -> bool:
    """Whether any input of the operation has a schema a request can violate.

    A body, a required query argument or any constrained parameter can be; a bare string
    in the path cannot (Hypothesis would search in vain for a negative case).
    """
    if len(operation.body):
        return True
    for parameter in operation.iter_parameters():
        definition = parameter.definition
        if parameter.is_required and parameter.location != "path":
            return True
        schema = definition.get("schema", {k: v for k, v in definition.items() if k == "type"})
        if {k: v for k, v in schema.items() if k != "description"} not in ({}, {"type": "string"}):
            return True
    return False


def _cases(
    operation: APIOperation, mode: GenerationMode, known: Mapping[str, Sequence[str]]
) -> st.SearchStrategy[Case]:
    generated = operation.as_strategy(generation_mode=mode)
    names = [p.name for p in operation.path_parameters if known.get(p.name)]
    if not names:
        return generated
    fixed = st.fixed_dictionaries({name: st.sampled_from(list(known[name])) for name in names})
    aimed = fixed.flatmap(
        lambda values: operation.as_strategy(generation_mode=mode, path_parameters=values)
    )
    return st.one_of(generated, aimed)


def _checks_for(response: Any, checks: Iterable[Any]) -> list[Any]:
    # A 204 has no body, hence no Content-Type (RFC 9110 section 15.3.5); a spec's global
    # `produces` would otherwise demand one.
    if response.status_code == 204:
        return [c for c in checks if c is not content_type_conformance]
    return list(checks)


def fuzz(
    operation: APIOperation,
    *,
    base_url: str,
    headers: Mapping[str, str],
    checks: Sequence[Any] = CONFORMANCE_CHECKS,
    modes: Sequence[GenerationMode] = (GenerationMode.POSITIVE,),
    known: Mapping[str, Sequence[str]] | None = None,
    max_examples: int = 20,
    deadline: float = 10.0,
    after_each: Callable[[], None] | None = None,
) -> Counter[int]:
    """Send up to max_examples generated requests; fail on the first check that fails."""
    statuses: Counter[int] = Counter()
    strategy = st.one_of([_cases(operation, mode, known or {}) for mode in modes])

    @settings(
        max_examples=max_examples,
        deadline=timedelta(seconds=deadline),
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Case) -> None:
        try:
            response = case.call(
                base_url=base_url.rstrip("/"), headers=dict(headers), timeout=REQUEST_TIMEOUT
            )
            statuses[response.status_code] += 1
            case.validate_response(response, checks=_checks_for(response, checks))
        finally:
            if after_each is not None:
                after_each()

    run()
    return statuses
