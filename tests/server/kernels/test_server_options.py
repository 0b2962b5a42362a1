"""Server options that change kernel handling: iopub rate limits and idle culling."""

from __future__ import annotations

import time
from pathlib import Path

from tests.server.conftest import ServerDirs, launch
from tests.server.kernels.wsclient import KernelSocket, stdout_of

BURST = "from IPython.display import display\nfor i in range(300): display(i)"


def test_no_output_is_dropped_by_default_and_limits_work_when_set(tmp_path: Path) -> None:
    for limited in (False, True):
        args = ["--NotebookApp.iopub_msg_rate_limit=20"] if limited else []
        server = launch(ServerDirs(tmp_path / str(limited)), *args)
        try:
            with server.client() as http:
                kid = http.post("api/kernels", json={}).json()["id"]
                with KernelSocket(server, kid) as sock:
                    messages = sock.execute(BURST)
        finally:
            server.stop()
        shown = [m for m in messages if m.msg_type == "display_data"]
        notices = [m.content["text"] for m in messages if m.msg_type == "stream"]
        if limited:
            assert len(shown) < 300
            assert any("IOPub msg rate exceeded" in t for t in notices)
        else:
            assert [m.content["data"]["text/plain"] for m in shown] == [str(i) for i in range(300)]
            assert notices == []


def test_idle_kernels_are_culled(tmp_path: Path) -> None:
    server = launch(
        ServerDirs(tmp_path),
        "--NotebookApp.cull_idle_timeout=2",
        "--NotebookApp.cull_interval=1",
    )
    try:
        with server.client() as http:
            kid = http.post("api/kernels", json={}).json()["id"]
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and http.get(f"api/kernels/{kid}").status_code == 200:
                time.sleep(0.25)
            assert http.get(f"api/kernels/{kid}").status_code == 404
        assert f"Culling kernel {kid}" in server.output()
    finally:
        server.stop()


def test_websocket_compression_is_off_unless_configured(tmp_path: Path) -> None:
    # Jupyter's default (no compression); deflating output floods cost the server most of
    # its time. A dict in websocket_compression_options turns it on, as in Jupyter.
    for configured in (False, True):
        args = ["--NotebookApp.websocket_compression_options={}"] if configured else []
        server = launch(ServerDirs(tmp_path / str(configured)), *args)
        try:
            with server.client() as http:
                kid = http.post("api/kernels", json={}).json()["id"]
                with KernelSocket(server, kid) as sock:
                    assert sock.ws.response is not None
                    extensions = sock.ws.response.headers.get("Sec-WebSocket-Extensions", "")
                    assert ("permessage-deflate" in extensions) is configured
                    # Output still arrives whole, compressed or not.
                    messages = sock.execute("print('x' * 100_000)")
                    assert stdout_of(messages) == "x" * 100_000 + "\n"
        finally:
            server.stop()
