"""One real JupyterHub per version for the whole session (starting one takes seconds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.hub.hubproc import Hub, start_hub, stop_hub


@pytest.fixture(scope="session", params=["6", "5"], ids=["hub6", "hub5"])
def hub(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """JupyterHub 6.x (the test extra's) and 5.x (installed once under .cache/)."""
    running = start_hub(tmp_path_factory.mktemp(f"hub{request.param}"), version=request.param)
    try:
        yield running
    finally:
        stop_hub(running)


@pytest.fixture(scope="session")
def tls_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    """JupyterHub 6.x with internal_ssl: its own CAs, TLS with client certificates
    between the Hub, the proxy and the single-user servers."""
    running = start_hub(tmp_path_factory.mktemp("hub-tls"), internal_ssl=True)
    try:
        yield running
    finally:
        stop_hub(running)
