"""The page survives a server restart (issue 7): the server is killed while a cell prints,
the page shows that it is reconnecting (saves fail with a clear notice and the page stays
unsaved), the server is started again on the same port with the same token, and the page
comes back by itself: its login still holds (the cookie secret persists), a new kernel
replaces the one that died with the old server, the user is told, the outputs already on
the page stay, and cells run and save again. Also the two cases that must not start a
new kernel: a kernel shut down on a running server, and a network drop (the same kernel;
the server replays what the page missed). The restart test kills this module's server,
so it comes last."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.client.procs import children
from tests.e2e.conftest import (
    cell,
    clean,
    code,
    edit_cell,
    restartable_server,
    screenshot,
    write_notebook,
)
from tests.e2e.runs import lines_printed
from tests.server.conftest import RunningServer, launch
from tests.support.dropproxy import DroppingProxy
from tests.support.waiting import wait_until

PRINTING = code(
    "import time",
    "for i in range(600):",
    "    print(f'line {i}', flush=True)",
    "    time.sleep(0.1)",
)
STDOUT = """() => window.carnet.notebook.model.cells[0].outputs.outputs
  .map(o => o.output_type === 'stream' ? o.text : '<' + o.output_type + '>').join('')"""
# The parent watch polls every 0.5 s; generous for a loaded machine.
KERNEL_EXIT_BOUND = 15.0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """This module's own server, on a fixed port with a fixed token, so it can be restarted."""
    yield from restartable_server(tmp_path_factory, "restart")


@pytest.fixture(autouse=True)
def _no_leftover_sessions() -> None:
    """The test stops its servers itself, and their kernels with them."""


def kernel_children(pid: int) -> list[int]:
    """The kernel processes a server started (its children running a kernel)."""
    found = []
    for child, _ in children(pid):
        try:
            command = (Path("/proc") / str(child) / "cmdline").read_bytes()
        except OSError:
            continue
        if b"kernel" in command:
            found.append(child)
    return found


def running(pid: int) -> bool:
    """Whether a process still runs (a zombie waiting for its reaper does not)."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_kernel_shut_down_elsewhere_is_dead_until_restart_starts_a_new_one(
    page: Any, server: RunningServer
) -> None:
    """Not a restart (the same server answers): no new kernel behind the user's back."""
    path = write_notebook(server, "shut-down.ipynb", [code("x = 41"), code("x + 1")])
    page.goto(server.url + f"notebooks/{path}")
    page.wait_for_selector(".kernel_indicator[data-status=idle]", timeout=20_000)
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector("#notebook-container > .cell:first-child .input-prompt:has-text('[1]')")
    with server.client() as client:
        (session,) = client.get("api/sessions").json()
        assert client.delete(f"api/kernels/{session['kernel']['id']}").status_code == 204
    page.wait_for_selector(".kernel_indicator[data-status=dead]")
    page.wait_for_selector(".notification:has-text('Use Kernel > Restart')")
    assert page.locator("#reconnecting-note").count() == 0
    with server.client() as client:
        assert client.get("api/kernels").json() == []
    page.click("#menubar [data-menu=kernel]")
    page.click("li[data-action=restart]")
    page.locator(".modal .btn-primary").click()
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".traceback-text:has-text('NameError')")  # a new kernel: no x
    clean(server)


def test_a_network_drop_keeps_the_kernel_and_the_server_replays_what_was_missed(
    page: Any, server: RunningServer
) -> None:
    """Not a restart either: the same kernel, every line once and in order, nobody told."""
    stop = server.root_dir / "drop.stop"
    # One line every 50 ms until the test has seen what it checks, however slow the machine.
    counting = code(
        "import os, time",
        "i = 0",
        f"while not os.path.exists({str(stop)!r}):",
        "    print(f'line {i}', flush=True)",
        "    i += 1",
        "    time.sleep(0.05)",
    )
    path = write_notebook(server, "drop.ipynb", [counting])
    proxy = DroppingProxy(server.port)
    try:
        page.goto(f"http://127.0.0.1:{proxy.port}/notebooks/{path}")
        page.wait_for_selector(".kernel_indicator[data-status=idle]", timeout=20_000)
        with server.client() as client:
            (before,) = client.get("api/sessions").json()
        page.keyboard.press("Shift+Enter")
        page.wait_for_selector(".stream-text:has-text('line 5')")
        # Lines the server writes from now on are lost on the way, as bytes in flight are
        # when a network drops: the server counts them sent, the page never gets them.
        proxy.swallow()
        shown = page.evaluate(STDOUT).count("\n")
        wait_until(
            lambda: proxy.swallowed > 0 and lines_printed(server, path) >= shown + 5,
            30,
            "lines written by the server and lost on the way",
        )
        proxy.drop()
        page.wait_for_selector(".kernel_indicator[data-status=reconnecting]")
        shown = page.evaluate(STDOUT).count("\n")
        # The kernel prints on while the page is cut off.
        wait_until(
            lambda: lines_printed(server, path) >= shown + 10,
            30,
            "10 more lines printed while the page is cut off",
        )
        cut_off = page.evaluate(STDOUT)
        printed = lines_printed(server, path)
        proxy.restore()
        # Back: what was printed while it was away reaches the page (the reconnecting note
        # stays while the cell runs: the page's kernel_info waits behind it).
        page.wait_for_function(f"({STDOUT})().split('\\n').length > {printed}")
        stop.touch()
        page.wait_for_selector("#reconnecting-note", state="detached")
        page.wait_for_selector("#notebook-container > .cell:not(.running)", timeout=30_000)
        shown = page.evaluate(STDOUT).count("\n")
        assert page.evaluate(STDOUT) == "".join(f"line {i}\n" for i in range(shown))
        assert shown >= printed, "lines printed while the page was cut off are missing"
        assert cut_off.count("\n") + 10 <= printed
        with server.client() as client:
            (after,) = client.get("api/sessions").json()
        assert after["kernel"]["id"] == before["kernel"]["id"]
        assert page.locator(".notification:has-text('the kernel was lost')").count() == 0
    finally:
        proxy.close()
        clean(server)  # even after a failure: the next test counts the server's kernels


def test_the_page_comes_back_with_a_new_kernel_after_a_server_restart(
    page: Any, server: RunningServer
) -> None:
    path = write_notebook(server, "restart.ipynb", [PRINTING, code("")])
    page.goto(server.url + f"notebooks/{path}")
    page.wait_for_selector(".kernel_indicator[data-status=idle]", timeout=20_000)
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".stream-text:has-text('line 5')")
    kernels = kernel_children(server.process.pid)
    assert len(kernels) == 1, kernels

    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait(10)
    killed = time.monotonic()
    page.wait_for_selector(".kernel_indicator[data-status=reconnecting]")
    page.wait_for_selector("#reconnecting-note:has-text('reconnecting')")
    assert page.locator(".kernel_indicator").get_attribute("title") == "Reconnecting"
    # An edit while the server is away: the save fails, says why, and the page stays unsaved.
    edit_cell(page, 1, "1+1")
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")
    page.wait_for_selector(".notification.error:has-text('The server cannot be reached')")
    assert page.evaluate("() => window.carnet.notebook.model.dirty")
    assert page.locator("#dirty-indicator").inner_text() == "(unsaved changes)"
    screenshot(page, "server-restart-reconnecting")
    while any(running(pid) for pid in kernels):
        assert time.monotonic() - killed < KERNEL_EXIT_BOUND, "the kernel outlived its server"
        time.sleep(0.1)
    print(f"kernel gone {time.monotonic() - killed:.1f} s after its server was killed")
    printed = page.evaluate("() => window.carnet.notebook.model.cells[0].outputs.outputs.length")

    again = launch(server.dirs, f"--port={server.port}", token=server.token)
    try:
        started = time.monotonic()
        page.wait_for_selector(".notification:has-text('the kernel was lost')")
        page.wait_for_selector(".kernel_indicator[data-status=idle]")
        print(f"page idle on a new kernel {time.monotonic() - started:.1f} s after the restart")
        assert page.locator("#reconnecting-note").count() == 0
        # What the first kernel printed stays; the cell it was running is not running.
        first = cell(page, 0)
        assert "line 5" in first.locator(".stream-text").inner_text()
        assert page.evaluate("() => window.carnet.notebook.model.cells[0].state") == "idle"
        assert page.locator("#notebook-container > .cell.running").count() == 0
        assert printed >= 1
        with again.client() as client:
            sessions = client.get("api/sessions").json()
        assert [s["path"] for s in sessions] == [path]
        screenshot(page, "server-restart-recovered")

        cell(page, 1).click()
        page.keyboard.press("Escape")
        page.keyboard.press("Shift+Enter")
        result = cell(page, 1).locator(".output-execute-result")
        result.wait_for()
        assert result.locator(".output-body").inner_text().strip() == "2"
        assert result.locator(".output-prompt").inner_text() == "Out[1]:"  # a new kernel
        page.keyboard.press("Control+s")
        page.wait_for_function("() => !window.carnet.notebook.model.dirty")
        assert (again.root_dir / path).read_text().count('"1+1"') == 1

        # Back with another token: the page's login no longer holds, and it says so.
        again.stop()
        other = launch(server.dirs, f"--port={server.port}", token="another-" + server.token)
        try:
            page.wait_for_selector(".notification:has-text('no longer accepts this page')")
            assert page.locator(".kernel_indicator").get_attribute("data-status") == "reconnecting"
        finally:
            other.stop()
    finally:
        again.stop()
