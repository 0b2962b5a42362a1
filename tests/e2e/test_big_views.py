"""Big notebooks and long outputs drawn lazily in Chromium, and still whole.

A 2,000-cell notebook shaped like real ones opens with only the cells near the screen drawn,
yet every cell can be reached, edited and saved intact; "Show all" on a 1,000,000-line
output draws only the lines in view, and every line (the last one included) can be scrolled
to, selected and copied, in its ANSI colours. How fast: bench/run.py browser.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import cell, edit_cell, open_notebook, screenshot, write_notebook
from tests.server.conftest import RunningServer
from tests.support.notebooks import shaped_notebook

pytestmark = pytest.mark.slow


def test_shaped_2000_cell_notebook_opens_every_cell_reachable_editable_saved_intact(
    page: Any, server: RunningServer
) -> None:
    original = shaped_notebook()
    (server.root_dir / "shaped.ipynb").write_text(json.dumps(original))
    page.goto(server.url + "notebooks/shaped.ipynb", wait_until="commit")
    cell(page, 0).locator(".input-area").click()
    page.wait_for_selector("#notebook-container > .cell:first-child.editing")
    page.keyboard.type("z")
    page.wait_for_function(
        "() => document.querySelector('#notebook-container > .cell .cm-content')"
        "?.textContent.includes('z')"
    )
    assert page.locator("#notebook-container > .cell").count() == 2000
    # Only what is near the screen is drawn.
    drawn = page.locator("#notebook-container .output-area .stream-text").count()
    assert 0 < drawn < 100, drawn
    # The last code cell and the last image, far below: drawn when scrolled to, and editable.
    page.keyboard.press("Escape")
    last_code = cell(page, 1998)
    for _ in range(30):
        last_code.scroll_into_view_if_needed()
        if last_code.locator(".stream-text").count():
            break
        page.wait_for_function("() => new Promise((done) => requestAnimationFrame(done))")
    last_code.locator(".stream-text").filter(has_text="epoch 1998 batch  74").wait_for()
    edit_cell(page, 1998, "print('edited last')")
    page.keyboard.press("Escape")
    cell(page, 1950).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => document.querySelectorAll('#notebook-container > .cell')[1950]"
        ".querySelector('.output-area img')?.naturalWidth === 160"
    )
    cell(page, 1999).locator(".text-cell-render h2").wait_for()
    page.evaluate("() => carnet.notebook.saver.save()")
    saved = json.loads((server.root_dir / "shaped.ipynb").read_text())["cells"]
    assert len(saved) == 2000
    for i, (was, now) in enumerate(zip(original["cells"], saved, strict=True)):
        source = "".join(now["source"])
        if i == 0:
            # The z went where the click put the cursor.
            assert source.replace("z", "", 1) == was["source"] and "z" in source
        elif i == 1998:
            assert source == "print('edited last')"
        else:
            assert source == was["source"], i
        if was["cell_type"] == "code":
            outputs = [
                {**o, "text": "".join(o["text"])} if "text" in o else o for o in now["outputs"]
            ]
            for o in outputs:
                if "data" in o:
                    o["data"] = {k: "".join(v) for k, v in o["data"].items()}
            assert outputs == was["outputs"], i


def show_all(page: Any, code: str, last: str) -> Any:
    """Runs `code` in cell 0, clicks "Show all" on its output; the virtual scroller."""
    edit_cell(page, 0, code)
    page.keyboard.press("Control+Enter")
    cell(page, 0).locator(".stream-tail").filter(has_text=last).wait_for(timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('#notebook-container > .cell .input-prompt')"
        ".textContent.trim() === 'In [1]:'",
        timeout=60_000,
    )
    cell(page, 0).locator(".input-prompt").click()
    cell(page, 0).locator(".stream-show-all").click()
    box = cell(page, 0).locator(".stream-virtual")
    box.wait_for()
    # Scrolled to the end (again while the lines are being found) until the last one shows.
    page.wait_for_function(
        """(last) => { const box = document.querySelector('.stream-virtual');
        box.scrollTop = box.scrollHeight;
        return box.dataset.indexed === 'all'
          && box.querySelector('.stream-text').textContent.endsWith(last + '\\n'); }""",
        arg=last,
        polling="raf",
        timeout=60_000,
    )
    return box


def test_show_all_on_a_million_lines_scrolls_to_the_last_line_and_copies(
    page: Any, server: RunningServer
) -> None:
    open_notebook(page, server, write_notebook(server, "million-all.ipynb", [{"source": ""}]))
    box = show_all(page, "for i in range(1_000_000): print(i)", "999999")
    lines = box.locator(".stream-text")
    # Only the lines in view (and a margin) are in the page.
    assert lines.inner_text().count("\n") < 500
    # The last line is on screen, inside the scroller's visible part.
    inside = page.evaluate(
        """() => { const box = document.querySelector('.stream-virtual');
        const text = box.querySelector('.stream-text').lastChild;
        const range = document.createRange(); range.selectNodeContents(text);
        const line = [...range.getClientRects()].pop(); const view = box.getBoundingClientRect();
        return line.bottom <= view.bottom + 1 && line.top >= view.top; }"""
    )
    assert inside
    # Selecting what is shown and copying it gives the text of those lines.
    copied = page.evaluate(
        """() => { const pre = document.querySelector('.stream-virtual .stream-text');
        const range = document.createRange(); range.selectNodeContents(pre);
        const selection = getSelection(); selection.removeAllRanges(); selection.addRange(range);
        return selection.toString(); }"""
    )
    assert copied.rstrip("\n").endswith("999998\n999999")
    # The middle is reachable too; the model still holds every line.
    middle = page.evaluate(
        """() => new Promise((done) => { const box = document.querySelector('.stream-virtual');
        box.scrollTop = box.scrollHeight / 2;
        requestAnimationFrame(() => done(box.querySelector('.stream-text').textContent)); })"""
    )
    numbers = [int(n) for n in middle.split()]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))
    assert 400_000 < numbers[0] < 600_000, numbers[0]
    count = page.evaluate(
        "() => carnet.notebook.model.cells[0].outputs.outputs[0].text.split('\\n').length"
    )
    assert count == 1_000_001
    screenshot(page, "show-all-million")


def test_show_all_virtual_keeps_ansi_colours_across_the_window(
    page: Any, server: RunningServer
) -> None:
    open_notebook(page, server, write_notebook(server, "colours.ipynb", [{"source": ""}]))
    # Green from line 30,000 to the end, never reset: its colour carries over every later line.
    code = (
        "for i in range(60_000):\n"
        "    print(('\\x1b[32m' if i == 30_000 else '') + f'n{i}')\n"
        "print('\\x1b[31mred\\x1b[0m last')"
    )
    box = show_all(page, code, "red last")
    assert box.locator(".ansi-red-fg").inner_text() == "red"
    green = box.locator(".ansi-green-fg").first.inner_text()
    assert "n59999" in green
