"""Command and edit mode shortcuts, cell operations, markdown cells, checkpoints, renaming."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from tests.e2e.conftest import cell, code, edit_cell, markdown, open_notebook, write_notebook
from tests.server.conftest import RunningServer


def sources(page: Any) -> list[str]:
    return page.evaluate("window.carnet.notebook.model.cells.map(c => c.source)")


def types(page: Any) -> list[str]:
    return page.evaluate("window.carnet.notebook.model.cells.map(c => c.type)")


def active(page: Any) -> int:
    return int(page.evaluate("window.carnet.notebook.model.activeIndex"))


def press(page: Any, *keys: str) -> None:
    for key in keys:
        page.keyboard.press(key)


def test_command_mode_shortcuts(page: Any, server: RunningServer) -> None:
    cells = [code("one"), code("two"), code("three")]
    open_notebook(page, server, write_notebook(server, "shortcuts.ipynb", cells))
    assert page.evaluate("document.body.classList.contains('command-mode')")
    press(page, "j", "ArrowDown")
    assert active(page) == 2
    press(page, "k", "ArrowUp")
    assert active(page) == 0
    press(page, "b")
    assert sources(page) == ["one", "", "two", "three"] and active(page) == 1
    press(page, "a")
    assert sources(page) == ["one", "", "", "two", "three"] and active(page) == 1
    press(page, "d", "d", "d", "d")
    assert sources(page) == ["one", "two", "three"]
    press(page, "z")
    assert sources(page) == ["one", "", "two", "three"]
    press(page, "d", "d")
    # Copy, cut and paste cells.
    press(page, "k", "c", "j", "j", "v")
    assert sources(page) == ["one", "two", "three", "one"]
    press(page, "x")
    assert sources(page) == ["one", "two", "three"]
    press(page, "k", "k", "Shift+V")
    assert sources(page) == ["one", "one", "two", "three"]
    # Cell types.
    press(page, "m")
    assert types(page)[active(page)] == "markdown"
    press(page, "r")
    assert types(page)[active(page)] == "raw"
    press(page, "y")
    assert types(page)[active(page)] == "code"
    # Select several and merge them.
    press(page, "Shift+J", "Shift+J")
    assert page.locator("#notebook-container > .cell.selected").count() == 3
    press(page, "Shift+M")
    assert sources(page) == ["one\n\none\n\ntwo", "three"]
    # Enter edits, Esc leaves edit mode.
    press(page, "Enter")
    assert page.evaluate("document.body.classList.contains('edit-mode')")
    press(page, "Escape")
    assert page.evaluate("document.body.classList.contains('command-mode')")
    # H shows the shortcuts.
    press(page, "h")
    page.wait_for_selector(".modal .shortcut-table")
    press(page, "Escape")
    page.wait_for_selector(".modal-backdrop", state="detached")


def test_split_move_and_toggles(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "split.ipynb", [code("a = 1\nb = 2")]))
    press(page, "Enter")
    press(page, "Control+Home", "ArrowDown", "Home")
    press(page, "Control+Shift+Minus")
    assert sources(page) == ["a = 1", "b = 2"]
    press(page, "Escape")
    page.click("#maintoolbar [data-action=move-up]")
    assert sources(page) == ["b = 2", "a = 1"]
    page.click("#maintoolbar [data-action=move-down]")
    assert sources(page) == ["a = 1", "b = 2"]
    edit_cell(page, 0, "for i in range(40): print(i)")
    press(page, "Control+Enter")
    page.wait_for_selector(".stream-text:has-text('39')")
    press(page, "Shift+O")
    assert cell(page, 0).locator(".output-area.scrolled").count() == 1
    press(page, "o")
    assert not cell(page, 0).locator(".output-area").is_visible()
    press(page, "o")
    assert cell(page, 0).locator(".output-area").is_visible()


def test_markdown_cells_render_math_images_and_never_script(
    page: Any, server: RunningServer
) -> None:
    (server.root_dir / "img").mkdir(exist_ok=True)
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a2dd8ee20000000049454e44ae426082"
    )
    (server.root_dir / "img" / "dot.png").write_bytes(png)
    text = markdown(
        "## Section",
        "Inline $a^2 + b^2 = c^2$ and display:",
        "$$\\sum_{i=1}^n i = \\frac{n(n+1)}{2}$$",
        "![dot](img/dot.png)",
        "| x | y |",
        "|---|---|",
        "| 1 | 2 |",
        "",
        '<img src="x" onerror="window.pwned = 1"><script>window.pwned = 2</script>',
        "[link](javascript:window.pwned=3)",
    )
    open_notebook(page, server, write_notebook(server, "md.ipynb", [text]))
    rendered = cell(page, 0).locator(".rendered-markdown")
    assert rendered.locator("h2#Section").count() == 1
    assert rendered.locator(".katex").count() >= 2
    assert rendered.locator(".katex-display").count() == 1
    dot = rendered.locator("img[alt=dot]")
    assert (dot.get_attribute("src") or "").endswith("/files/img/dot.png")
    page.wait_for_function("document.querySelector('img[alt=dot]').naturalWidth === 1")
    assert rendered.locator("table td").count() == 2
    assert rendered.locator("script").count() == 0
    assert rendered.locator("[onerror]").count() == 0
    assert rendered.locator("a[href^=javascript]").count() == 0
    assert page.evaluate("window.pwned") is None
    # Edit and re-render with Shift-Enter.
    press(page, "Enter")
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("# New *title*")
    press(page, "Shift+Enter")
    assert cell(page, 0).locator(".rendered-markdown h1 em").inner_text() == "title"


def test_checkpoint_is_restored(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "checkpoint.ipynb", [code("'first version'")])
    open_notebook(page, server, path)
    press(page, "Control+s")  # a manual save makes the checkpoint
    page.wait_for_selector("#save_widget_status:has-text('Last Checkpoint')")
    edit_cell(page, 0, "'second version'")
    press(page, "Escape")
    page.evaluate("window.carnet.notebook.saver.save(false)")  # an autosave: no checkpoint
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    assert "second version" in (server.root_dir / path).read_text()
    page.click("#menubar [data-menu=file]")
    page.click("li[data-action=revert-checkpoint]")
    page.locator(".modal .btn-primary").click()
    first = "window.carnet.notebook.model.cells[0].source === \"'first version'\""
    page.wait_for_function(first)
    assert "first version" in cell(page, 0).inner_text()
    assert "(unsaved changes)" not in page.inner_text("#dirty-indicator")
    saved = json.loads((server.root_dir / path).read_text())
    assert "".join(saved["cells"][0]["source"]) == "'first version'"


def test_rename_by_clicking_the_name(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "old name.ipynb", [code("1")])
    open_notebook(page, server, path)
    page.click("#notebook_name")
    box = page.locator(".modal input")
    box.fill("new name")
    box.press("Enter")
    page.wait_for_selector("#notebook_name:text('new name')")
    assert (server.root_dir / "new name.ipynb").exists()
    assert not (server.root_dir / "old name.ipynb").exists()
    assert page.url.endswith("/notebooks/new%20name.ipynb")
    with server.client() as client:
        assert [s["path"] for s in client.get("api/sessions").json()] == ["new name.ipynb"]


def test_leaving_with_unsaved_changes_asks(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "leave.ipynb", [code("1")]))
    edit_cell(page, 0, "changed")
    asked: list[str] = []

    def on_dialog(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    assert page.evaluate("window.carnet.notebook.model.dirty")
    with contextlib.suppress(Exception):  # the dismissed dialog cancels the navigation
        page.goto(server.url + "tree", wait_until="commit")
    assert asked == ["beforeunload"]
    assert "/notebooks/leave.ipynb" in page.url


def test_arrow_keys_walk_between_cells_in_edit_mode(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "walk.ipynb", [code("a\nb"), code("c")]))
    press(page, "Enter")
    press(page, "ArrowDown")
    assert active(page) == 0  # still inside the first cell: it has a second line
    press(page, "ArrowDown")
    assert active(page) == 1
    assert page.evaluate("document.body.classList.contains('edit-mode')")
    page.keyboard.type("x")
    assert sources(page) == ["a\nb", "xc"]
    press(page, "ArrowUp")
    assert active(page) == 0
    page.keyboard.type("y")
    assert sources(page) == ["a\nby", "xc"]


def test_a_click_before_the_editor_exists_types_where_it_landed(
    context: Any, server: RunningServer
) -> None:
    """Editors are made when the page is idle; a click that comes first (a cell just
    scrolled to on a busy page) makes it at once, keeps the keys and puts the cursor there."""
    tab = context.new_page()
    try:
        # Held back for good: no editor exists until a cell is clicked.
        tab.add_init_script("window.requestIdleCallback = () => 0;")
        path = write_notebook(server, "early_click.ipynb", [code("a = 1", "b = 2"), code("c")])
        tab.goto(server.url + f"notebooks/{path}")
        tab.wait_for_function("() => window.carnet.notebook !== null")
        second = cell(tab, 1)
        assert tab.locator(".cm-editor").count() == 0
        # Right of the end of cell 1's only line.
        box = second.locator(".editor-placeholder").bounding_box()
        tab.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
        tab.wait_for_selector("#notebook-container > .cell:nth-child(2).editing .cm-focused")
        tab.keyboard.type("z")
        assert sources(tab) == ["a = 1\nb = 2", "cz"]
        # The first cell's second line, clicked past its end: the cursor goes to its end.
        box = cell(tab, 0).locator(".editor-placeholder").bounding_box()
        tab.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] * 0.7)
        tab.wait_for_selector("#notebook-container > .cell:nth-child(1).editing .cm-focused")
        tab.keyboard.type("9")
        assert sources(tab) == ["a = 1\nb = 29", "cz"]
    finally:
        tab.close()
