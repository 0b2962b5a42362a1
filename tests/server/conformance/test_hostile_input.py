"""Hostile input to the REST API (issue 8): never a 5xx, a crash or a hang.

Malformed and deeply nested JSON, invalid UTF-8, wrongly typed fields, 50 MB bodies,
giant headers and URLs, unknown query arguments. A refused request gets a 4xx whose
body is JSON with a message and a reason; after every test the server still answers,
and its log shows no traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from carnet.server.auth.limits import MAX_HEADER_BYTES, MAX_HEADER_COUNT
from tests.server.conformance.conftest import Seed, seed_files, seed_kernel
from tests.server.conftest import RunningServer

HUGE = 50 * 1024 * 1024

# Endpoints that read a JSON body; {session} is filled with a live session's id.
BODY_ENDPOINTS = [
    ("POST", "api/kernels"),
    ("POST", "api/sessions"),
    ("PATCH", "api/sessions/{session}"),
    ("POST", "api/contents/dir"),
    ("PUT", "api/contents/new.txt"),
    ("PATCH", "api/contents/notes.txt"),
]

MALFORMED = {
    "truncated": b'{"path": "a',
    "trailing garbage": b'{"path": "a.ipynb"} {}',
    "an array": b'["path", "a.ipynb"]',
    "a string": b'"a.ipynb"',
    "null": b"null",
    "invalid UTF-8": b'{"path": "\xff\xfe.ipynb"}',
    "unpaired surrogate": b'{"path": "\\ud800.ipynb", "name": "\\udc00"}',
    "form-encoded": b"path=a.ipynb&type=notebook",
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "deeply nested field": b'{"path": ' + b'{"a": ' * 5_000 + b"1" + b"}" * 5_001,
}
# Not malformed, though odd: json.loads reads UTF-16 and UTF-32 (with a BOM) as
# jupyter_server's handlers do, so those bodies are accepted.

# Fields each endpoint reads, with an otherwise valid body; a truthy value of the wrong
# JSON type in any of them must be refused. (null, "" and {} mean "absent", as in
# jupyter_server.)
TYPED_FIELDS: dict[tuple[str, str], tuple[dict[str, Any], list[str]]] = {
    ("POST", "api/kernels"): ({}, ["name", "path"]),
    ("POST", "api/sessions"): ({"path": "a.ipynb"}, ["path", "name", "type", "kernel"]),
    ("PATCH", "api/sessions/{session}"): ({}, ["path", "name", "type", "kernel"]),
    ("POST", "api/contents/dir"): ({}, ["copy_from", "ext", "type"]),
    ("PUT", "api/contents/new.txt"): (
        {"type": "file", "format": "text", "content": "x"},
        ["type", "format", "content", "expected_hash"],
    ),
    ("PATCH", "api/contents/notes.txt"): ({}, ["path"]),
}

_NOT_STRINGS = st.one_of(
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.just(True),
    st.lists(st.integers(), min_size=1, max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), min_size=1, max_size=3),
).filter(bool)  # falsy values (0, 0.0) read as absent, as in jupyter_server


def _client(server: RunningServer, timeout: float) -> httpx.Client:
    return httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=timeout)


@pytest.fixture(scope="module")
def session_id(api_server: RunningServer) -> str:
    """One live session for the module (PATCH /api/sessions/{id} needs one)."""
    seed = seed_files(api_server)
    seed_kernel(seed)
    return seed.session_id


@pytest.fixture
def live(api_server: RunningServer, session_id: str) -> Seed:
    """Fresh seeded files (a request that wrongly succeeds must not spoil the next test)."""
    seed = seed_files(api_server)
    seed.session_id = session_id
    return seed


@pytest.fixture
def http(api_server: RunningServer) -> Iterator[httpx.Client]:
    with _client(api_server, 60) as client:
        yield client


@pytest.fixture(autouse=True)
def still_answers(api_server: RunningServer) -> Iterator[None]:
    """After each test: the process is alive, answers at once, logged no traceback."""
    logged = len(api_server.output())
    yield
    assert api_server.process.poll() is None, "the server died"
    with _client(api_server, 5) as client:
        assert client.get("api/status").status_code == 200
    new_output = api_server.output()[logged:]
    assert "Traceback" not in new_output, new_output[-3000:]


def _url(template: str, seed: Seed) -> str:
    return template.format(session=seed.session_id)


def assert_refused(response: httpx.Response, *statuses: int, why: str = "") -> None:
    """A 4xx (one of `statuses` when given) whose JSON body says why."""
    seen = (why, response.request.method, response.status_code, response.text[:300])
    assert 400 <= response.status_code < 500, seen
    if statuses:
        assert response.status_code in statuses, seen
    assert response.headers["content-type"].startswith("application/json"), seen
    body = response.json()
    assert body["message"] and body["reason"], seen


@pytest.mark.parametrize(("method", "path"), BODY_ENDPOINTS)
def test_malformed_json_is_a_400(http: httpx.Client, live: Seed, method: str, path: str) -> None:
    for kind, body in MALFORMED.items():
        response = http.request(method, _url(path, live), content=body)
        assert_refused(response, 400, why=kind)


@pytest.mark.parametrize(("method", "path"), sorted(TYPED_FIELDS))
def test_wrongly_typed_fields_are_a_400(
    http: httpx.Client, live: Seed, method: str, path: str
) -> None:
    base, fields = TYPED_FIELDS[(method, path)]

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(field=st.sampled_from(fields), value=_NOT_STRINGS)
    def check(field: str, value: Any) -> None:
        # 'kernel' is an object: a dict is its right type (unknown keys are ignored, as in
        # jupyter_server), so only the other wrong types are tried there.
        assume(not (field == "kernel" and isinstance(value, dict)))
        body = {**base, field: value}
        response = http.request(method, _url(path, live), content=json.dumps(body))
        assert_refused(response, 400)

    check()


def test_fifty_megabytes_of_garbage_is_refused_quickly(http: httpx.Client) -> None:
    for method, path in [("POST", "api/kernels"), ("PUT", "api/contents/big.txt")]:
        assert_refused(http.request(method, path, content=b"\x00garbage" * (HUGE // 8)), 400)
        assert_refused(http.request(method, path, content=b'"' + b"x" * HUGE + b'"'), 400)


def test_a_fifty_megabyte_save_loses_nothing(http: httpx.Client, live: Seed) -> None:
    text = "0123456789abcdef\n" * (HUGE // 17)
    body = json.dumps({"type": "file", "format": "text", "content": text})
    response = http.put("api/contents/big.txt", content=body)
    if response.status_code == 413:  # a configured size limit: refused whole
        assert_refused(response, 413)
        assert not (live.server.root_dir / "big.txt").exists()
        return
    assert response.status_code == 201, response.text[:300]
    assert (live.server.root_dir / "big.txt").read_text() == text
    (live.server.root_dir / "big.txt").unlink()


def test_deeply_nested_notebook_on_disk_is_a_clear_400(http: httpx.Client, live: Seed) -> None:
    deep = '{"a": ' * 100_000 + "1" + "}" * 100_000
    path = live.server.root_dir / "deep.ipynb"
    path.write_text('{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": ' + deep + "}")
    before = path.read_bytes()
    response = http.get("api/contents/deep.ipynb")
    assert_refused(response, 400)
    assert response.json()["reason"] == "unreadable notebook"
    assert path.read_bytes() == before  # never rewritten
    path.unlink()


def test_permissions_argument_nested_too_deeply(http: httpx.Client) -> None:
    deep = "[" * 5_000 + "]" * 5_000
    assert_refused(http.get("api/me", params={"permissions": deep}), 400)


HOSTILE_URLS = {
    "invalid UTF-8 in the path": "api/contents/%FF%FE",
    "a NUL byte": "api/contents/a%00b",
    "a 20 KB path": "api/contents/" + "a/" * 10_000,
    "a 300-byte name": "api/contents/" + "n" * 300,
    "dot segments": "api/contents/..%2F..%2Fetc%2Fpasswd",
    "invalid UTF-8 kernel id": "api/kernels/%FF",
    "a NUL session id": "api/sessions/%00",
    "invalid UTF-8 kernelspec": "api/kernelspecs/%FF",
    "invalid UTF-8 in a query argument": "api/contents?type=%FF",
    "a non-0/1 flag": "api/contents?content=%FF",
    "an unknown format": "api/contents?format=binary",
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_URLS))
def test_hostile_urls_are_refused(http: httpx.Client, live: Seed, kind: str) -> None:
    url = HOSTILE_URLS[kind]
    # Contents URLs take every method; the other endpoints are only read here.
    methods = (
        ["GET", "PUT", "POST", "PATCH", "DELETE"] if url.startswith("api/contents/") else ["GET"]
    )
    body = {"PATCH": b'{"path": "renamed.txt"}', "PUT": b'{"type": "directory"}'}
    for method in methods:
        response = http.request(method, url, content=body.get(method, b""))
        assert_refused(response, why=kind)


def test_names_too_long_for_the_filesystem_are_a_400(http: httpx.Client, live: Seed) -> None:
    text = {"type": "file", "format": "text", "content": "x"}
    long_name = "n" * 250 + ".txt"  # fits, but not with the temporary file's affixes
    assert_refused(http.put(f"api/contents/{long_name}", json=text), 400)
    assert_refused(http.patch("api/contents/notes.txt", json={"path": "n" * 300}), 400)
    assert_refused(http.post("api/contents/dir", json={"type": "file", "ext": "x" * 300}), 400)
    assert (live.server.root_dir / "notes.txt").read_text() == "some text\n"


def test_unknown_query_arguments_are_ignored(http: httpx.Client) -> None:
    # jupyter_server ignores them (clients add cache-busters), so a refusal would break
    # clients; what matters is that they change nothing.
    for path in ["api/kernels", "api/sessions", "api/kernelspecs", "api/contents/dir"]:
        plain = http.get(path)
        noisy = http.get(path, params={"nonsense": "1", "x" * 1000: "y" * 10_000, "": ""})
        assert plain.status_code == noisy.status_code == 200
        assert plain.json() == noisy.json()
    many = "&".join(f"k{i}=v{i}" for i in range(5_000))
    assert http.get(f"api/kernels?{many}").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Huge": "a" * 1_000_000},
        {f"X-Header-{i}": "v" * 100 for i in range(2_000)},
        {"Content-Type": "application/json; charset=" + "x" * 10_000},
        {"Cookie": "; ".join(f"c{i}=v" for i in range(5_000))},
    ],
    ids=["one-megabyte-header", "two-thousand-headers", "huge-content-type", "many-cookies"],
)
def test_giant_headers_never_break_the_server(
    api_server: RunningServer, headers: dict[str, str]
) -> None:
    try:
        with _client(api_server, 30) as client:
            response = client.post("api/kernels", headers=headers, content=b"{not json")
    except httpx.RemoteProtocolError:
        return  # the HTTP layer closed the connection: refused, and still_answers checks on
    # The HTTP layer may refuse (431, plain text); whatever reaches the app is a JSON 4xx.
    assert 400 <= response.status_code < 500, response.status_code
    size = sum(len(k) + len(v) for k, v in headers.items())
    if size > MAX_HEADER_BYTES or len(headers) > MAX_HEADER_COUNT:
        assert response.status_code == 431, "absurd headers are refused before any other work"
    if response.headers.get("content-type", "").startswith("application/json"):
        assert response.json()["reason"]
