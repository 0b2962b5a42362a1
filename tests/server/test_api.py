"""The server's own endpoints and response headers, against the real server."""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml
from starlette.routing import Route

from carnet.server.app import create_app
from carnet.server.config.settings import ServerSettings
from tests.server.conftest import RunningServer, StartServer
from tests.support.waiting import wait_until


def parse_time(value: str) -> datetime:
    assert value.endswith("Z")
    return datetime.fromisoformat(value[:-1] + "+00:00")


def test_api_status_reports_activity(server: RunningServer) -> None:
    with server.client() as client:
        first = client.get("api/status").json()
        assert set(first) == {"started", "last_activity", "connections", "kernels"}
        assert first["connections"] == 0
        assert first["kernels"] == 0
        started = parse_time(first["started"])
        assert abs(time.time() - started.timestamp()) < 60
        # The clock is past the stamp (milliseconds), so activity from now on would show.
        stamp = parse_time(first["last_activity"])
        wait_until(
            lambda: datetime.now(UTC) - stamp > timedelta(milliseconds=2), 5, "a later stamp"
        )
        # Polling the status is not activity; other API requests are.
        assert client.get("api/status").json()["last_activity"] == first["last_activity"]
        # Nor are refused requests: they must not keep an idle server alive.
        with server.client(authenticated=False) as stranger:
            assert stranger.get("api/contents").status_code == 403
        assert client.get("api/status").json()["last_activity"] == first["last_activity"]
        client.get("api/contents")
        later = client.get("api/status").json()
        assert parse_time(later["last_activity"]) > parse_time(first["last_activity"])


def test_api_me_reports_identity_and_asked_permissions(server: RunningServer) -> None:
    with server.client() as client:
        plain = client.get("api/me").json()
        identity = plain["identity"]
        assert set(identity) >= {"username", "name", "display_name", "initials", "avatar_url"}
        assert identity["username"]
        assert plain["permissions"] == {}
        asked = {"contents": ["read", "write"], "kernels": ["execute"], "x": ["fly"]}
        answer = client.get("api/me", params={"permissions": json.dumps(asked)}).json()
        assert answer["permissions"] == {
            "contents": ["read", "write"],
            "kernels": ["execute"],
            "x": [],
        }
        for bad in ("not json", "[1]", '{"contents": "read"}', '{"contents": [1]}'):
            response = client.get("api/me", params={"permissions": bad})
            assert response.status_code == 400
            assert set(response.json()) == {"message", "reason"}


def test_spec_yaml_parses_and_lists_every_route(server: RunningServer) -> None:
    with server.client() as client:
        response = client.get("api/spec.yaml")
    assert response.status_code == 200
    document = yaml.safe_load(response.text)
    assert document["openapi"].startswith("3.")
    app = create_app(ServerSettings(root_dir=Path.cwd(), token="t"))
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    for route in app.state.api_routes:
        if not isinstance(route, Route):
            continue  # websockets are not OpenAPI operations
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)  # {name:path} -> {name}
        for method in route.methods - {"HEAD"}:
            assert (path, method.lower()) in documented, (path, method)
    status = document["paths"]["/api/status"]["get"]
    assert set(status["responses"]) >= {"200", "403"}
    assert "/api/contents/{path}" in document["paths"]


def test_root_redirects_to_the_tree(server: RunningServer) -> None:
    with server.client() as client:
        response = client.get("")
        assert response.status_code == 302
        assert response.headers["location"] == "/tree"


def test_errors_are_json_without_tracebacks(server: RunningServer) -> None:
    with server.client() as client:
        missing = client.get("api/no-such-endpoint")
        assert missing.status_code == 404
        assert set(missing.json()) == {"message", "reason"}
        wrong_method = client.delete("api/status")
        assert wrong_method.status_code == 405
        assert "GET" in wrong_method.headers["allow"]
        assert "Traceback" not in wrong_method.text


def test_default_and_configured_headers(start_server: StartServer) -> None:
    server = start_server(
        "--NotebookApp.tornado_settings="
        "{'headers': {'Content-Security-Policy': \"frame-ancestors 'self' https://a.example\","
        " 'X-From-Tornado': 't'}}",
        "--NotebookApp.headers={'X-From-Headers': 'h', 'X-From-Tornado': 'native wins'}",
    )
    with server.client() as client:
        for response in (client.get("api/status"), client.get("api"), client.get("nowhere")):
            headers = response.headers
            assert headers["content-security-policy"] == (
                "frame-ancestors 'self' https://a.example"
            )
            assert headers["x-from-headers"] == "h"
            assert headers["x-from-tornado"] == "native wins"
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] == "same-origin"
    with server.client(authenticated=False) as client:
        assert client.get("api/status").headers["x-from-headers"] == "h"


def test_defaults_without_configuration(server: RunningServer) -> None:
    with server.client() as client:
        headers = client.get("api/status").headers
    assert headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'self'"


def test_base_url_prefixes_every_route(start_server: StartServer) -> None:
    server = start_server("--NotebookApp.base_url=/proxy/me")
    assert server.info["base_url"] == "/proxy/me/"
    assert server.url.endswith("/proxy/me/")
    with server.client() as client:
        assert client.get("api/status").status_code == 200
        root = client.get("")
        assert root.headers["location"] == "/proxy/me/tree"
        outside = client.get(f"http://127.0.0.1:{server.port}/api/status")
        assert outside.status_code == 404
    with server.client(authenticated=False) as client:
        redirect = client.get("tree", params={"token": server.token})
        assert redirect.headers["location"] == "/proxy/me/tree"
        assert "Path=/proxy/me/" in redirect.headers["set-cookie"]
