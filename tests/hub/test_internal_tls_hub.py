"""`carnet singleuser` under the real JupyterHub with internal_ssl (hubproc.py).

The Hub makes the CAs and certificates (certipy) and starts the proxy with them; each
server gets its own certificate, signed by the notebooks CA, and the bundle of the CAs
whose clients it must admit (the Hub's and the proxy's). So the Hub's readiness check
and the proxy's requests reach the server over TLS with their client certificates, the
server reaches the Hub's API (tokens, OAuth, activity) with its own, and nobody else
gets in, not even with another certificate of the Hub's making.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from types import SimpleNamespace

import httpx
import pytest

from tests.hub import users
from tests.hub.hubproc import PROXY, Hub, wait_until
from tests.server.kernels.wsclient import KernelSocket

pytestmark = [
    pytest.mark.skipif(not PROXY.exists(), reason="configurable-http-proxy: make install-test"),
    pytest.mark.timeout(300),
]


def _direct(certs: Path, holder: str = "") -> httpx.Client:
    """A client of the server's own port, trusting the notebooks CA, showing the
    certificate of `holder` (one of the Hub's components), or none."""
    context = ssl.create_default_context(cafile=str(certs / "notebooks-ca" / "notebooks-ca.crt"))
    if holder:
        context.load_cert_chain(certs / holder / f"{holder}.crt", certs / holder / f"{holder}.key")
    return httpx.Client(verify=context, timeout=30)


def test_internal_tls_under_the_hub(tls_hub: Hub) -> None:
    hub = tls_hub
    # Ready: the Hub polled the server's https URL with its client certificate.
    users.spawn(hub, "alice")
    target = hub.api("GET", "proxy").json()["/user/alice/"]["target"]
    assert target.startswith("https://127.0.0.1:")
    direct = f"{target}/user/alice/"

    # Logged in through the Hub's form (the OAuth code exchanged over TLS), alice's API
    # calls and kernel websocket go through the proxy, over TLS to the server.
    base = f"{hub.url}user/alice/"
    browser = users.login(hub, "alice", "/user/alice/tree")
    try:
        assert browser.get(f"{base}tree").status_code == 200
        assert browser.get(f"{base}api/contents").status_code == 200
        kernel = browser.post(
            f"{base}api/kernels",
            json={},
            headers={"X-XSRFToken": browser.cookies.get("_xsrf", path="/user/alice/") or ""},
        )
        assert kernel.status_code == 201, kernel.text
        cookie = "; ".join(f"{c.name}={c.value}" for c in browser.cookies.jar)
        socket_target = SimpleNamespace(
            url=base, auth_headers={"Cookie": cookie, "Origin": hub.url.rstrip("/")}
        )
        with KernelSocket(socket_target, kernel.json()["id"]) as ws:
            results = [m for m in ws.execute("1+1") if m.msg_type == "execute_result"]
            assert results[0].content["data"]["text/plain"] == "2"
    finally:
        browser.close()

    # Directly, with the proxy's client certificate and a token: admitted (so the
    # refusals below are about the client, not about this test's TLS settings).
    alice = {"Authorization": f"token {users.token(hub, 'alice')}"}
    with _direct(hub.certs, "proxy-client") as proxy:
        assert proxy.get(f"{direct}api/contents", headers=alice).status_code == 200
    # Plain HTTP: only the server's redirect to https (carnet.server.tls), no content.
    plain = httpx.get(f"{direct.replace('https:', 'http:', 1)}api/contents", headers=alice)
    assert plain.status_code == 307
    assert plain.headers["location"] == f"{direct}api/contents"
    assert plain.text.startswith("This server speaks HTTPS only")
    # TLS without a client certificate, or with a certificate of a CA the notebooks do
    # not trust (the proxy API's): no TLS session, no answer; the server says why.
    for holder in ("", "proxy-api"):
        with _direct(hub.certs, holder) as refused, pytest.raises(httpx.TransportError):
            refused.get(f"{direct}api/contents", headers=alice)
    wait_until(
        lambda: (
            "failed: peer did not return a certificate" in hub.output()
            and "failed: client certificate not trusted" in hub.output()
        ),
        30,
        "the server's log lines about the refused clients",
    )

    assert hub.api("DELETE", "users/alice/server").status_code in (202, 204)
    wait_until(lambda: not users.server(hub, "alice"), 30, "the server to stop")
