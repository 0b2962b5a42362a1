"""A big display through the server: relayed as the kernel wrote it, in both websocket
formats, and still recorded into the file when its page is gone (the recorder is the
one reader of the content of the runs it follows)."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from carnet.server.ws.formats import decode_v1
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.server.kernels.test_recorder import cell, connections, open_session
from tests.server.kernels.wsclient import KernelSocket
from tests.support.waiting import wait_until

# Over the size past which the kernel copies strings into its JSON unescaped.
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 6000
CELL = (
    "import base64, os, time\nfrom IPython.display import Image, display\n"
    "display(Image(data=base64.b64decode({png!r}), format='png'))\n"
    "while not os.path.exists({release!r}): time.sleep(0.02)\n"
    "print('done')"
)


def frames_until_display(sock: KernelSocket) -> str | bytes:
    while True:
        frame = sock.ws.recv(timeout=30)
        if isinstance(frame, bytes) and sock.v1:
            if decode_v1(frame).decode().msg_type == "display_data":
                return frame
        elif isinstance(frame, str) and '"msg_type":"display_data"' in frame:
            return frame


def test_a_big_display_is_relayed_whole_and_recorded(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    server: RunningServer = launch(ServerDirs(tmp_path_factory.mktemp("relay")))
    try:
        kid, file = open_session(server, "big.ipynb", ("a",))
        release = server.root_dir / "big.release"
        b64 = base64.b64encode(PNG).decode()
        v1, legacy = KernelSocket(server, kid, v1=True), KernelSocket(server, kid)
        code = CELL.format(png=b64, release=str(release))
        v1.send("shell", "execute_request", {"code": code, "silent": False}, {"cellId": "a"})
        v1_frame, legacy_frame = frames_until_display(v1), frames_until_display(legacy)
        assert isinstance(v1_frame, bytes) and isinstance(legacy_frame, str)
        content_part = decode_v1(v1_frame).parts[3]
        # IPython 8 ends its base64 with a newline.
        assert json.loads(content_part)["data"]["image/png"].rstrip("\n") == b64
        # The legacy frame carries the same bytes the v1 frame does: the kernel's.
        assert content_part.decode() in legacy_frame
        assert json.loads(legacy_frame)["content"] == json.loads(content_part)
        v1.close()
        legacy.close()  # the page is gone while the cell runs
        wait_until(lambda: connections(server, kid) == 0, 20, "the server to see the tabs closed")
        release.touch()
        wait_until(lambda: len(cell(file, "a")["outputs"]) == 2, 30, "the outputs recorded")
        outputs = cell(file, "a")["outputs"]
        assert outputs[0]["output_type"] == "display_data"
        assert outputs[0]["data"]["image/png"].replace("\n", "") == b64
        assert outputs[1]["text"] == "done\n"
        with httpx.Client(base_url=server.url, headers=server.auth_headers) as http:
            http.delete(f"api/kernels/{kid}")
    finally:
        server.stop()
