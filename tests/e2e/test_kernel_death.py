"""A kernel that dies on its own: the page says why, the kernel comes back, outputs stay;
and a cell that finishes after its page was closed has its outputs on reopening."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import code, open_notebook, write_notebook
from tests.e2e.runs import finished_unwritten, gated, no_page_connected, written
from tests.server.conftest import RunningServer
from tests.support.waiting import wait_until


def test_killed_kernel_is_explained_and_restarted(page: Any, server: RunningServer) -> None:
    cells = [code("print('kept output')"), code("import os, signal", "os.kill(os.getpid(), 9)")]
    open_notebook(page, server, write_notebook(server, "dies.ipynb", cells))
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".stream-text:has-text('kept output')")
    page.keyboard.press("Shift+Enter")
    notice = page.locator(".notification.error:has-text('The kernel died')")
    notice.wait_for(timeout=20_000)
    assert "out-of-memory" in notice.inner_text()
    page.wait_for_selector(".kernel_indicator[data-status=idle]", timeout=30_000)
    # The page keeps what it showed, and the new kernel runs code.
    assert page.locator(".stream-text:has-text('kept output')").count() == 1
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.type("6 * 7")
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".output-execute-result:has-text('42')", timeout=20_000)


def run_then_close(context: Any, server: RunningServer, path: str) -> None:
    """Runs the first cell in a tab, closed as soon as the cell has printed 'begun'."""
    first = context.new_page()
    open_notebook(first, server, path)
    first.keyboard.press("Shift+Enter")
    first.wait_for_selector(".stream-text:has-text('begun')")
    first.close(run_before_unload=False)  # closed while the cell still runs


def test_output_of_a_cell_finishing_after_the_tab_closed_is_there_on_reopen(
    context: Any, server: RunningServer
) -> None:
    gate = server.root_dir / "closed-tab.gate"
    slow = code(gated(str(gate), "print('begun', flush=True)"), "print('finished')")
    path = write_notebook(server, "closed-tab.ipynb", [slow])
    run_then_close(context, server, path)
    wait_until(lambda: no_page_connected(server, path), 30, "the server to see the tab closed")
    gate.touch()  # the cell finishes with no tab open
    wait_until(
        lambda: finished_unwritten(server, path) or written(server, path),
        30,
        "the cell to finish with its tab closed",
    )
    again = context.new_page()
    try:
        open_notebook(again, server, path)
        again.wait_for_selector(".stream-text:has-text('finished')", timeout=10_000)
        assert "begun" in again.locator(".stream-text").first.inner_text()
    finally:
        again.close()


def test_a_run_written_while_the_reopened_page_attaches_is_shown_and_saved_cleanly(
    context: Any, server: RunningServer
) -> None:
    """The page loads the file just before the server writes the finished run into it, and
    adopts too late to get the run: it takes the file as it now is (it was not edited)."""
    gate = server.root_dir / "written-meanwhile.gate"
    slow = code(gated(str(gate), "print('begun', flush=True)"), "print('finished')")
    path = write_notebook(server, "written-meanwhile.ipynb", [slow])
    run_then_close(context, server, path)
    wait_until(lambda: no_page_connected(server, path), 30, "the server to see the tab closed")
    gate.touch()  # the cell finishes with no tab open
    # Finished; the server writes it WRITE_DELAY later.
    wait_until(lambda: finished_unwritten(server, path), 30, "the cell to finish, unwritten")
    again = context.new_page()
    held: list[Any] = []
    again.route("**/runs/adopt", lambda route: held.append(route))
    try:
        open_notebook(again, server, path)
        # Loaded before the write: the cell has nothing yet.
        assert again.locator(".stream-text:has-text('finished')").count() == 0
        wait_until(lambda: written(server, path), 20, "the server to write the run")
        while not held:
            again.wait_for_timeout(50)
        for route in held:
            route.continue_()
        again.wait_for_selector(".stream-text:has-text('finished')", timeout=10_000)
        # The page's copy is the file's: saving raises no "changed on disk".
        again.keyboard.press("Escape")
        again.keyboard.press("Control+s")
        again.wait_for_function(
            "() => document.querySelector('.modal') || document.getElementById"
            "('notification-area')?.textContent.includes('Checkpoint created')"
        )
        assert again.locator(".modal").count() == 0
    finally:
        again.close()
