"""Comms both ways, and ipywidgets 8 on top of them."""

from __future__ import annotations

import uuid

from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from tests.kernel.helpers import evaluate, execute, iopub_until_idle, of_type, shell_reply

Kernel = tuple[KernelManager, BlockingKernelClient]


def send_shell(kc: BlockingKernelClient, msg_type: str, content: dict, buffers=None) -> str:
    msg = kc.session.msg(msg_type, content)
    kc.session.send(kc.shell_channel.socket, msg, buffers=buffers)
    msg_id: str = msg["header"]["msg_id"]
    return msg_id


def test_ipywidgets_slider(kernel: Kernel) -> None:
    _, kc = kernel
    reply, outputs = execute(kc, "import ipywidgets\nslider = ipywidgets.IntSlider()\nslider")
    assert reply["content"]["status"] == "ok"
    opened = [
        m for m in of_type(outputs, "comm_open") if m["content"]["target_name"] == "jupyter.widget"
    ]
    assert opened, [m["msg_type"] for m in outputs]
    slider_comms = [
        m for m in opened if m["content"]["data"]["state"]["_model_name"] == "IntSliderModel"
    ]
    comm_id = slider_comms[0]["content"]["comm_id"]
    views = of_type(outputs, "execute_result")
    assert (
        views[0]["content"]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
        == comm_id
    )

    update = {"method": "update", "state": {"value": 7}, "buffer_paths": []}
    msg_id = send_shell(kc, "comm_msg", {"comm_id": comm_id, "data": update})
    iopub_until_idle(kc, msg_id)
    assert evaluate(kc, "slider.value") == "7"

    info = shell_reply(kc, kc.comm_info(target_name="jupyter.widget"))["content"]
    assert info["comms"][comm_id] == {"target_name": "jupyter.widget"}

    # A change in the kernel is sent to the frontend.
    _, outputs = execute(kc, "slider.value = 9")
    echoes = [m for m in of_type(outputs, "comm_msg") if m["content"]["comm_id"] == comm_id]
    assert echoes and echoes[-1]["content"]["data"]["state"] == {"value": 9}


def test_frontend_opens_messages_and_closes_a_comm(kernel: Kernel) -> None:
    _, kc = kernel
    setup = (
        "import comm\n"
        "received = []\n"
        "def opened(c, msg):\n"
        "    received.append(('open', msg['content']['data']))\n"
        "    def on_msg(m):\n"
        "        received.append(('msg', m['content']['data'], [bytes(b) for b in m['buffers']]))\n"
        "        c.send({'echo': m['content']['data']}, buffers=[b'back'])\n"
        "    c.on_msg(on_msg)\n"
        "    c.on_close(lambda m: received.append(('close', m['content']['data'])))\n"
        "comm.get_comm_manager().register_target('carnet.echo', opened)\n"
    )
    assert execute(kc, setup)[0]["content"]["status"] == "ok"
    comm_id = uuid.uuid4().hex
    msg_id = send_shell(
        kc, "comm_open", {"comm_id": comm_id, "target_name": "carnet.echo", "data": {"a": 1}}
    )
    iopub_until_idle(kc, msg_id)
    info = shell_reply(kc, kc.comm_info())["content"]
    assert info["comms"][comm_id] == {"target_name": "carnet.echo"}

    msg_id = send_shell(kc, "comm_msg", {"comm_id": comm_id, "data": {"b": 2}}, buffers=[b"bin"])
    outputs = iopub_until_idle(kc, msg_id)
    echo = of_type(outputs, "comm_msg")
    assert echo[0]["content"] == {"comm_id": comm_id, "data": {"echo": {"b": 2}}}
    assert [bytes(b) for b in echo[0]["buffers"]] == [b"back"]

    msg_id = send_shell(kc, "comm_close", {"comm_id": comm_id, "data": {"bye": True}})
    iopub_until_idle(kc, msg_id)
    assert evaluate(kc, "received") == (
        "[('open', {'a': 1}), ('msg', {'b': 2}, [b'bin']), ('close', {'bye': True})]"
    )
    assert comm_id not in shell_reply(kc, kc.comm_info())["content"]["comms"]


def test_kernel_opens_and_closes_a_comm(kernel: Kernel) -> None:
    _, kc = kernel
    code = "import comm\nc = comm.create_comm(target_name='carnet.front', data={'hello': 1})"
    _, outputs = execute(kc, code)
    opened = of_type(outputs, "comm_open")
    assert opened[0]["content"]["target_name"] == "carnet.front"
    assert opened[0]["content"]["data"] == {"hello": 1}
    comm_id = opened[0]["content"]["comm_id"]
    _, outputs = execute(kc, "c.close({'done': True})")
    closed = of_type(outputs, "comm_close")
    assert closed[0]["content"] == {"comm_id": comm_id, "data": {"done": True}}


def test_message_for_unknown_comm_is_harmless(kernel: Kernel) -> None:
    _, kc = kernel
    msg_id = send_shell(kc, "comm_msg", {"comm_id": "nope", "data": {}})
    iopub_until_idle(kc, msg_id)
    msg_id = send_shell(kc, "comm_open", {"data": {}})  # no comm_id, no target_name
    iopub_until_idle(kc, msg_id)
    msg_id = send_shell(kc, "comm_open", {"comm_id": "x", "target_name": "no.such.target"})
    outputs = iopub_until_idle(kc, msg_id)
    # Opening an unknown target is answered by closing the comm, as ipykernel does.
    assert [m["content"]["comm_id"] for m in of_type(outputs, "comm_close")] == ["x"]
    assert evaluate(kc, "1") == "1"
