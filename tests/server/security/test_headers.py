"""Response headers, and what error responses must never contain."""

from __future__ import annotations

import json

from tests.server.conftest import RunningServer, StartServer


def test_default_policies_per_kind_of_response(server: RunningServer) -> None:
    (server.root_dir / "page.html").write_text("<script>alert(document.cookie)</script>")
    (server.root_dir / "n.ipynb").write_text(
        json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    )
    with server.client() as client:
        api = client.get("api/status").headers
        login = client.get("login", follow_redirects=False).headers
        tree = client.get("tree").headers
        notebook = client.get("notebooks/n.ipynb").headers
        user_file = client.get("files/page.html").headers
    for headers in (api, login, tree, notebook, user_file):
        assert headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'self'" in headers["content-security-policy"] or (
            "sandbox" in headers["content-security-policy"]
        )
        assert headers["referrer-policy"] == "same-origin"
    assert api["content-security-policy"].startswith("default-src 'none'")
    assert "script-src 'self';" in tree["content-security-policy"]
    # Trusted outputs need eval and inline/remote scripts: only framing and plugins are limited.
    assert "script-src" not in notebook["content-security-policy"]
    assert "object-src 'none'" in notebook["content-security-policy"]
    assert user_file["content-security-policy"].startswith("sandbox")
    assert "script-src 'none'" in user_file["content-security-policy"]


def test_configured_headers_override_the_defaults(start_server: StartServer) -> None:
    embed = "frame-ancestors https://www.example.com 'self'"
    server = start_server(
        f'--NotebookApp.tornado_settings={{"headers": {{"Content-Security-Policy": "{embed}"}}}}'
    )
    with server.client() as client:
        for path in ("api/status", "tree", "login"):
            assert client.get(path).headers["content-security-policy"] == embed, path


def test_errors_echo_no_secrets(server: RunningServer) -> None:
    cookie = f"carnet-login-{server.port}=stolen-cookie-value; _xsrf=xsrf-value"
    with server.client(authenticated=False) as client:
        responses = [
            client.get("api/status", params={"token": "guess-" + server.token}),
            client.get("api/contents/nope", params={"token": server.token}),
            client.get("api/kernels/not-a-kernel", headers={"Cookie": cookie}),
            client.post(
                "api/contents",
                params={"token": server.token},
                content=b"{not json",
                headers={"Content-Type": "application/json", "Cookie": cookie},
            ),
            client.get("nowhere", params={"token": server.token}, headers={"Cookie": cookie}),
        ]
    for response in responses:
        assert response.status_code >= 300
        for secret in (server.token, "stolen-cookie-value", "xsrf-value", "Traceback"):
            assert secret not in response.text, (response.request.url, secret)
    server.stop()
    output = server.output()
    assert output.count(server.token) == 1  # the start-up URL only
    assert "stolen-cookie-value" not in output
