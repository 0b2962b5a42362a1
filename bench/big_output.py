"""A 20 MB display() to the kernel going idle, over the kernel websocket.

The issue's row is a 20 MB display "(PNG or text)": both are measured.
A first cell (tests.support.notebooks.MAKE_BIG_PNG, not timed) makes a 2600 x 2600 PNG of
random pixels (over 20 MB). Then `display(Image(data=png))` is timed: the kernel encodes
the PNG in base64 into a ~27 MB message, which reaches the client through ZeroMQ, the
server and the websocket. Timed from sending the execute_request to the idle status after
it; the PNG must arrive whole. Making the PNG takes some 0.2 s of the kernel's CPU here, the
same in every kernel, and is no part of what the row is about (the display's way to the
client); the whole cell, making and showing, is a row for context. The text display is
a 20 MB HTML table of 215,000 lines, made by an untimed cell too: no base64 on its way,
but every newline is escaped in the kernel's JSON.
The same client for every server: the v1 websocket protocol when the server offers
it, else the default JSON text frames (Jupyverse).
"""

from __future__ import annotations

import json
import statistics
import time
import uuid
from typing import Any, NamedTuple

from tests.support.notebooks import BIG_PNG, MAKE_BIG_PNG, SHOW_BIG_PNG
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from bench.compare import Target
from carnet.server.ws.formats import V1_SUBPROTOCOL, decode_v1

SAMPLES = 3
TARGETS = {
    "display_20mb_png_to_idle_s": Target(ratio=0.5, ahead_of_jupyverse=True),
    "display_20mb_in_kernel_s": Target(),
    "display_20mb_client_decode_s": Target(),
    "display_20mb_rest_s": Target(),
    "make_and_display_20mb_png_to_idle_s": Target(),
    "display_20mb_html_to_idle_s": Target(ratio=0.5, ahead_of_jupyverse=True),
}
MAKE_BIG_HTML = (
    "rows = ''.join(f'<tr><td>{i}</td><td>{\"y\" * 60}</td></tr>\\n' for i in range(215_000))\n"
)
SHOW_BIG_HTML = "from IPython.display import HTML, display\ndisplay(HTML(rows))\n"
# Either display, arrived whole, has at least this many characters.
MIN_CHARS = 20_000_000
# SHOW_BIG_PNG, with display() timed by the kernel's own clock and printed after it.
_CLOCK = "import time as _bench_time\n_bench_t0 = _bench_time.perf_counter()\n"
SHOW_BIG_PNG_TIMED = (
    _CLOCK + SHOW_BIG_PNG + "print('display:', _bench_time.perf_counter() - _bench_t0)\n"
)


class Run(NamedTuple):
    to_idle_s: float
    decode_s: float  # the client's decoding of the display's frame
    stdout: str


def _request(code: str, v1: bool) -> tuple[str, bytes | str]:
    msg_id = uuid.uuid4().hex
    header = {
        "msg_id": msg_id,
        "msg_type": "execute_request",
        "username": "bench",
        "session": "bench",
        "date": "2026-01-01T00:00:00Z",
        "version": "5.3",
    }
    content = {"code": code, "silent": False, "store_history": False}
    if v1:
        from carnet.protocol import Message
        from carnet.server.ws.formats import WsMessage, encode_v1

        return msg_id, encode_v1(WsMessage.from_message("shell", Message(header, {}, {}, content)))
    msg = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
    return msg_id, json.dumps({**msg, "channel": "shell", "buffers": []})


def _decode(frame: bytes | str, v1: bool) -> tuple[str, str, dict[str, Any]]:
    """(parent msg_id, msg_type, content) of a frame."""
    if v1:
        assert isinstance(frame, bytes)
        msg = decode_v1(frame).decode()
        return msg.parent_msg_id, msg.msg_type, msg.content
    data = json.loads(frame)
    return data["parent_header"].get("msg_id", ""), data["header"]["msg_type"], data["content"]


def run_once(
    ws: Any, v1: bool, code: str = SHOW_BIG_PNG, expected: str | None = "image/png"
) -> Run:
    """From sending `code` to the idle status after it; `expected`: the 20 MB display's type."""
    msg_id, frame = _request(code, v1)
    shown_chars = 0
    decode_s = 0.0
    stdout = ""
    t0 = time.perf_counter()
    ws.send(frame)
    while True:
        received = ws.recv(timeout=300)
        d0 = time.perf_counter()
        parent, kind, content = _decode(received, v1)
        decoded = time.perf_counter() - d0
        if parent != msg_id:
            continue
        if kind == "error":
            raise RuntimeError(f"the cell failed: {content.get('ename')}: {content.get('evalue')}")
        if kind == "display_data":
            shown_chars = len(content["data"].get(expected, ""))
            decode_s += decoded
        if kind == "stream" and content.get("name") == "stdout":
            stdout += content.get("text", "")
        if kind == "status" and content.get("execution_state") == "idle":
            elapsed = time.perf_counter() - t0
            break
    if expected and shown_chars < MIN_CHARS:
        raise RuntimeError(f"the {expected} display did not arrive whole ({shown_chars} chars)")
    return Run(elapsed, decode_s, stdout)


def _in_kernel_s(run: Run) -> float:
    """What SHOW_BIG_PNG_TIMED printed: display()'s seconds by the kernel's clock."""
    for line in run.stdout.splitlines():
        if line.startswith("display: "):
            return float(line.removeprefix("display: "))
    raise RuntimeError(f"the timed display printed no time: {run.stdout!r}")


def measure(url: str, headers: dict[str, str]) -> dict[str, float]:
    with connect(
        url,
        additional_headers=headers,
        subprotocols=[Subprotocol(V1_SUBPROTOCOL)],
        max_size=None,
        open_timeout=60,
    ) as ws:
        v1 = ws.subprotocol == V1_SUBPROTOCOL
        run_once(ws, v1, MAKE_BIG_PNG, expected=None)
        run_once(ws, v1)  # warm: imports and the first big allocations
        shown = [run_once(ws, v1) for _ in range(SAMPLES)]
        in_kernel = [_in_kernel_s(run_once(ws, v1, SHOW_BIG_PNG_TIMED)) for _ in range(SAMPLES)]
        whole = [run_once(ws, v1, BIG_PNG).to_idle_s for _ in range(SAMPLES)]
        run_once(ws, v1, MAKE_BIG_HTML, expected=None)
        run_once(ws, v1, SHOW_BIG_HTML, "text/html")  # warm
        html = [run_once(ws, v1, SHOW_BIG_HTML, "text/html").to_idle_s for _ in range(SAMPLES)]
    to_idle = statistics.median(run.to_idle_s for run in shown)
    decode = statistics.median(run.decode_s for run in shown)
    kernel = statistics.median(in_kernel)
    return {
        "display_20mb_png_to_idle_s": to_idle,
        "display_20mb_in_kernel_s": kernel,
        "display_20mb_client_decode_s": decode,
        "display_20mb_rest_s": to_idle - kernel - decode,
        "make_and_display_20mb_png_to_idle_s": statistics.median(whole),
        "display_20mb_html_to_idle_s": statistics.median(html),
    }
