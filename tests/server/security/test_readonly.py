"""Read-only access: a shared link may look but never run, edit, save or manage kernels."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.server.conftest import RunningServer, StartServer
from tests.server.kernels.wsclient import KernelSocket
from tests.server.security.conftest import PASSWORD, SHA1_HASH, browser, login

READER_TOKEN = "reader-token-0123456789"
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "c1",
            "metadata": {},
            "outputs": [{"name": "stdout", "output_type": "stream", "text": "42\n"}],
            "source": "print(42)",
        }
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture
def shared(start_server: StartServer) -> RunningServer:
    server = start_server(
        f"--NotebookApp.read_only_token={READER_TOKEN}",
        f"--NotebookApp.read_only_password={SHA1_HASH}",
    )
    (server.root_dir / "shared.ipynb").write_text(json.dumps(NOTEBOOK))
    return server


class _Reader:
    def __init__(self, server: RunningServer) -> None:
        self.url = server.url
        self.auth_headers = {"Authorization": f"token {READER_TOKEN}"}


def test_reader_reads_but_cannot_write(shared: RunningServer) -> None:
    reader = {"Authorization": f"token {READER_TOKEN}"}
    with httpx.Client(base_url=shared.url, headers=reader, timeout=10) as client:
        model = client.get("api/contents/shared.ipynb").json()
        assert model["content"]["cells"][0]["outputs"][0]["text"] == "42\n"
        assert client.get("files/shared.ipynb").status_code == 200
        assert client.get("api/kernelspecs").status_code == 200
        assert client.get("api/sessions").status_code == 200
        assert client.get("api/kernels").status_code == 200
        refused = client.put("api/contents/shared.ipynb", json={"type": "notebook", **model})
        assert refused.status_code == 403
        assert refused.json()["reason"] == "read-only"
        attempts = [
            client.post("api/contents", json={"type": "file"}),
            client.delete("api/contents/shared.ipynb"),
            client.patch("api/contents/shared.ipynb", json={"path": "moved.ipynb"}),
            client.post("api/kernels", json={"name": "python3"}),
            client.post(
                "api/sessions",
                json={"path": "shared.ipynb", "type": "notebook", "kernel": {"name": "python3"}},
            ),
        ]
        assert [r.status_code for r in attempts] == [403] * len(attempts)
        me = client.get(
            "api/me", params={"permissions": json.dumps({"contents": ["read", "write"]})}
        ).json()
        assert me["permissions"] == {"contents": ["read"]}
        assert me["auth"]["read_only"] is True
    assert sorted(p.name for p in shared.root_dir.iterdir()) == ["shared.ipynb"]
    assert json.loads((shared.root_dir / "shared.ipynb").read_text()) == NOTEBOOK
    with shared.client() as owner:
        assert owner.get("api/kernels").json() == []


def test_reader_sees_output_but_cannot_execute(shared: RunningServer) -> None:
    with shared.client() as owner:
        kernel_id = owner.post("api/kernels", json={"name": "python3"}).json()["id"]
    marker = shared.root_dir / "pwned"
    with KernelSocket(shared, kernel_id) as full, KernelSocket(_Reader(shared), kernel_id) as ro:
        for channel, msg_type, content in (
            ("shell", "execute_request", {"code": f"open({str(marker)!r}, 'w')"}),
            ("control", "shutdown_request", {"restart": False}),
            ("shell", "comm_open", {"comm_id": "x", "target_name": "t", "data": {}}),
        ):
            msg_id = ro.send(channel, msg_type, content)
            if msg_type.endswith("_request"):
                channel_got, reply = ro.recv(timeout=10)
                assert channel_got == channel
                assert reply.parent_msg_id == msg_id
                assert reply.content["status"] == "error"
                assert reply.content["ename"] == "PermissionError"
        # kernel_info (how a frontend learns the kernel is ready) is harmless: answered.
        info_id = ro.send("shell", "kernel_info_request")
        while True:
            _, info = ro.recv(timeout=10)
            if info.parent_msg_id == info_id and info.msg_type == "kernel_info_reply":
                assert info.content["status"] == "ok"
                break
        # The owner's execution still runs, and the reader sees its output on iopub.
        messages = full.execute("print('visible to readers')")
        assert any(m.msg_type == "execute_reply" for m in messages)
        seen = ""
        while "visible to readers" not in seen:
            _, msg = ro.recv(timeout=10)
            if msg.msg_type == "stream":
                seen += msg.content["text"]
    assert not marker.exists()
    with shared.client() as owner:
        assert owner.get(f"api/kernels/{kernel_id}").status_code == 200  # not shut down
    assert "Read-only user's shell execute_request dropped" in shared.output()


def test_read_only_password_login_and_cookie(shared: RunningServer) -> None:
    with browser(shared) as client:
        assert login(client, PASSWORD).status_code == 302
        assert client.get("api/me").json()["auth"]["read_only"] is True
        xsrf = client.cookies["_xsrf"]
        refused = client.post("api/contents", json={"type": "file"}, headers={"X-XSRFToken": xsrf})
        assert refused.status_code == 403
        # A forged upgrade of the read-only cookie to a full one is refused.
        name = f"carnet-login-{shared.port}"
        forged = "full." + client.cookies[name].split(".", 1)[1]
    with browser(shared) as attacker:
        assert attacker.get("api/me", headers={"Cookie": f"{name}={forged}"}).status_code == 403
    with browser(shared) as client:
        client.get("tree", params={"token": READER_TOKEN})
        assert client.get("api/me").json()["auth"]["read_only"] is True
