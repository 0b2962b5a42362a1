"""KernelHub on a real kernel: who gets which message, and what a dropped page gets back."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from carnet.client.multi import ManagedKernel, MultiKernelManager
from carnet.protocol import Message, PackedMessage, Session
from carnet.server.kernels.hub import KernelHub
from carnet.server.kernels.replay import SentRing
from tests.client.kernels import carnet_kernel_spec


@pytest.fixture(autouse=True)
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "runtime"
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(directory))
    return directory


class Page:
    """A websocket as the hub sees it (hub.Connection): records what it is given, decoded
    (what a browser reads), and that it came packed as the kernel wrote it."""

    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        self.got: list[tuple[str, Message]] = []
        self.closed = False
        self.sent = SentRing()

    def deliver(self, channel: str, msg: PackedMessage) -> None:
        assert isinstance(msg, PackedMessage)
        self.got.append((channel, msg.decode()))

    def close(self) -> None:
        self.closed = True

    def replies_to(self, request: Message) -> list[Message]:
        return [m for c, m in self.got if c == "shell" and m.parent_msg_id == request.msg_id]

    def stdout(self) -> str:
        return "".join(m.content["text"] for c, m in self.got if m.msg_type == "stream")

    def idle_after(self, request: Message) -> bool:
        return any(
            c == "iopub"
            and m.msg_type == "status"
            and m.parent_msg_id == request.msg_id
            and m.content.get("execution_state") == "idle"
            for c, m in self.got
        )


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


def execute(session: Session, code: str, allow_stdin: bool = False) -> Message:
    content = {"code": code, "silent": False, "allow_stdin": allow_stdin, "stop_on_error": True}
    return session.msg("execute_request", content)


def run_with_kernel(test: Callable[[ManagedKernel, KernelHub], object]) -> None:
    async def main() -> None:
        kernels = MultiKernelManager(
            default_kernel_name="carnet", spec_lookup=lambda _: carnet_kernel_spec()
        )
        kernel_id = await kernels.start_kernel()
        kernel = kernels.get(kernel_id)
        hub = KernelHub(kernel)
        try:
            await test(kernel, hub)  # type: ignore[misc]
        finally:
            hub.close()
            await kernels.shutdown_all()

    asyncio.run(main())


def test_replies_go_to_their_sender_and_iopub_to_every_page() -> None:
    async def test(kernel: ManagedKernel, hub: KernelHub) -> None:
        a, b, a_again = Page("a"), Page("b"), Page("a")
        for page in (a, b, a_again):
            hub.attach(page)
        assert hub.connection_count == 3 and kernel.connections == 3
        request = execute(Session(), "print('hello')")
        hub.send(a, "shell", request)
        await until(lambda: b.idle_after(request) and len(a.replies_to(request)) == 1)
        assert len(a_again.replies_to(request)) == 1  # the same session's other socket
        assert b.replies_to(request) == []
        assert b.stdout() == "hello\n"

    run_with_kernel(test)


def test_a_dropped_session_gets_what_it_missed_when_it_comes_back() -> None:
    async def test(kernel: ManagedKernel, hub: KernelHub) -> None:
        sender, watcher = Page("s"), Page("w")
        hub.attach(sender)
        hub.attach(watcher)
        hub.detach(watcher)
        assert not hub.is_connected("w") and kernel.connections == 1
        request = execute(Session(), "print('while away')")
        hub.send(sender, "shell", request)
        await until(lambda: sender.idle_after(request))
        back = Page("w")
        replayed = hub.attach(back)
        assert replayed > 0 and back.idle_after(request)
        assert back.stdout() == "while away\n"
        # The reply of a request whose page dropped waits for it too.
        request = execute(Session(), "1")
        hub.send(back, "shell", request)
        hub.detach(back)
        again = Page("w")
        await until(lambda: sender.idle_after(request))
        hub.attach(again)  # replayed, or delivered if it comes later
        await until(lambda: len(again.replies_to(request)) == 1)

    run_with_kernel(test)


def test_input_goes_to_the_asking_page_and_is_handed_over_to_an_adopting_one() -> None:
    async def test(kernel: ManagedKernel, hub: KernelHub) -> None:
        asker, adopter = Page("asker"), Page("adopter")
        hub.attach(asker)
        session = Session()
        request = execute(session, "print('got', input('name? '))", allow_stdin=True)
        hub.send(asker, "shell", request)
        await until(lambda: any(c == "stdin" for c, _ in asker.got))
        hub.detach(asker)  # the tab closed while the prompt waited
        hub.attach(adopter)
        assert not any(c == "stdin" for c, _ in adopter.got)
        hub.hand_over([request.msg_id], "adopter")
        prompts = [m for c, m in adopter.got if c == "stdin"]
        assert [m.content["prompt"] for m in prompts] == ["name? "]
        hub.send(adopter, "stdin", session.msg("input_reply", {"value": "Ada"}, prompts[0]))
        await until(lambda: len(adopter.replies_to(request)) == 1)
        await until(lambda: adopter.idle_after(request))
        assert adopter.stdout() == "got Ada\n"

    run_with_kernel(test)


def test_close_closes_every_page() -> None:
    async def test(kernel: ManagedKernel, hub: KernelHub) -> None:
        pages = [Page("a"), Page("b")]
        for page in pages:
            hub.attach(page)
        hub.close()
        assert all(page.closed for page in pages)

    run_with_kernel(test)
