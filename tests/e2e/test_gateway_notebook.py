"""The notebook page in gateway mode: its kernel runs on a real Jupyter Kernel Gateway."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import cell, edit_cell, expect, open_notebook, require_browser, screenshot
from tests.gateway.gwproc import SPEC_NAME, Gateway, gateway_python
from tests.server.conftest import RunningServer, ServerDirs, launch

PYTHON = gateway_python()
pytestmark = pytest.mark.skipif(PYTHON is None, reason="jupyter_kernel_gateway is not installed")


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Gateway]:
    require_browser()
    assert PYTHON is not None
    gw = Gateway(PYTHON, tmp_path_factory.mktemp("gw")).start()
    yield gw
    gw.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, gateway: Gateway) -> Iterator[RunningServer]:
    dirs = ServerDirs(tmp_path_factory.mktemp("e2e-gw"))
    running = launch(
        dirs, f"--gateway-url={gateway.url}", f"--GatewayClient.auth_token={gateway.token}"
    )
    yield running
    running.stop()


def test_a_notebook_runs_on_the_gateway(page: Any, server: RunningServer, gateway: Gateway) -> None:
    doc = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": SPEC_NAME, "display_name": "Only on the gateway"}},
        "cells": [
            {
                "id": "c0",
                "cell_type": "code",
                "metadata": {},
                "source": "",
                "outputs": [],
                "execution_count": None,
            },
        ],
    }
    (server.root_dir / "gw.ipynb").write_text(json.dumps(doc))
    open_notebook(page, server, "gw.ipynb")
    edit_cell(page, 0, "import os\nprint('on the gateway', os.environ['KERNEL_USERNAME'] != '')")
    page.keyboard.press("Shift+Enter")
    first = cell(page, 0)
    expect(first.locator(".input-prompt")).to_have_text("In [1]:")
    assert "on the gateway True" in first.locator(".stream-text").inner_text()
    screenshot(page, "gateway-notebook")
    with server.client() as http:
        kernels = http.get("api/kernels").json()
    assert [k["name"] for k in kernels] == [SPEC_NAME]
