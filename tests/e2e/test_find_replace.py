"""Edit > Find and Replace (F in command mode): the preview of the matches, a regex that does
not compile, Replace All as one step that Z undoes, selected cells only, and the saved file."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import (
    cell,
    code,
    expect,
    markdown,
    open_notebook,
    screenshot,
    write_notebook,
)
from tests.server.conftest import RunningServer

SOURCES = "window.carnet.notebook.model.cells.map((c) => c.source)"


def sources(page: Any) -> list[str]:
    found: list[str] = page.evaluate(SOURCES)
    return found


def test_find_and_replace(page: Any, server: RunningServer) -> None:
    cells = [
        code("total = 1", "print(total)"),
        markdown("The Total is shown"),
        code("subtotal = 2"),
    ]
    path = write_notebook(server, "find.ipynb", cells)
    open_notebook(page, server, path)
    original = sources(page)

    page.keyboard.press("f")
    find = page.locator(".modal .find-input")
    expect(find).to_be_focused()
    find.fill("total")
    expect(page.locator(".find-summary")).to_have_text("4 matches in 3 cells")
    expect(page.locator(".find-preview .find-match")).to_have_count(4)
    page.locator(".find-case").check()
    expect(page.locator(".find-summary")).to_have_text("3 matches in 2 cells")
    page.locator(".find-case").uncheck()

    # A regex that does not compile: a message, and Replace All changes nothing.
    page.locator(".find-regex").check()
    find.fill("(total")
    expect(page.locator(".find-error")).to_contain_text("does not compile")
    version = page.evaluate("window.carnet.notebook.model.version")
    page.click(".modal [data-value=replace]")
    expect(page.locator(".modal .find-error")).to_contain_text("does not compile")
    assert sources(page) == original
    assert page.evaluate("window.carnet.notebook.model.version") == version

    # The preview shows what each match becomes.
    page.locator(".modal .find-input").fill(r"\btotal\b")
    page.locator(".modal .replace-input").fill("grand_$&")
    expect(page.locator(".find-summary")).to_have_text("3 matches in 2 cells")
    expect(page.locator(".find-preview ins").first).to_have_text("grand_total")
    expect(page.locator(".find-preview .find-match").nth(2)).to_contain_text("Cell 2, line 1")
    screenshot(page, "find-and-replace")
    page.click(".modal [data-value=replace]")
    expect(page.locator(".modal")).to_have_count(0)
    expect(page.locator(".notification")).to_contain_text("Replaced 3 matches in 2 cells")
    replaced = ["grand_total = 1\nprint(grand_total)", "The grand_Total is shown", "subtotal = 2"]
    assert sources(page) == replaced
    expect(cell(page, 0)).to_contain_text("grand_total = 1")

    # One Z (command mode) takes the whole replacement back.
    page.keyboard.press("z")
    compact = json.dumps(original, separators=(",", ":"))
    page.wait_for_function(f"JSON.stringify({SOURCES}) === {json.dumps(compact)}")
    expect(cell(page, 0).locator(".cm-content, .editor-placeholder").first).to_contain_text(
        "total = 1"
    )

    # Selected cells only, from the Edit menu: the last cell alone changes; then saved.
    cell(page, 2).locator(".prompt").click()
    page.click("#menubar [data-menu=edit]")
    page.click("li[data-action=find-replace]")
    page.locator(".find-regex").uncheck()
    page.locator(".find-selected").check()
    page.locator(".modal .find-input").fill("total")
    # Enter in Find goes on to Replace; it replaces nothing.
    page.locator(".modal .find-input").press("Enter")
    expect(page.locator(".modal .replace-input")).to_be_focused()
    page.locator(".modal .replace-input").fill("sum")
    expect(page.locator(".find-summary")).to_have_text("1 match in 1 cell")
    page.locator(".modal .replace-input").press("Enter")  # Enter is Replace All
    expect(page.locator(".modal")).to_have_count(0)
    assert sources(page) == [*original[:2], "subsum = 2"]
    page.click("#maintoolbar [data-action=save]")
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    saved = json.loads((server.root_dir / path).read_text())
    assert ["".join(c["source"]) for c in saved["cells"]] == [*original[:2], "subsum = 2"]
