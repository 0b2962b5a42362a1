"""Hostile input: the wire decoders fuzzed, and a live websocket fed garbage.

Every bad message is a ProtocolError (dropped, one rate-limited log line), never
a crash, a hang or a closed server. The REST API's hostile-input tests are in
tests/server/security and tests/server/conformance (schemathesis).
"""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from carnet.errors import ProtocolError
from carnet.protocol import Session
from carnet.server.ws.formats import decode_legacy, decode_v1
from tests.server.conftest import RunningServer
from tests.server.kernels.wsclient import KernelSocket, stdout_of

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)
# Dicts shaped like a websocket message, with any value in any field.
message_like = st.fixed_dictionaries(
    {},
    optional={
        "channel": st.sampled_from(["shell", "iopub", "control", "stdin", "hb", ""]) | json_values,
        "header": json_values | st.fixed_dictionaries({"msg_id": json_values}),
        "parent_header": json_values,
        "metadata": json_values,
        "content": json_values,
        "buffers": json_values,
    },
)


def _decode_both(data: str | bytes) -> None:
    for decode in (decode_legacy, decode_v1):
        try:
            if decode is decode_v1 and isinstance(data, str):
                continue
            decode(data).decode()  # type: ignore[arg-type]
        except ProtocolError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300))
def test_websocket_decoders_reject_random_frames_cleanly(data: str | bytes) -> None:
    _decode_both(data)


@settings(max_examples=120, deadline=None)
@given(message_like)
def test_websocket_decoders_reject_wrong_types_cleanly(msg: dict[str, Any]) -> None:
    _decode_both(json.dumps(msg))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=80), max_size=8))
def test_zmq_decoder_rejects_random_frames_cleanly(frames: list[bytes]) -> None:
    for key in (b"", b"secret"):
        try:
            Session(key).deserialize([b"<IDS|MSG>", *frames])
            Session(key).deserialize(frames)
        except ProtocolError:
            pass


def _garbage(rng: random.Random) -> list[str | bytes]:
    frames: list[str | bytes] = [
        "",
        "{",
        "null",
        "[]",
        '{"header": 1}',
        '{"channel": "iopub", "header": {}, "content": {}}',
        '{"channel": "shell", "header": {"msg_type": 5}, "content": []}',
        "[" * 100_000 + "]" * 100_000,
        "x" * (20 * 1024 * 1024),
        b"\xff\xfe\x00garbage",
        b"\x00" * 8,
        b"\xff" * 64,
        "\udcff".encode("utf-8", "surrogatepass"),
    ]
    frames += [rng.randbytes(rng.randrange(1, 2000)) for _ in range(200)]
    frames += [os.urandom(16).hex() for _ in range(100)]
    return frames


def test_websocket_survives_garbage_and_logs_it_bounded(
    running: RunningServer, http: httpx.Client
) -> None:
    kernel = http.post("api/kernels", json={}).json()["id"]
    frames = _garbage(random.Random(3))
    with KernelSocket(running, kernel) as sock:
        started = time.monotonic()
        for frame in frames:
            sock.send_raw(frame)
        # Still connected and working, and the server answers as usual.
        assert stdout_of(sock.execute("print('still here')")) == "still here\n"
        elapsed = time.monotonic() - started
        assert http.get("api/status").status_code == 200
    with KernelSocket(running, kernel, v1=True) as sock:
        for frame in frames[:50]:
            sock.send_raw(frame if isinstance(frame, bytes) else frame.encode())
        assert stdout_of(sock.execute("print('v1 too')")) == "v1 too\n"
    log = running.output()
    assert "Traceback" not in log
    lines = [line for line in log.splitlines() if "dropped a websocket message" in line]
    assert 1 <= len(lines) <= 20, len(lines)  # ten per socket per minute, then a count
    assert "more websocket messages from session" in log
    print(f"{len(frames)} garbage frames handled in {elapsed:.2f}s, {len(lines)} log lines")
