"""View > Table of Contents: the side panel of the notebook's headings, used as a reader uses
it (menu, clicks, the mouse wheel, editing a heading, reloading)."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import (
    SCREENSHOTS,
    cell,
    code,
    expect,
    markdown,
    open_notebook,
    write_notebook,
)
from tests.server.conftest import RunningServer

# Code cells tall enough that each section fills more than a screen.
TALL = code(*[f"x{i} = {i}" for i in range(45)])


def entries(page: Any) -> list[list[str]]:
    return page.eval_on_selector_all(
        "#toc-panel .toc-item",
        "items => items.map(i => [i.querySelector('.toc-number').textContent,"
        " i.querySelector('.toc-text').textContent])",
    )


def current(page: Any) -> Any:
    return page.locator("#toc-panel .toc-item.current .toc-text")


def screenshot(page: Any, name: str) -> None:
    """The window as the user sees it (the panel is fixed: a full-page shot would stretch it)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def toggle_toc(page: Any) -> None:
    page.click("#menubar [data-menu=view]")
    page.click("li[data-action=toggle-toc]")


HEADING_TOP = """([index, nth]) => {
    const cell = document.querySelectorAll('#notebook-container > .cell')[index];
    const heading = cell.querySelectorAll('.text-cell-render :is(h1,h2,h3)')[nth];
    const header = document.getElementById('header').getBoundingClientRect().bottom;
    return heading.getBoundingClientRect().top - header;
}"""


def heading_top(page: Any, cell_index: int, nth: int = 0) -> float:
    """Where heading `nth` of a cell is, below the notebook's header (px)."""
    return float(page.evaluate(HEADING_TOP, [cell_index, nth]))


def wait_heading_at_top(page: Any, cell_index: int) -> None:
    """Waits until the cell's first heading is just below the header (where a click puts it)."""
    page.wait_for_function(
        f"args => {{ const top = ({HEADING_TOP})(args); return top >= 0 && top < 20; }}",
        arg=[cell_index, 0],
    )


def test_table_of_contents(page: Any, server: RunningServer) -> None:
    cells = [
        markdown("# Introduction", "Why this notebook."),
        TALL,
        markdown("## Setup"),
        TALL,
        markdown(
            "## Data", "", "Where it comes from, and what was done to it.", "", "### Cleaning"
        ),
        TALL,
        markdown("# Results"),
        TALL,
    ]
    path = write_notebook(server, "toc.ipynb", cells)
    open_notebook(page, server, path)
    expect(page.locator("#toc-panel")).to_be_hidden()
    toggle_toc(page)
    expect(page.locator("#toc-panel")).to_be_visible()
    expect(page.locator("#toc-panel .toc-item")).to_have_count(5)
    assert entries(page) == [
        ["1", "Introduction"],
        ["1.1", "Setup"],
        ["1.2", "Data"],
        ["1.2.1", "Cleaning"],
        ["2", "Results"],
    ]
    expect(current(page)).to_have_text("Introduction")
    # Showing the panel is not an edit of the notebook.
    assert page.evaluate("window.carnet.notebook.model.dirty") is False

    # A click scrolls the heading to the top and selects its cell.
    page.locator("#toc-panel .toc-link", has_text="Results").click()
    expect(current(page)).to_have_text("Results")
    wait_heading_at_top(page, 6)
    assert page.evaluate("window.carnet.notebook.model.activeIndex") == 6

    # From the keyboard: Enter on a focused entry is the panel's, not the notebook's.
    page.locator("#toc-panel .toc-link", has_text="Setup").focus()
    page.keyboard.press("Enter")
    expect(current(page)).to_have_text("Setup")
    wait_heading_at_top(page, 2)
    assert page.evaluate("window.carnet.notebook.model.mode") == "command"

    # The mouse wheel, back to the top, then down to "Data": the highlight follows.
    page.mouse.move(640, 500)
    page.mouse.wheel(0, -100_000)
    expect(current(page)).to_have_text("Introduction")
    page.mouse.wheel(0, heading_top(page, 4) - 10)
    expect(current(page)).to_have_text("Data")
    page.mouse.wheel(0, heading_top(page, 4, 1) - 10)
    expect(current(page)).to_have_text("Cleaning")

    # Folding a heading hides its subsections in the panel.
    page.locator("#toc-panel .toc-item", has_text="Introduction").locator(".toc-caret").click()
    assert entries(page) == [["1", "Introduction"], ["2", "Results"]]
    # The section being read is folded away: its heading stands for it.
    expect(current(page)).to_have_text("Introduction")
    screenshot(page, "toc-panel-folded")
    page.locator("#toc-panel .toc-item", has_text="Introduction").locator(".toc-caret").click()
    expect(page.locator("#toc-panel .toc-item")).to_have_count(5)

    # Editing a heading changes the table.
    cell(page, 2).locator(".text-cell-render").dblclick()
    page.wait_for_selector("#notebook-container > .cell:nth-child(3).editing")
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("## Installing *everything*")
    page.keyboard.press("Shift+Enter")
    expect(page.locator("#toc-panel .toc-item").nth(1)).to_have_text("1.1Installing everything")
    page.evaluate("window.scrollTo(0, 0)")
    expect(current(page)).to_have_text("Introduction")
    screenshot(page, "toc-panel")

    # The choice is remembered by the browser, not the file.
    page.reload()
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    expect(page.locator("#toc-panel")).to_be_visible()
    expect(page.locator("#toc-panel .toc-item")).to_have_count(5)
    page.locator("#toc-panel .toc-close").click()
    expect(page.locator("#toc-panel")).to_be_hidden()
    assert page.evaluate("document.body.classList.contains('toc-open')") is False
    page.reload()
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    expect(page.locator("#toc-panel")).to_be_hidden()
    on_disk = json.loads((server.root_dir / path).read_text())
    assert not [key for key in on_disk["metadata"] if "toc" in key]


def test_heading_of_a_cell_not_drawn_yet(page: Any, server: RunningServer) -> None:
    """Far down a long notebook, cells are drawn only when they come near the screen."""
    cells = []
    for part in range(12):
        cells += [markdown(f"## Part {part}", "", "Text."), TALL]
    path = write_notebook(server, "longtoc.ipynb", cells)
    open_notebook(page, server, path)
    assert page.evaluate("document.querySelectorAll('.lazy-cell').length") > 0
    toggle_toc(page)
    expect(page.locator("#toc-panel .toc-item")).to_have_count(12)
    page.locator("#toc-panel .toc-link", has_text="Part 11").click()
    expect(current(page)).to_have_text("Part 11")
    expect(cell(page, 22).locator(".text-cell-render h2")).to_have_text("Part 11¶")
    wait_heading_at_top(page, 22)
    toggle_toc(page)
