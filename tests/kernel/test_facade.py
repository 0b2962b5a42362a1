"""get_ipython().kernel: what ipywidgets, tqdm and comm-based libraries look for."""

from __future__ import annotations

import ast
import uuid

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from tests.kernel.helpers import Msg, evaluate, execute, iopub_until_idle, of_type

Kernel = tuple[KernelManager, BlockingKernelClient]


def _widget_comm(outputs: list[Msg], model_name: str) -> str:
    for msg in of_type(outputs, "comm_open"):
        if msg["content"]["data"]["state"].get("_model_name") == model_name:
            comm_id: str = msg["content"]["comm_id"]
            return comm_id
    raise AssertionError(f"no {model_name} opened; saw {[m['msg_type'] for m in outputs]}")


def test_output_widget_captures_what_is_printed_inside_it(kernel: Kernel) -> None:
    _, kc = kernel
    code = (
        "import ipywidgets\n"
        "out = ipywidgets.Output()\n"
        "with out:\n"
        "    print('inside')\n"
        "print('outside')\n"
    )
    reply, outputs = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    msg_id = reply["parent_header"]["msg_id"]
    comm_id = _widget_comm(outputs, "OutputModel")
    # What the frontend sees, in order: the widget takes this request's msg_id, the text
    # printed inside arrives while it holds it, then the widget lets go, then the rest.
    events: list[tuple[str, str]] = []
    for msg in outputs:
        content = msg["content"]
        assert msg["parent_header"]["msg_id"] == msg_id
        if msg["msg_type"] == "comm_msg" and content["comm_id"] == comm_id:
            state = content["data"].get("state", {})
            if "msg_id" in state:
                events.append(("widget msg_id", state["msg_id"]))
        elif msg["msg_type"] == "stream":
            events.extend(("stdout", line) for line in content["text"].splitlines())
    assert events == [
        ("widget msg_id", msg_id),
        ("stdout", "inside"),
        ("widget msg_id", ""),
        ("stdout", "outside"),
    ], events


def test_kernel_object_has_what_libraries_read(kernel: Kernel) -> None:
    _, kc = kernel
    code = (
        "ip = get_ipython()\n"
        "k = ip.kernel\n"
        "facts = {\n"
        "    'kernel': k is not None,\n"
        "    'shell': k.shell is ip,\n"
        "    'parent': k.get_parent()['header']['msg_type'],\n"
        "    'old_parent': k._parent_header['header']['msg_type'],\n"
        "    'shell_parent': ip.get_parent()['header']['msg_type'],\n"
        "    'notebook': 'IPKernelApp' in ip.config,\n"
        "    'connection_file': ip.config.IPKernelApp.connection_file.endswith('.json'),\n"
        "    'language': k.language_info['name'],\n"
        "}\n"
        "k.session.send(k.iopub_socket, 'display_data',\n"
        "               {'data': {'text/plain': 'via session'}, 'metadata': {}},\n"
        "               parent=k.get_parent())\n"
        "k.send_response(k.iopub_socket, 'display_data',\n"
        "                {'data': {'text/plain': 'via send_response'}, 'metadata': {}})\n"
        "try:\n"
        "    k.session.send(object(), 'stream', {})\n"
        "except ValueError as exc:\n"
        "    facts['other_stream'] = str(exc)\n"
    )
    reply, outputs = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    facts = ast.literal_eval(evaluate(kc, "facts"))
    assert facts == {
        "kernel": True,
        "shell": True,
        "parent": "execute_request",
        "old_parent": "execute_request",
        "shell_parent": "execute_request",
        "notebook": True,
        "connection_file": True,
        "language": "python",
        "other_stream": facts["other_stream"],
    }
    assert "iopub_socket" in facts["other_stream"]
    shown = [m["content"]["data"]["text/plain"] for m in of_type(outputs, "display_data")]
    assert shown == ["via session", "via send_response"]


def test_comm_manager_register_target_as_ipywidgets_7_did(kernel: Kernel) -> None:
    _, kc = kernel
    setup = (
        "opened = []\n"
        "get_ipython().kernel.comm_manager.register_target(\n"
        "    'carnet.old-style', lambda c, msg: opened.append(msg['content']['data']))\n"
    )
    assert execute(kc, setup)[0]["content"]["status"] == "ok"
    msg = kc.session.msg(
        "comm_open",
        {"comm_id": uuid.uuid4().hex, "target_name": "carnet.old-style", "data": {"x": 1}},
    )
    kc.shell_channel.send(msg)
    iopub_until_idle(kc, msg["header"]["msg_id"])
    assert evaluate(kc, "opened") == "[{'x': 1}]"


def test_tqdm_notebook_progress_bar(kernel: Kernel) -> None:
    _, kc = kernel
    code = "from tqdm.notebook import tqdm\nfor _ in tqdm(range(3)):\n    pass\n"
    reply, outputs = execute(kc, code)
    assert reply["content"]["status"] == "ok", reply["content"]
    bar = _widget_comm(outputs, "FloatProgressModel")
    views = [
        m["content"]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
        for m in of_type(outputs, "display_data")
        if "application/vnd.jupyter.widget-view+json" in m["content"]["data"]
    ]
    assert views, "the progress bar was not displayed as a widget"
    values = [
        m["content"]["data"]["state"]["value"]
        for m in of_type(outputs, "comm_msg")
        if m["content"]["comm_id"] == bar and "value" in m["content"]["data"].get("state", {})
    ]
    assert values and values[-1] == 3
