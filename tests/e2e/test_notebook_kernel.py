"""Kernel control from the notebook page: interrupt, restart, change kernel, completion, help."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import cell, code, edit_cell, expect, open_notebook, write_notebook
from tests.server.conftest import RunningServer

# @codemirror/autocomplete's default interactionDelay.
CM_INTERACTION_DELAY_MS = 75


def _confirm(page: Any) -> None:
    page.locator(".modal .btn-primary").click()
    page.wait_for_selector(".modal-backdrop", state="detached")


def test_running_loop_is_interrupted(page: Any, server: RunningServer) -> None:
    loop = code(
        "import time", "print('started', flush=True)", "for i in range(600):", "    time.sleep(0.1)"
    )
    open_notebook(page, server, write_notebook(server, "loop.ipynb", [loop, code("'after'")]))
    page.keyboard.press("Control+Enter")
    # An interrupt that lands before the code runs is ignored by kernels (as in ipykernel).
    page.wait_for_selector(".stream-text:has-text('started')")
    assert page.get_attribute(".kernel_indicator", "data-status") == "busy"
    assert cell(page, 0).locator(".input-prompt").inner_text() == "In [*]:"
    page.keyboard.press("i")
    page.keyboard.press("i")
    page.wait_for_selector(".traceback-text:has-text('KeyboardInterrupt')", timeout=10_000)
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    # The cell finishes when its reply comes too, which may follow the kernel's idle.
    expect(cell(page, 0).locator(".input-prompt")).to_have_text("In [1]:")


def test_restart_clears_kernel_state(page: Any, server: RunningServer) -> None:
    cells = [code("secret = 41"), code("secret + 1")]
    open_notebook(page, server, write_notebook(server, "restart.ipynb", cells))
    page.keyboard.press("Shift+Enter")
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".output-execute-result:has-text('42')")
    page.keyboard.press("Escape")
    page.keyboard.press("0")
    page.keyboard.press("0")
    _confirm(page)
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    page.keyboard.press("k")
    edit_cell(page, 1, "secret + 1")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".traceback-text:has-text('NameError')")
    expect(cell(page, 1).locator(".input-prompt")).to_have_text("In [1]:")  # after the outputs


def test_restart_and_clear_output_from_menu(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "clear.ipynb", [code("print('x')")]))
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".stream-text:has-text('x')")
    page.click("#menubar [data-menu=kernel]")
    page.click("li[data-action=restart-clear]")
    _confirm(page)
    page.wait_for_selector(".stream-text", state="detached")
    expect(cell(page, 0).locator(".input-prompt")).to_have_text("In [ ]:")


def test_tab_completion_and_shift_tab_help(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "complete.ipynb", [code("")]))
    edit_cell(page, 0, "import collections\ncollections.Ordered")
    page.keyboard.press("Tab")
    page.wait_for_selector(".cm-tooltip-autocomplete :text('OrderedDict')")
    # CodeMirror ignores keys for 75 ms after the list opens (its interactionDelay), so
    # that fast typists do not pick by accident: an Enter sooner would be a new line. The
    # list opened before `shown` (by the page's clock): Enter is taken 75 ms after it.
    shown = page.evaluate("Date.now()")
    page.wait_for_function(f"Date.now() - {shown} > {CM_INTERACTION_DELAY_MS}")
    page.keyboard.press("Enter")
    editor = cell(page, 0).locator(".cm-content")
    assert "collections.OrderedDict" in editor.inner_text()
    # Shift-Tab asks the kernel about the name before the cursor.
    edit_cell(page, 0, "len")
    page.keyboard.press("Shift+Tab")
    tooltip = page.wait_for_selector(".inspect-tooltip")
    assert "number of items" in tooltip.inner_text()


def test_completion_and_help_count_code_points_after_an_emoji(
    page: Any, server: RunningServer
) -> None:
    # The protocol counts cursor positions in code points, CodeMirror in UTF-16 units: the
    # emoji is one of the first and two of the second, so an unconverted offset is off by one.
    from playwright.sync_api import expect

    open_notebook(page, server, write_notebook(server, "emoji.ipynb", [code("")]))
    editor = cell(page, 0).locator(".cm-content")
    edit_cell(page, 0, "x = '😀'; pri")
    page.keyboard.press("Tab")
    page.locator(".cm-tooltip-autocomplete li", has_text="print").first.click()
    expect(editor).to_have_text("x = '😀'; print")
    # Shift-Tab on `len`, with three emoji before it: sent as UTF-16, the cursor would be
    # three places further, in `hex`.
    edit_cell(page, 0, "x = '😀😀😀'; len; hex")
    for _ in "; hex":
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Shift+Tab")
    tooltip = page.wait_for_selector(".inspect-tooltip")
    assert "number of items" in tooltip.inner_text()


def test_change_kernel(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "change.ipynb", [code("value = 1"), code("value")])
    open_notebook(page, server, path)
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".input-prompt:text('In [1]:')")
    assert page.inner_text("#kernel_name") != "Other Python"
    page.click("#menubar [data-menu=kernel]")
    page.click("li[data-action=change-kernel]")
    page.select_option(".modal select", "other-python")
    _confirm(page)
    page.wait_for_selector("#kernel_name:text('Other Python')")
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    with server.client() as client:
        sessions = client.get("api/sessions").json()
    assert [s["kernel"]["name"] for s in sessions if s["path"] == path] == ["other-python"]
    # A new kernel process: the old state is gone.
    page.keyboard.press("j")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".traceback-text:has-text('NameError')")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "!document.querySelector('#dirty-indicator').classList.contains('dirty')"
    )
    saved = json.loads((server.root_dir / path).read_text())
    assert saved["metadata"]["kernelspec"]["name"] == "other-python"
