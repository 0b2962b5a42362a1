"""What a starting kernel does before its first reply, and in which order.

A client that connected before the kernel existed retries every 100-200 ms;
the kernel binds its sockets before importing the rest of itself, so the
retry that comes while it imports is already let through. The imports gate
(import_gate.py) stops the kernel at a module and reports what it had
imported by then: no clock is read.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import IPython
import zmq

from carnet.connection_files import read_connection_file, write_connection_file
from carnet.protocol import Message, Session
from carnet.protocol.connection_file import ConnectionInfo
from tests.kernel.import_gate import ImportGate
from tests.support.ports import free_ports

KEY = "a-test-key-0123456789"

# Not needed to read a connection file and bind five sockets.
NOT_BEFORE_BINDING = (
    "IPython",
    "argparse",
    "tempfile",
    "importlib.metadata",
    "carnet.paths",
    "carnet.kernel.core",
    "carnet.kernel.python",
    "carnet.protocol.session",
    "carnet.protocol.messages",
)


def _at_interpreter_start(env: dict[str, str]) -> set[str]:
    """Modules every process of this environment has (site, .pth files): not the kernel's."""
    code = "import sys; print('\\n'.join(sys.modules))"
    run = [sys.executable, "-c", code]
    out = subprocess.run(run, env=env, capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_sockets_are_bound_before_the_rest_of_the_kernel_is_imported(tmp_path: Path) -> None:
    gate = ImportGate(tmp_path / "gate", module="carnet.kernel.app")
    path = tmp_path / "kernel-order.json"
    # Ports chosen by the launcher, as jupyter_client does: nothing to write back.
    info = ConnectionInfo(*free_ports(5), key=KEY)
    write_connection_file(info, path)
    process = subprocess.Popen(
        [sys.executable, "-m", "carnet.kernel", "-f", str(path)], env=gate.env()
    )
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    try:
        loaded = gate.modules_at_gate() - _at_interpreter_start(gate.env())
        assert not loaded & set(NOT_BEFORE_BINDING), sorted(loaded & set(NOT_BEFORE_BINDING))
        # Held before importing the kernel proper, yet listening.
        socket.create_connection((info.ip, info.shell_port), timeout=10).close()
        shell, session, request = _ask_kernel_info(context, info)
        gate.open()
        assert shell.poll(20000), "no kernel_info_reply"
        reply = session.deserialize(shell.recv_multipart())
        assert reply.parent_msg_id == request.msg_id
        assert reply.content["implementation"] == "carnet"
        # Read from IPython's dist-info, without importing IPython or importlib.metadata.
        assert f"IPython {IPython.__version__} -- " in reply.content["banner"]
    finally:
        gate.open()
        context.destroy(linger=0)
        process.terminate()
        process.wait(10)


def test_kernel_info_is_ready_before_ipython_is_imported(tmp_path: Path) -> None:
    # The reply is made before the import thread starts: answering it imports nothing
    # (an import on the main thread would wait on, and compete with, IPython's).
    gate = ImportGate(tmp_path / "gate")
    path = tmp_path / "kernel-info.json"
    write_connection_file(ConnectionInfo(0, 0, 0, 0, 0, key=KEY), path)
    process = subprocess.Popen(
        [sys.executable, "-m", "carnet.kernel", "-f", str(path)], env=gate.env()
    )
    context: zmq.Context[zmq.Socket[bytes]] = zmq.Context()
    try:
        loaded = gate.modules_at_gate()
        assert "importlib.metadata" not in loaded - _at_interpreter_start(gate.env())
        assert "carnet.kernel.distinfo" in loaded
        info = read_connection_file(path)
        shell, session, request = _ask_kernel_info(context, info)
        assert shell.poll(20000), "no kernel_info_reply while IPython imports"
        reply = session.deserialize(shell.recv_multipart())
        assert reply.parent_msg_id == request.msg_id
        assert f"IPython {IPython.__version__} -- " in reply.content["banner"]
    finally:
        gate.open()
        context.destroy(linger=0)
        process.terminate()
        process.wait(10)


def _ask_kernel_info(
    context: zmq.Context[zmq.Socket[bytes]], info: ConnectionInfo
) -> tuple[zmq.Socket[bytes], Session, Message]:
    """A kernel_info_request sent to the kernel's shell: (the socket, the session, it)."""
    shell = context.socket(zmq.DEALER)
    shell.linger = 0
    shell.connect(info.url("shell"))
    session = Session(KEY)
    request = session.msg("kernel_info_request", {})
    shell.send_multipart(session.serialize(request))
    return shell, session, request
