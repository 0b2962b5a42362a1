"""The server owns the running document: a tab closed while a cell prints, then reopened
mid-run, shows all of the cell's output (what was printed while no tab was open, then
the rest as it comes), in order and once, and saves it without any "changed on disk"."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import cell, code, expect, screenshot, write_notebook
from tests.e2e.runs import lines_printed
from tests.server.conftest import RunningServer
from tests.support.waiting import wait_until

LINES = 200  # one every 50 ms
GATE_AFTER = 40  # then the cell waits for the test's gate (its path replaces GATE)
COUNTING = (
    "import os, time",
    f"for i in range({LINES}):",
    "    print(f'line {i}', flush=True)",
    f"    while i == {GATE_AFTER} and not os.path.exists(GATE): time.sleep(0.02)",
    "    time.sleep(0.05)",
)
EXPECTED = "".join(f"line {i}\n" for i in range(LINES))
STDOUT = """() => window.carnet.notebook.model.cells[0].outputs.outputs
  .map(o => o.output_type === 'stream' ? o.text : '<' + o.output_type + '>').join('')"""


def test_a_reopened_tab_shows_a_running_cell_whole_and_saves_it(
    context: Any, server: RunningServer
) -> None:
    gate = server.root_dir / "reattach.gate"
    path = write_notebook(server, "reattach.ipynb", [code(f"GATE = {str(gate)!r}", *COUNTING)])
    first = context.new_page()
    first.goto(server.url + f"notebooks/{path}")
    first.wait_for_selector(".kernel_indicator[data-status=idle]", timeout=20_000)
    first.keyboard.press("Shift+Enter")
    first.wait_for_selector(".stream-text:has-text('line 5')")
    first.close(run_before_unload=False)  # closed while the cell prints
    # Lines printed with no tab open (the test below needs 20 shown).
    wait_until(lambda: lines_printed(server, path) >= 30, 30, "30 lines printed with no tab")

    again = context.new_page()
    errors: list[str] = []
    again.on("pageerror", lambda error: errors.append(str(error)))
    try:
        again.goto(server.url + f"notebooks/{path}")
        running = cell(again, 0)
        again.wait_for_selector("#notebook-container > .cell.running .stream-text")
        assert running.locator(".input-prompt").inner_text() == "In [*]:"
        shown = again.evaluate(STDOUT)
        assert EXPECTED.startswith(shown)
        # The first tab saw about 6 lines: the rest were printed while no tab was open.
        assert shown.count("\n") >= 20, "the lines printed while no tab was open are shown"
        assert shown != EXPECTED, "reopened after the cell ended: the test proves nothing"
        screenshot(again, "reattach-running")
        gate.touch()

        again.wait_for_selector("#notebook-container > .cell:not(.running)", timeout=60_000)
        assert again.evaluate(STDOUT) == EXPECTED  # all of it, in order, none twice
        expect(running.locator(".input-prompt")).to_have_text("In [1]:")
        expect(running.locator(".stream-text")).to_contain_text("line 199")
        assert running.locator(".stream-text").inner_text().count("line 199") == 1
        screenshot(again, "reattach-finished")

        # The page saves the cell itself; the server did not write the file behind its back.
        again.keyboard.press("Escape")
        again.keyboard.press("Control+s")
        again.wait_for_function(
            "() => !window.carnet.notebook.model.dirty || document.querySelector('.modal')"
        )
        assert again.locator(".modal").count() == 0, "the save met a change on disk"
        saved = json.loads((server.root_dir / path).read_text())["cells"][0]
        assert "".join(saved["outputs"][0]["text"]) == EXPECTED
        assert saved["execution_count"] == 1
    finally:
        again.close()
    assert not errors, f"errors in the page: {errors}"


def test_a_prompt_left_by_a_closed_tab_is_answered_in_the_reopened_one(
    context: Any, server: RunningServer
) -> None:
    asking = code("name = input('Your name: ')", "print('hello', name)")
    path = write_notebook(server, "asking-reattach.ipynb", [asking])
    first = context.new_page()
    first.goto(server.url + f"notebooks/{path}")
    first.wait_for_selector(".kernel_indicator[data-status=idle]", timeout=20_000)
    first.keyboard.press("Shift+Enter")
    first.locator(".stdin-input").wait_for()
    first.close(run_before_unload=False)  # the kernel still waits for the answer

    again = context.new_page()
    try:
        again.goto(server.url + f"notebooks/{path}")
        box = again.locator(".stdin-input")
        box.wait_for(timeout=20_000)
        assert "Your name:" in again.locator(".stdin-prompt").inner_text()
        box.fill("Ada")
        box.press("Enter")
        cell(again, 0).locator(".stream-text:has-text('hello Ada')").wait_for()
        again.wait_for_selector(".kernel_indicator[data-status=idle]")
        expect(cell(again, 0).locator(".input-prompt")).to_have_text("In [1]:")
    finally:
        again.close()
