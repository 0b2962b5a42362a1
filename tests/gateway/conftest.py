"""The gateways of test_gateway.py: the Kernel Gateway and Enterprise Gateway, each started
once for the module (a gateway takes seconds to start) and checked between tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest

from tests.gateway.egvenv import InstallFailed, eg_python
from tests.gateway.gwproc import Gateway, gateway_python


def _python(kind: str) -> str:
    if kind == "kg":
        python = gateway_python()
        if python is None:
            pytest.skip("jupyter_kernel_gateway is not installed")
        return python
    try:
        return str(eg_python())
    except InstallFailed as exc:
        # Only a machine without the package index may go without it; CI must run it.
        if exc.offline and not os.environ.get("CI"):
            pytest.skip(f"Enterprise Gateway could not be installed (offline): {exc}")
        raise


@pytest.fixture(scope="module", params=["kg", "eg"], ids=["kernel-gw", "enterprise-gw"])
def shared_gateway(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Gateway]:
    kind = request.param
    gw = Gateway(_python(kind), tmp_path_factory.mktemp(f"gw-{kind}"), kind).start()
    yield gw
    gw.stop()


@pytest.fixture
def gateway(shared_gateway: Gateway) -> Iterator[Gateway]:
    """The module's gateway, running (a test may have killed it), and no kernels left."""
    assert shared_gateway.process is not None
    if shared_gateway.process.poll() is not None:
        shared_gateway.start()
    yield shared_gateway
    if shared_gateway.process.poll() is None:
        kernels = f"{shared_gateway.url}/api/kernels"
        listed = httpx.get(kernels, headers=shared_gateway.headers, timeout=10)
        if listed.status_code == 200:  # Enterprise Gateway lists none (403) by default
            for kernel in listed.json():
                httpx.delete(f"{kernels}/{kernel['id']}", headers=shared_gateway.headers)
