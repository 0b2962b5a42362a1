"""input() reaches a client whose stdin socket connects after the cell asked.

A client connects its stdin socket beside its shell socket; a first cell that calls
input() at once may send its input_request before that connection is made. The kernel's
ROUTER dropped such a request silently and the cell waited forever (seen through the
server, one run in three of a module that starts a kernel and calls input() at once).
"""

from __future__ import annotations

from tests.kernel.conftest import SIGNAL_SPEC, start_kernel
from tests.kernel.helpers import iopub_until_idle, shell_reply


def test_an_input_request_waits_for_the_stdin_socket_to_connect() -> None:
    km, kc = start_kernel(SIGNAL_SPEC, shell=True, iopub=True, stdin=False, hb=False)
    try:
        code = "print('asking', flush=True)\nname = input('name? ')\nprint('hello', name)"
        msg_id = kc.execute(code, allow_stdin=True)
        # 'asking' is flushed just before the input_request is sent: once it is here, the
        # kernel has (all but certainly) sent its request to a stdin socket not yet there.
        while True:
            msg = kc.get_iopub_msg(timeout=20)
            if msg["msg_type"] == "stream" and "asking" in msg["content"]["text"]:
                break
        kc.stdin_channel.start()
        request = kc.get_stdin_msg(timeout=20)
        assert request["content"]["prompt"] == "name? "
        kc.input("Ada")
        assert shell_reply(kc, msg_id, timeout=20)["content"]["status"] == "ok"
        outputs = iopub_until_idle(kc, msg_id, timeout=20)
        text = "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream")
        assert "hello Ada" in text
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        km.cleanup_resources()
