"""Ctrl-C reaches the execution it was meant for, and users see only their own frames."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from queue import Empty
from types import TracebackType

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from carnet.kernel import interrupts
from carnet.kernel.interrupts import without_kernel_frames
from tests.kernel.conftest import MESSAGE_SPEC, SIGNAL_SPEC, start_kernel, stop_kernel
from tests.kernel.helpers import (
    UNTIL_A_REQUEST_WAITS,
    Msg,
    evaluate,
    idle_signal_taken,
    iopub_until_idle,
    of_type,
    shell_reply,
)
from tests.kernel.import_gate import ImportGate
from tests.support.waiting import wait_until

Kernel = tuple[KernelManager, BlockingKernelClient]


def _wait_iopub(kc: BlockingKernelClient, msg_id: str, msg_type: str, timeout: float = 15) -> Msg:
    """The first IOPub message of msg_type caused by msg_id (earlier ones are dropped)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg: Msg = kc.get_iopub_msg(timeout=0.5)
        except Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == msg_type:
            return msg
    raise TimeoutError(f"no {msg_type} for {msg_id}")


def _interrupted(kc: BlockingKernelClient, msg_id: str) -> tuple[Msg, list[Msg]]:
    """The execute_reply and outputs of a cell that must have ended in KeyboardInterrupt."""
    reply = shell_reply(kc, msg_id, timeout=20)["content"]
    outputs = iopub_until_idle(kc, msg_id, timeout=20)
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", reply
    assert isinstance(reply["execution_count"], int)
    errors = of_type(outputs, "error")
    assert errors and errors[0]["content"]["ename"] == "KeyboardInterrupt", outputs
    return reply, outputs


def _no_kernel_frames(traceback: list[str]) -> None:
    text = "\n".join(traceback)
    for kernel_frame in ("interrupts.py", "on_sigint", "carnet/kernel", "interactiveshell.py"):
        assert kernel_frame not in text, text


@pytest.mark.parametrize("spec", [SIGNAL_SPEC, MESSAGE_SPEC])
def test_interrupt_while_ipython_still_imports(spec: str, tmp_path: Path) -> None:
    # kernel_info is answered at once; IPython is imported on a thread and the shell built
    # afterwards. The gate holds that import until the interrupt has landed.
    gate = ImportGate(tmp_path / "gate")
    km, kc = start_kernel(spec, env=gate.env())
    try:
        gate.wait_reached()
        msg_id = kc.execute("ran = True")
        _wait_iopub(kc, msg_id, "status")  # received: busy
        if spec == MESSAGE_SPEC:
            # Answered once the main thread has taken the signal.
            kc.control_channel.send(kc.session.msg("interrupt_request", {}))
            assert kc.control_channel.get_msg(timeout=20)["content"]["status"] == "ok"
        else:
            km.interrupt_kernel()  # pending for the process once kill() returns
        # Held as pending: the cell's user code raises it as soon as IPython is there.
        gate.open()
        reply = shell_reply(kc, msg_id, timeout=20)["content"]
        iopub_until_idle(kc, msg_id, timeout=20)
        assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", reply
        _no_kernel_frames(reply["traceback"])
        assert evaluate(kc, "'ran' in dir()") == "False"
        assert evaluate(kc, "6*7") == "42"
    finally:
        gate.open()
        stop_kernel(km, kc)


def test_interrupt_while_the_cell_compiles(kernel: Kernel) -> None:
    km, kc = kernel
    evaluate(kc, "1")  # IPython is loaded: the time goes into compiling the cell
    cell = "".join(f"a{i} = {i}\n" for i in range(60_000)) + "ran = True\n"
    msg_id = kc.execute(cell)
    _wait_iopub(kc, msg_id, "execute_input")
    km.interrupt_kernel()
    reply, _ = _interrupted(kc, msg_id)
    _no_kernel_frames(reply["traceback"])
    assert evaluate(kc, "'ran' in dir()") == "False"
    assert evaluate(kc, "'a0' in dir()") == "False"


def test_interrupt_reaches_an_execution_queued_behind_another_request(
    kernel: Kernel, tmp_path: Path
) -> None:
    """Ctrl-C while a comm handler keeps the kernel busy, with a cell waiting behind it."""
    km, kc = kernel
    waiting, release = tmp_path / "waiting", tmp_path / "release"
    # The handler says when the cell sent after it waits in the queue, then keeps the kernel
    # busy until the test has sent Ctrl-C (the signal is handled before it sees `release`).
    handler = "".join(f"    {line}\n" for line in UNTIL_A_REQUEST_WAITS.splitlines())
    setup = (
        "import comm, os\n"
        "def _slow_open(c, msg):\n"
        f"{handler}"
        f"    open({str(waiting)!r}, 'w').close()\n"
        f"    while not os.path.exists({str(release)!r}): time.sleep(0.01)\n"
        "comm.get_comm_manager().register_target('slow', _slow_open)\n"
    )
    assert shell_reply(kc, kc.execute(setup))["content"]["status"] == "ok"
    opening = kc.session.msg("comm_open", {"comm_id": "c1", "target_name": "slow", "data": {}})
    kc.shell_channel.send(opening)
    msg_id = kc.execute("queued_ran = True")
    wait_until(waiting.exists, 30, "the cell to wait behind the comm handler")
    km.interrupt_kernel()
    release.touch()
    _interrupted(kc, msg_id)
    assert evaluate(kc, "'queued_ran' in dir()") == "False"


@pytest.mark.parametrize("spec", [SIGNAL_SPEC, MESSAGE_SPEC])
def test_interrupt_while_idle_does_not_poison_the_next_cell(spec: str) -> None:
    km, kc = start_kernel(spec)
    try:
        evaluate(kc, "1")
        for _ in range(3):
            if spec == MESSAGE_SPEC:
                request = kc.session.msg("interrupt_request", {})
                kc.control_channel.send(request)
                assert kc.control_channel.get_msg(timeout=10)["content"]["status"] == "ok"
            else:
                os.kill(km.provisioner.process.pid, signal.SIGINT)  # type: ignore[union-attr]
                idle_signal_taken(kc)  # handled before the next cell is sent
        reply = shell_reply(kc, kc.execute("done = 'yes'"))["content"]
        assert reply["status"] == "ok", reply
        assert evaluate(kc, "done") == "'yes'"
    finally:
        stop_kernel(km, kc)


def test_keyboard_interrupt_shows_only_user_frames(kernel: Kernel) -> None:
    km, kc = kernel
    code = "def spin():\n    print('spinning', flush=True)\n    while True:\n        pass\nspin()"
    msg_id = kc.execute(code)
    _wait_iopub(kc, msg_id, "stream")  # into the loop
    km.interrupt_kernel()
    reply, outputs = _interrupted(kc, msg_id)
    shown = "\n".join(of_type(outputs, "error")[0]["content"]["traceback"])
    assert "spin" in shown  # the user's own frames are there
    _no_kernel_frames(reply["traceback"])


def test_ctrl_c_inside_print_shows_only_user_frames(kernel: Kernel) -> None:
    # The loop spends most of its time in the kernel's stream code (write, flush), so the
    # interrupt lands there: a first CI run showed streams.py and iopub.py frames.
    km, kc = kernel
    code = "def chatter():\n    while True:\n        print('x', end='', flush=True)\nchatter()"
    msg_id = kc.execute(code)
    _wait_iopub(kc, msg_id, "stream")
    _wait_iopub(kc, msg_id, "stream")  # well into the loop
    km.interrupt_kernel()
    reply, outputs = _interrupted(kc, msg_id)
    shown = "\n".join(of_type(outputs, "error")[0]["content"]["traceback"])
    assert "chatter" in shown
    _no_kernel_frames(reply["traceback"])


def _raised_in(filename: str, error: type[BaseException]) -> TracebackType:
    """A traceback from this test's frame into code compiled as if from `filename`."""
    try:
        exec(compile("raise error", filename, "exec"), {"error": error})
    except error as caught:
        assert caught.__traceback__ is not None
        return caught.__traceback__
    raise AssertionError("not raised")


def _files(tb: TracebackType | None) -> list[str]:
    files = []
    while tb is not None:
        files.append(os.path.basename(tb.tb_frame.f_code.co_filename))
        tb = tb.tb_next
    return files


def test_an_interrupt_loses_the_kernels_own_frames_and_nothing_else() -> None:
    in_kernel = str(Path(interrupts.__file__).with_name("streams.py"))
    tb = _raised_in(in_kernel, KeyboardInterrupt)
    assert _files(without_kernel_frames(tb, interrupted=True)) == ["test_interrupts.py"]
    # Any other error is the kernel's to report, so a bug in it stays visible.
    tb = _raised_in(in_kernel, ValueError)
    assert _files(without_kernel_frames(tb)) == ["test_interrupts.py", "streams.py"]
    # A user's file of the same name elsewhere is the user's.
    tb = _raised_in("/home/user/streams.py", KeyboardInterrupt)
    assert _files(without_kernel_frames(tb, interrupted=True)) == [
        "test_interrupts.py",
        "streams.py",
    ]


def _blocked_signals(status: str) -> int:
    for line in status.splitlines():
        if line.startswith("SigBlk:"):
            return int(line.split()[1], 16)
    raise AssertionError("no SigBlk line")


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux's /proc")
def test_only_the_main_thread_takes_the_kernels_signals(kernel: Kernel) -> None:
    # A SIGINT taken by another thread could not end the main thread's wait for an
    # input_reply: Ctrl-C during input() was lost about 1 run in 3 on a loaded machine.
    km, kc = kernel
    assert evaluate(kc, "6*7") == "42"  # the shell, and IPython's history thread, exist
    pid: int = km.provisioner.process.pid  # type: ignore[union-attr]
    wanted = (1 << (signal.SIGINT - 1)) | (1 << (signal.SIGTERM - 1))
    threads = {}
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/status", encoding="utf-8") as status:
            text = status.read()
        name = text.splitlines()[0].split(":", 1)[1].strip()
        threads[int(task), name] = _blocked_signals(text) & wanted
    assert len(threads) > 4, threads  # control, heartbeat, iopub, fd readers, zmq's own
    for (tid, name), blocked in threads.items():
        if tid == pid:
            assert blocked == 0, f"the main thread blocks {blocked:#x}"
        else:
            assert blocked == wanted, f"thread {name} ({tid}) may take SIGINT/SIGTERM"


_SIGNAL_FROM_A_USER_THREAD = """
import signal, threading
def relay():
    with open({fifo!r}) as go:
        go.read(1)
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)
threading.Thread(target=relay, daemon=True).start()
input('waiting: ')
"""


def test_ctrl_c_taken_by_a_user_thread_still_ends_input(kernel: Kernel, tmp_path: Path) -> None:
    # A thread that user code started does not block SIGINT. The signal it takes runs no
    # handler until the main thread runs Python again; input()'s wait must end for it, as it
    # must for a SIGINT that reaches the main thread a moment before the wait begins.
    _km, kc = kernel
    fifo = tmp_path / "go"
    os.mkfifo(fifo)
    msg_id = kc.execute(_SIGNAL_FROM_A_USER_THREAD.format(fifo=str(fifo)), allow_stdin=True)
    assert kc.get_stdin_msg(timeout=20)["msg_type"] == "input_request"
    with fifo.open("w") as go:
        go.write("!")
    try:
        _interrupted(kc, msg_id)
    except (TimeoutError, Empty):
        kc.input("")  # leave the shared kernel usable for the tests after this one
        raise
    assert evaluate(kc, "6*7") == "42"
