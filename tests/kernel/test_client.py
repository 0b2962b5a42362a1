"""jupyter_client's BlockingKernelClient drives Carnet's kernel from its connection file."""

from __future__ import annotations

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from tests.kernel.helpers import (
    UNTIL_A_REQUEST_WAITS,
    evaluate,
    execute,
    iopub_until_idle,
    of_type,
    shell_reply,
    stream_text,
)

Kernel = tuple[KernelManager, BlockingKernelClient]


def test_kernel_info(kernel: Kernel) -> None:
    _, kc = kernel
    reply = shell_reply(kc, kc.kernel_info())["content"]
    assert reply["implementation"] == "carnet"
    assert reply["protocol_version"] == "5.3"
    info = reply["language_info"]
    assert info["name"] == "python"
    assert info["codemirror_mode"] == {"name": "ipython", "version": 3}
    assert info["pygments_lexer"] == "ipython3"
    assert "IPython" in reply["banner"]


def test_kernel_info_on_control(kernel: Kernel) -> None:
    _, kc = kernel
    request = kc.session.msg("kernel_info_request")
    kc.control_channel.send(request)
    reply = kc.control_channel.get_msg(timeout=10)
    assert reply["parent_header"]["msg_id"] == request["header"]["msg_id"]
    assert reply["content"]["implementation"] == "carnet"


def test_stream_and_result_in_order(kernel: Kernel) -> None:
    _, kc = kernel
    reply, outputs = execute(kc, "print('first'); 6*7")
    content = reply["content"]
    assert content["status"] == "ok"
    assert reply["metadata"]["status"] == "ok" and "started" in reply["metadata"]
    # A timer flush may split the text into several stream messages; order is what counts.
    kinds = [m["msg_type"] for m in outputs]
    assert [k for i, k in enumerate(kinds) if i == 0 or kinds[i - 1] != k] == [
        "execute_input",
        "stream",
        "execute_result",
    ]
    assert outputs[0]["content"]["execution_count"] == content["execution_count"]
    assert stream_text(outputs) == "first\n"
    result = outputs[-1]["content"]
    assert result["data"]["text/plain"] == "42"
    assert result["execution_count"] == content["execution_count"]
    again, _ = execute(kc, "1")
    assert again["content"]["execution_count"] == content["execution_count"] + 1


def test_semicolon_suppresses_result_and_name_is_main(kernel: Kernel) -> None:
    _, kc = kernel
    _, outputs = execute(kc, "40 + 2;")
    assert of_type(outputs, "execute_result") == []
    assert evaluate(kc, "__name__") == "'__main__'"


def test_error_reply_and_message(kernel: Kernel) -> None:
    _, kc = kernel
    reply, outputs = execute(kc, "print('before'); 1/0")
    content = reply["content"]
    assert content["status"] == "error"
    assert content["ename"] == "ZeroDivisionError"
    assert "division by zero" in content["evalue"]
    assert any("ZeroDivisionError" in line for line in content["traceback"])
    kinds = [m["msg_type"] for m in outputs]
    assert kinds[0] == "execute_input" and kinds[-1] == "error"
    assert set(kinds[1:-1]) == {"stream"}
    assert outputs[-1]["content"]["ename"] == "ZeroDivisionError"


def test_stop_on_error_aborts_queued_requests(kernel: Kernel) -> None:
    _, kc = kernel
    # Each failing cell fails once the cell sent after it waits in the queue.
    failing = kc.execute(UNTIL_A_REQUEST_WAITS + "raise RuntimeError('stop')")
    queued = kc.execute("aborted_marker = 1")
    assert shell_reply(kc, failing)["content"]["status"] == "error"
    assert shell_reply(kc, queued)["content"]["status"] == "aborted"
    reply, _ = execute(kc, "'aborted_marker' in dir()")
    assert reply["content"]["status"] == "ok"
    assert evaluate(kc, "'aborted_marker' in dir()") == "False"
    # Without stop_on_error the queued cell runs.
    failing = kc.execute(UNTIL_A_REQUEST_WAITS + "raise RuntimeError('go on')", stop_on_error=False)
    queued = kc.execute("ran_anyway = 1")
    assert shell_reply(kc, failing)["content"]["status"] == "error"
    assert shell_reply(kc, queued)["content"]["status"] == "ok"


def test_fd_level_and_subprocess_output(kernel: Kernel) -> None:
    _, kc = kernel
    code = (
        "import os, subprocess, sys\n"
        "os.write(1, b'from-fd\\n')\n"
        "subprocess.run(['echo', 'from-subprocess'], check=True)\n"
        "subprocess.run(['sh', '-c', 'echo child-err >&2'])\n"
        "!echo from-bang\n"
    )
    reply, outputs = execute(kc, code)
    assert reply["content"]["status"] == "ok"
    out = stream_text(outputs, "stdout")
    assert "from-fd" in out and "from-subprocess" in out and "from-bang" in out
    assert "child-err" in stream_text(outputs, "stderr")


def test_output_of_forked_children(kernel: Kernel) -> None:
    _, kc = kernel
    code = (
        "import multiprocessing\n"
        "context = multiprocessing.get_context('fork')\n"
        "children = [context.Process(target=print, args=(f'child {i}',)) for i in range(3)]\n"
        "for child in children: child.start()\n"
        "for child in children: child.join()\n"
    )
    reply, outputs = execute(kc, code)
    assert reply["content"]["status"] == "ok"
    assert sorted(stream_text(outputs).splitlines()) == ["child 0", "child 1", "child 2"]


def test_many_prints_are_coalesced(kernel: Kernel) -> None:
    _, kc = kernel
    reply, outputs = execute(kc, "for i in range(20000): print(i)", timeout=30)
    assert reply["content"]["status"] == "ok"
    streams = of_type(outputs, "stream")
    text = stream_text(outputs)
    assert text.splitlines() == [str(i) for i in range(20000)]
    assert len(streams) < 200
    # Explicit flushes are coalesced too.
    reply, outputs = execute(kc, "for i in range(5000): print(i, flush=True)", timeout=30)
    assert stream_text(outputs).splitlines() == [str(i) for i in range(5000)]
    assert len(of_type(outputs, "stream")) < 500


def test_writes_from_threads_at_once_all_arrive_in_order(kernel: Kernel) -> None:
    # Writers append without a lock: no write may be lost or reordered within a thread.
    _, kc = kernel
    code = (
        "import sys, threading\n"
        "def write(k):\n"
        "    for i in range(5000): sys.stdout.write(f'{k} {i}\\n')\n"
        "threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]\n"
        "for t in threads: t.start()\n"
        "for t in threads: t.join()\n"
    )
    reply, outputs = execute(kc, code, timeout=30)
    assert reply["content"]["status"] == "ok"
    lines = stream_text(outputs, "stdout").splitlines()
    for k in range(4):
        assert [line for line in lines if line.startswith(f"{k} ")] == [
            f"{k} {i}" for i in range(5000)
        ]
    assert len(lines) == 20000


def test_display_update_and_clear(kernel: Kernel) -> None:
    _, kc = kernel
    code = (
        "from IPython.display import display, HTML, clear_output\n"
        "handle = display(HTML('<b>one</b>'), display_id=True)\n"
        "handle.update(HTML('<b>two</b>'))\n"
        "clear_output(wait=True)\n"
    )
    reply, outputs = execute(kc, code)
    assert reply["content"]["status"] == "ok"
    shown = of_type(outputs, "display_data")
    updated = of_type(outputs, "update_display_data")
    assert len(shown) == 1 and len(updated) == 1
    display_id = shown[0]["content"]["transient"]["display_id"]
    assert display_id and updated[0]["content"]["transient"]["display_id"] == display_id
    assert updated[0]["content"]["data"]["text/html"] == "<b>two</b>"
    assert [m["content"] for m in of_type(outputs, "clear_output")] == [{"wait": True}]


def test_rich_repr(kernel: Kernel) -> None:
    _, kc = kernel
    code = (
        "class Rich:\n"
        "    def _repr_html_(self): return '<i>rich</i>'\n"
        "    def _repr_mimebundle_(self, include=None, exclude=None):\n"
        "        return {'application/x-carnet': 'bundle'}\n"
        "Rich()"
    )
    _, outputs = execute(kc, code)
    data = of_type(outputs, "execute_result")[0]["content"]["data"]
    assert data["application/x-carnet"] == "bundle"


def test_pager_and_set_next_input_payloads(kernel: Kernel) -> None:
    _, kc = kernel
    reply, _ = execute(kc, "len?")
    payload = reply["content"]["payload"]
    assert payload[0]["source"] == "page" and payload[0]["start"] == 0
    assert "Return the number of items" in payload[0]["data"]["text/plain"]
    reply, _ = execute(kc, "get_ipython().set_next_input('x = 1')")
    assert reply["content"]["payload"] == [
        {"source": "set_next_input", "text": "x = 1", "replace": False}
    ]


def test_connect_info_magic(kernel: Kernel) -> None:
    km, kc = kernel
    _, outputs = execute(kc, "%connect_info")
    text = stream_text(outputs)
    assert f'"shell_port": {km.shell_port}' in text
    # jupyter_client writes this connection file outside the runtime directory.
    assert f"carnet console --existing {km.connection_file}\n" in text
    assert "carnet console --existing <file>" in text


def test_complete_inspect_is_complete(kernel: Kernel) -> None:
    _, kc = kernel
    execute(kc, "carnet_variable = 1")
    reply = shell_reply(kc, kc.complete("carnet_va"))["content"]
    assert reply["status"] == "ok"
    assert "carnet_variable" in reply["matches"]
    assert (reply["cursor_start"], reply["cursor_end"]) == (0, 9)
    reply = shell_reply(kc, kc.inspect("carnet_variable", detail_level=0))["content"]
    assert reply["found"] is True and "int" in reply["data"]["text/plain"]
    reply = shell_reply(kc, kc.inspect("no_such_name_here"))["content"]
    assert reply["status"] == "ok" and reply["found"] is False
    assert shell_reply(kc, kc.is_complete("for i in x:"))["content"] == {
        "status": "incomplete",
        "indent": "    ",
    }
    assert shell_reply(kc, kc.is_complete("x = 1"))["content"]["status"] == "complete"
    assert shell_reply(kc, kc.is_complete("x = = 1"))["content"]["status"] == "invalid"


def test_history(kernel: Kernel) -> None:
    _, kc = kernel
    execute(kc, "history_marker = 11")
    execute(kc, "history_marker * 2")
    tail = shell_reply(kc, kc.history(hist_access_type="tail", n=2, output=True))["content"]
    entries = tail["history"]
    assert [e[2][0] for e in entries] == ["history_marker = 11", "history_marker * 2"]
    assert all(len(e[2]) == 2 for e in entries)  # (input, output) pairs
    found = shell_reply(kc, kc.history(hist_access_type="search", pattern="history_mark*"))
    assert [e[2] for e in found["content"]["history"]][-2:] == [
        "history_marker = 11",
        "history_marker * 2",
    ]
    session, line = entries[0][0], entries[0][1]
    ranged = shell_reply(
        kc, kc.history(hist_access_type="range", session=session, start=line, stop=line + 1)
    )
    assert ranged["content"]["history"] == [[session, line, "history_marker = 11"]]


def test_input_and_getpass(kernel: Kernel) -> None:
    _, kc = kernel
    msg_id = kc.execute("name = input('Name? '); import getpass; secret = getpass.getpass()")
    request = kc.get_stdin_msg(timeout=10)
    assert request["msg_type"] == "input_request"
    assert request["parent_header"]["msg_id"] == msg_id
    assert request["content"] == {"prompt": "Name? ", "password": False}
    kc.input("Ada")
    request = kc.get_stdin_msg(timeout=10)
    assert request["content"]["password"] is True
    kc.input("s3cret")
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"
    assert evaluate(kc, "(name, secret)") == "('Ada', 's3cret')"


def test_input_without_stdin_is_a_clear_error(kernel: Kernel) -> None:
    _, kc = kernel
    reply, _ = execute(kc, "input('x')", allow_stdin=False)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "StdinNotImplementedError"
    assert "allow_stdin" in reply["content"]["evalue"]


def test_two_clients_both_see_iopub(kernel: Kernel) -> None:
    km, kc = kernel
    other = BlockingKernelClient(connection_file=km.connection_file)
    other.load_connection_file()
    other.start_channels()
    try:
        other.wait_for_ready(timeout=10)
        msg_id = kc.execute("print('to everyone')")
        shell_reply(kc, msg_id)
        for client in (kc, other):
            assert "to everyone" in stream_text(iopub_until_idle(client, msg_id))
    finally:
        other.stop_channels()


def test_unknown_request_gets_an_error_reply(kernel: Kernel) -> None:
    _, kc = kernel
    request = kc.session.msg("frobnicate_request", {})
    kc.shell_channel.send(request)
    reply = shell_reply(kc, request["header"]["msg_id"])
    assert reply["msg_type"] == "frobnicate_reply"
    assert reply["content"]["status"] == "error"
    assert "frobnicate_request" in reply["content"]["evalue"]


def test_inline_matplotlib(kernel: Kernel) -> None:
    _, kc = kernel
    code = "import matplotlib.pyplot as plt\nplt.plot([1, 3, 2])\nplt.show()"
    reply, outputs = execute(kc, code, timeout=60)
    assert reply["content"]["status"] == "ok"
    images = [m for m in of_type(outputs, "display_data") if "image/png" in m["content"]["data"]]
    assert len(images) == 1
