"""KernelManager against real kernel processes."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import stat
from pathlib import Path

import pytest

from carnet.client.channels import Pending
from carnet.client.kernelspec import KernelSpec
from carnet.client.lifecycle import KernelEvent
from carnet.client.manager import KernelManager
from carnet.errors import KernelDied, KernelError, KernelStartError
from carnet.protocol import Message
from tests.client.kernels import python_specs, tiny_spec
from tests.client.procs import NewChildren, children

BUSY_LOOP = "print('looping', flush=True)\nwhile True: pass"
SLEEP_LOOP = "import time\nprint('looping', flush=True)\nwhile True: time.sleep(0.01)"


async def started_looping(km: KernelManager, code: str) -> Pending:
    """Send code and return once it prints: the kernel is then surely running it."""
    looping = asyncio.Event()

    def on_iopub(msg: Message) -> None:
        if msg.msg_type == "stream" and "looping" in msg.content["text"]:
            looping.set()

    remove = km.client.on_iopub(on_iopub)
    try:
        pending = km.client.send_execute(code)
        await asyncio.wait_for(looping.wait(), 15)
        return pending
    finally:
        remove()


async def wait_for(condition: object, timeout: float = 15.0) -> None:
    assert callable(condition)
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@pytest.mark.parametrize("spec", python_specs(), ids=lambda s: s.name)
def test_full_lifecycle(
    spec: KernelSpec, tmp_path: Path, runtime_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spec = dataclasses.replace(spec, env={"CARNET_TEST_VAR": "${HOME}/from-spec"})

    async def main() -> None:
        km = KernelManager(spec, cwd=tmp_path, env={"EXTRA": "yes"}, echo_stderr=False)
        with caplog.at_level(logging.INFO, logger="carnet"):
            await km.start()
        assert f"Kernel started: {km.kernel_id}" in caplog.text
        assert km.connection_file == runtime_dir / f"kernel-{km.kernel_id}.json"
        assert stat.S_IMODE(km.connection_file.stat().st_mode) == 0o600
        names = "'CARNET_TEST_VAR', 'EXTRA', 'JPY_PARENT_PID'"
        expression = f"'|'.join([os.getcwd()] + [os.environ[n] for n in ({names})])"
        reply = await km.client.execute("import os", user_expressions={"v": expression}, timeout=10)
        value = reply.content["user_expressions"]["v"]["data"]["text/plain"]
        home = os.environ["HOME"]
        assert value == repr(f"{tmp_path}|{home}/from-spec|yes|{os.getpid()}")

        # Interrupt (SIGINT to the process group) stops a busy loop.
        pending = await started_looping(km, BUSY_LOOP)
        await km.interrupt()
        reply = await km.client.wait_reply(pending, timeout=10)
        assert reply.content["ename"] == "KeyboardInterrupt"

        # Restart keeps the ports and the connection file; the state is fresh.
        await km.client.execute("marker = 1", timeout=10)
        ports, old_pid = km.connection_info, km.process.pid if km.process else 0
        await km.restart()
        assert km.connection_info == ports and km.process and km.process.pid != old_pid
        assert km.connection_file.exists()
        reply = await km.client.execute("marker", timeout=10)
        assert reply.content["ename"] == "NameError"

        pid = km.process.pid
        await km.shutdown()
        assert km.state == "shutdown"
        assert not km.connection_file.exists()
        assert pid not in [p for p, _ in children()]

    asyncio.run(main())


@pytest.mark.parametrize("spec", python_specs(), ids=lambda s: s.name)
def test_interrupt_by_message(spec: KernelSpec) -> None:
    async def main() -> None:
        km = KernelManager(dataclasses.replace(spec, interrupt_mode="message"), echo_stderr=False)
        await km.start()
        try:
            pending = await started_looping(km, SLEEP_LOOP)
            await km.interrupt()
            reply = await km.client.wait_reply(pending, timeout=10)
            assert reply.content["ename"] == "KeyboardInterrupt"
        finally:
            await km.shutdown()

    asyncio.run(main())


def test_autorestart_is_bounded_and_notified() -> None:
    events: list[KernelEvent] = []

    async def main() -> None:
        km = KernelManager(tiny_spec(), max_restarts=2, echo_stderr=False)
        km.subscribe(events.append)
        await km.start()
        ports = km.connection_info
        for expected_count in (1, 2):
            assert km.process is not None
            os.kill(km.process.pid, signal.SIGKILL)
            await wait_for(lambda n=expected_count: km.restart_count == n and km.state == "running")
            assert km.connection_info == ports
            await km.client.kernel_info(timeout=5)
        assert km.process is not None
        os.kill(km.process.pid, signal.SIGKILL)
        await wait_for(lambda: km.state == "dead")
        with pytest.raises(KernelError):
            await km.interrupt()
        await km.shutdown()
        assert not km.connection_file.exists()

    asyncio.run(main())
    statuses = [e.status for e in events]
    cycle = ["autorestarting", "starting", "running"]
    assert statuses == ["starting", "running", *cycle, *cycle, "dead", "shutdown"]
    assert [e.restart_count for e in events if e.status == "autorestarting"] == [1, 2]


def test_kernel_that_dies_while_starting_reports_its_stderr(
    runtime_dir: Path, new_children: NewChildren
) -> None:
    async def main() -> None:
        km = KernelManager(tiny_spec("crash"), echo_stderr=False)
        with pytest.raises(KernelDied, match="crashing on purpose"):
            await km.start()
        assert km.state == "dead"
        assert not km.connection_file.exists()

    asyncio.run(main())
    assert new_children() == []


def test_kernel_that_never_answers_times_out(new_children: NewChildren) -> None:
    async def main() -> None:
        km = KernelManager(tiny_spec("mute"), startup_timeout=3.0, echo_stderr=False)
        with pytest.raises(KernelStartError, match="did not answer kernel_info within 3s") as info:
            await km.start()
        assert "tiny kernel: muted, will not answer" in str(info.value)  # its stderr tail
        # What came back: nothing on shell, yet the heartbeat echoes, so the process runs
        # and has bound its ports.
        assert "0 messages on shell" in str(info.value)
        assert "its heartbeat answered" in str(info.value)
        assert not km.connection_file.exists()

    asyncio.run(main())
    assert new_children() == []


async def _answers_then_shuts_down(km: KernelManager) -> None:
    """A tiny kernel that started: running, answering kernel_info, then shut down."""
    try:
        assert km.state == "running"
        reply = await km.client.kernel_info(timeout=10)
        assert reply.content["implementation"] == "tiny"
    finally:
        await km.shutdown()


def test_a_lost_kernel_info_request_is_asked_again(new_children: NewChildren) -> None:
    """The first request can go down a connection that then breaks (the port was another
    process's a moment before): the start asks again instead of waiting out its timeout."""

    async def main() -> None:
        # Without asking again, the start would wait out its timeout and fail.
        km = KernelManager(tiny_spec("drop-first"), startup_timeout=30.0, echo_stderr=False)
        await km.start()
        await _answers_then_shuts_down(km)

    asyncio.run(main())
    assert new_children() == []


def test_a_kernel_deaf_on_one_connection_is_asked_over_new_ones(
    new_children: NewChildren, caplog: pytest.LogCaptureFixture
) -> None:
    """A connection can carry nothing at all while the kernel runs and answers others:
    asking again over it would wait out the timeout, so the start reconnects."""

    async def main() -> None:
        km = KernelManager(
            tiny_spec("deaf-first-connection"), startup_timeout=60.0, echo_stderr=False
        )
        with caplog.at_level(logging.WARNING, logger="carnet.client"):
            await km.start()
        await _answers_then_shuts_down(km)
        assert "over 2 connections (it had sent 0 messages on shell" in caplog.text

    asyncio.run(main())
    assert new_children() == []


# ipykernel exits when it cannot bind its shell port, but hangs when it cannot bind its
# iopub port: it must not be waited for until the start timeout.
@pytest.mark.parametrize("channel", ["shell", "iopub"])
@pytest.mark.parametrize("spec", python_specs(), ids=lambda s: s.name)
def test_a_port_taken_before_the_kernel_binds_it_means_other_ports(
    spec: KernelSpec,
    channel: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    new_children: NewChildren,
) -> None:
    """Ports are chosen free, but another process may take one before the kernel binds it."""
    import socket

    from carnet.client import manager as manager_module

    taker = socket.socket()
    taker.bind(("127.0.0.1", 0))
    taker.listen()
    taken = taker.getsockname()[1]
    chosen = manager_module.new_connection_info
    calls = []

    def first_one_taken(**kwargs: object) -> object:
        info = chosen(**kwargs)  # type: ignore[arg-type]
        calls.append(info)
        return dataclasses.replace(info, **{f"{channel}_port": taken}) if len(calls) == 1 else info

    monkeypatch.setattr(manager_module, "new_connection_info", first_one_taken)

    async def main() -> None:
        km = KernelManager(spec, echo_stderr=False)
        await km.start()
        try:
            assert km.connection_info is not None
            assert km.connection_info.port(channel) != taken
            await km.client.kernel_info(timeout=10)
        finally:
            await km.shutdown()

    try:
        with caplog.at_level(logging.WARNING, logger="carnet"):
            asyncio.run(main())
    finally:
        taker.close()
    assert len(calls) == 2
    assert "a port was taken" in caplog.text
    assert new_children() == []


def test_missing_program_is_a_start_error() -> None:
    spec = KernelSpec("nope", ["/nonexistent/kernel", "{connection_file}"], "Nope", "none")

    async def main() -> None:
        with pytest.raises(KernelStartError, match="/nonexistent/kernel"):
            await KernelManager(spec).start()

    asyncio.run(main())


def test_ipc_transport_and_port_range(runtime_dir: Path) -> None:
    async def main() -> None:
        km = KernelManager(tiny_spec(), transport="ipc", echo_stderr=False)
        await km.start()
        info = km.connection_info
        assert info is not None and info.transport == "ipc"
        sockets = [Path(f"{info.ip}-{info.port(c)}") for c in ("shell", "iopub", "hb")]
        assert all(p.exists() for p in sockets)
        await km.client.kernel_info(timeout=5)
        await km.shutdown()
        assert not any(p.exists() for p in sockets)

        km = KernelManager(tiny_spec(), port_range=(42000, 42999), echo_stderr=False)
        await km.start()
        assert km.connection_info is not None
        ports = [km.connection_info.port(c) for c in ("shell", "iopub", "stdin", "control", "hb")]
        assert all(42000 <= p <= 42999 for p in ports) and len(set(ports)) == 5
        await km.shutdown()

    asyncio.run(main())


def test_heartbeat_watch_notices_a_frozen_kernel() -> None:
    async def main() -> None:
        km = KernelManager(tiny_spec(), heartbeat_interval=0.2, echo_stderr=False)
        await km.start()
        assert km.process is not None
        try:
            assert km.responsive
            km.process.send_signal(signal.SIGSTOP, group=False)
            await wait_for(lambda: not km.responsive, timeout=5)
            km.process.send_signal(signal.SIGCONT, group=False)
            await wait_for(lambda: km.responsive, timeout=5)
            assert km.state == "running"
        finally:
            await km.shutdown()

    asyncio.run(main())
