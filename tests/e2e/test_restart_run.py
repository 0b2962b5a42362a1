"""A cell run while the page reconnects after a quick server restart is not lost (issue 12
item 3): the server is stopped and started again on the same port within a second, and the
very next Shift+Enter runs on the new kernel once the page has it (it was dropped silently:
the prompt stayed `In [ ]`). A run while the kernel is gone (shut down elsewhere) likewise
runs once Restart starts a new one. This module's server is restarted (last), so it has its
own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import (
    cell,
    code,
    edit_cell,
    expect,
    open_notebook,
    restartable_server,
    write_notebook,
)
from tests.server.conftest import RunningServer, launch


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server on a fixed port with a fixed token, so it can be started again."""
    yield from restartable_server(tmp_path_factory, "restart-run")


@pytest.fixture(autouse=True)
def _no_leftover_sessions() -> None:
    """The test stops its servers itself, and their kernels with them."""


def test_a_cell_run_while_the_kernel_is_gone_runs_on_the_one_restart_starts(
    page: Any, server: RunningServer
) -> None:
    """Shut down elsewhere: the page says the kernel died; a run waits (In [*]) for Restart."""
    path = write_notebook(server, "gone.ipynb", [code("x = 1"), code("x")])
    open_notebook(page, server, path)
    page.keyboard.press("Shift+Enter")
    cell(page, 0).locator(".input-prompt:has-text('[1]')").wait_for()
    with server.client() as client:
        (session,) = client.get("api/sessions").json()
        assert client.delete(f"api/kernels/{session['kernel']['id']}").status_code == 204
    page.wait_for_selector(".kernel_indicator[data-status=dead]")
    page.keyboard.press("Shift+Enter")
    expect(cell(page, 1).locator(".input-prompt")).to_have_text("In [*]:")
    page.click("#menubar [data-menu=kernel]")
    page.click("li[data-action=restart]")
    page.locator(".modal .btn-primary").click()
    cell(page, 1).locator(".traceback-text:has-text('NameError')").wait_for()  # a new kernel
    expect(cell(page, 1).locator(".input-prompt")).to_have_text("In [1]:")
    with server.client() as client:
        for session in client.get("api/sessions").json():
            client.delete(f"api/sessions/{session['id']}")


def test_a_cell_run_right_after_a_quick_server_restart_runs(
    page: Any, server: RunningServer
) -> None:
    path = write_notebook(server, "quick.ipynb", [code("x = 1"), code("")])
    open_notebook(page, server, path)
    page.keyboard.press("Shift+Enter")
    cell(page, 0).locator(".input-prompt:has-text('[1]')").wait_for()

    server.stop()
    stopped = time.monotonic()
    again = launch(server.dirs, f"--port={server.port}", token=server.token)
    try:
        print(f"server back {time.monotonic() - stopped:.1f} s after it was stopped")
        edit_cell(page, 1, "6 * 7")
        page.keyboard.press("Shift+Enter")
        result = cell(page, 1).locator(".output-execute-result .output-body")
        result.wait_for()
        assert result.inner_text().strip() == "42"
        expect(cell(page, 1).locator(".input-prompt")).to_have_text("In [1]:")  # a new kernel
        page.wait_for_selector(".notification:has-text('the kernel was lost')")
        assert page.locator("#notebook-container > .cell.running").count() == 0
    finally:
        again.stop()
