"""Running code in the notebook page: outputs, prompts, rich outputs, input(), saving."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import (
    cell,
    code,
    edit_cell,
    expect,
    markdown,
    open_notebook,
    screenshot,
    write_notebook,
)
from tests.server.conftest import RunningServer


def test_shift_enter_runs_and_shows_output_and_count(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "run.ipynb", [{"source": ""}]))
    edit_cell(page, 0, "print('hello from carnet')\n6 * 7")
    page.keyboard.press("Shift+Enter")
    first = cell(page, 0)
    first.locator(".output-execute-result").wait_for()
    # The prompt changes when the reply comes, after the outputs.
    expect(first.locator(".input-prompt")).to_have_text("In [1]:")
    assert "hello from carnet" in first.locator(".stream-text").inner_text()
    assert first.locator(".output-execute-result .output-prompt").inner_text() == "Out[1]:"
    assert first.locator(".output-execute-result .output-body").inner_text().strip() == "42"
    # Shift-Enter on the last cell adds a new one, in edit mode.
    assert page.locator("#notebook-container > .cell").count() == 2
    assert "editing" in (cell(page, 1).get_attribute("class") or "")
    events = page.evaluate("window.customEvents.map(e => e[0])")
    assert "cell_executed" in events and "kernel_ready" in events


def test_ctrl_enter_and_alt_enter(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "keys.ipynb", [{"source": ""}]))
    edit_cell(page, 0, "x = 5\nx")
    page.keyboard.press("Control+Enter")
    cell(page, 0).locator(".output-execute-result").wait_for()
    assert page.locator("#notebook-container > .cell").count() == 1
    assert "editing" not in (cell(page, 0).get_attribute("class") or "")
    page.keyboard.press("Enter")
    page.keyboard.press("Alt+Enter")
    page.wait_for_function("document.querySelectorAll('#notebook-container > .cell').length === 2")
    page.wait_for_selector("#notebook-container > .cell:nth-child(1) .input-prompt:text('In [2]:')")
    assert "editing" in (cell(page, 1).get_attribute("class") or "")


def test_rich_outputs_render(page: Any, server: RunningServer) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
    svg += '<rect width="40" height="20" fill="teal"/></svg>'
    cells = [
        markdown("# Rich outputs", "Euler: $e^{i\\pi} + 1 = 0$", "", "$$\\int_0^1 x^2\\,dx$$"),
        code(
            "import matplotlib",
            "matplotlib.use('module://matplotlib_inline.backend_inline')",
            "import matplotlib.pyplot as plt",
            "plt.plot([1, 3, 2]); plt.title('A figure')",
        ),
        code(
            "import pandas as pd",
            "pd.DataFrame({'city': ['Paris', 'Lyon'], 'people': [2_100_000, 520_000]})",
        ),
        code(
            "from IPython.display import Markdown, Latex, JSON, SVG, display",
            "display(Markdown('**bold** markdown'))",
            "display(Latex(r'$\\alpha^2$'))",
            f"display(SVG({svg!r}))",
            "display(JSON({'a': [1, 2]}))",
        ),
        code("import sys", "print('to stderr', file=sys.stderr)", "1/0"),
    ]
    open_notebook(page, server, write_notebook(server, "rich.ipynb", cells))
    page.click("#menubar [data-menu=cell]")
    page.click("li[data-action=run-all]")
    page.wait_for_selector(".output-error", timeout=30_000)
    md = cell(page, 0)
    assert md.locator(".rendered-markdown h1").inner_text().startswith("Rich outputs")
    assert md.locator(".katex").count() >= 2
    assert md.locator(".katex-display").count() == 1
    image = cell(page, 1).locator(".output-mime img")
    assert (image.get_attribute("src") or "").startswith("data:image/png;base64,")
    assert image.evaluate("img => img.naturalWidth") > 100
    table = cell(page, 2).locator("table.dataframe")
    assert "Paris" in table.inner_text() and table.locator("tbody tr").count() == 2
    display = cell(page, 3)
    assert display.locator(".output-mime[data-mime='text/markdown'] strong").inner_text() == "bold"
    assert display.locator(".output-mime[data-mime='text/latex'] .katex").count() == 1
    assert display.locator(".output-mime[data-mime='image/svg+xml'] svg rect").count() == 1
    assert '"a"' in display.locator(".output-json").inner_text()
    error = cell(page, 4)
    assert "ZeroDivisionError" in error.locator(".traceback-text").inner_text()
    assert error.locator(".traceback-text span[class*=ansi-]").count() > 0
    assert "to stderr" in error.locator(".stream-text.stderr").inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "notebook-rich-outputs")


def test_streams_display_updates_and_clear_output(page: Any, server: RunningServer) -> None:
    source = (
        "import time\nfrom IPython.display import display, clear_output\n"
        "print('10%\\r50%\\r100%')\nprint('abc\\b\\bX')\n"
        "h = display('first', display_id=True)\nh.update('updated')\n"
        "for i in range(3):\n    clear_output(wait=True)\n    print('tick', i)\n"
    )
    open_notebook(page, server, write_notebook(server, "streams.ipynb", [{"source": source}]))
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#notebook-container > .cell .input-prompt:text('In [1]:')")
    outputs = cell(page, 0).locator(".output-area")
    expect(outputs).to_contain_text("tick 2")
    text = outputs.inner_text()
    assert "tick 2" in text and "tick 1" not in text
    again = [
        "print('10%\\r50%\\r100%')",
        "print('abc\\b\\bX')",
        "h = display('first', display_id=True)",
        "h.update('updated')",
    ]
    edit_cell(page, 0, "\n".join(again))
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("#notebook-container > .cell .input-prompt:text('In [2]:')")
    expect(outputs).to_contain_text("'updated'")
    text = outputs.inner_text()
    assert "100%" in text and "10%" not in text and "50%" not in text
    assert "aX" in text
    assert "'updated'" in text and "'first'" not in text


def test_input_is_answered_in_the_page(page: Any, server: RunningServer) -> None:
    source = code(
        "name = input('Your name: ')",
        "from getpass import getpass",
        "secret = getpass('Secret: ')",
        "print('hi', name, len(secret))",
    )
    open_notebook(page, server, write_notebook(server, "input.ipynb", [source]))
    page.keyboard.press("Control+Enter")
    box = page.locator(".stdin-input")
    box.wait_for()
    assert box.get_attribute("type") == "text"
    assert "Your name:" in page.locator(".stdin-prompt").inner_text()
    box.fill("Ada")
    box.press("Enter")
    secret = page.locator(".stdin-input[type=password]")
    secret.wait_for()
    secret.fill("hunter2")
    secret.press("Enter")
    page.wait_for_selector(".stream-text:has-text('hi Ada 7')")
    assert "hunter2" not in cell(page, 0).inner_text()


def test_save_reload_keeps_outputs(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "persist.ipynb", [{"source": ""}])
    open_notebook(page, server, path)
    edit_cell(page, 0, "print('kept')\n'result'")
    page.keyboard.press("Control+Enter")
    cell(page, 0).locator(".output-execute-result").wait_for()
    assert "(unsaved changes)" in page.inner_text("#dirty-indicator")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "!document.querySelector('#dirty-indicator').classList.contains('dirty')"
    )
    saved = json.loads((server.root_dir / path).read_text())
    assert "".join(saved["cells"][0]["outputs"][0]["text"]) == "kept\n"
    page.reload()
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    assert "kept" in cell(page, 0).locator(".stream-text").inner_text()
    assert cell(page, 0).locator(".output-execute-result").inner_text().endswith("'result'")
    assert cell(page, 0).locator(".input-prompt").inner_text() == "In [1]:"
