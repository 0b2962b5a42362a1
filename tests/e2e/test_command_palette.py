"""The command palette (Ctrl-Shift-P, P in command mode): every command with its shortcut,
fuzzy search, driven by the keyboard alone."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import cell, code, expect, open_notebook, screenshot, write_notebook
from tests.server.conftest import RunningServer


def test_command_palette_from_the_keyboard(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "palette.ipynb", [code("a = 1"), code("b = 2")])
    open_notebook(page, server, path)

    page.keyboard.press("Control+Shift+P")
    box = page.locator(".command-palette .palette-input")
    expect(box).to_be_focused()
    items = page.locator(".palette-list .palette-item")
    # Every command, each with its shortcut.
    assert items.count() > 50
    expect(page.locator(".palette-item[data-action=insert-below] kbd")).to_have_text("B")
    expect(page.locator(".palette-item[data-action=delete] kbd")).to_have_text("D,D")

    # Fuzzy: "icb" finds Insert Cell Below first; arrows move; Enter runs it.
    page.keyboard.type("icb")
    expect(items.first).to_have_attribute("data-action", "insert-below")
    expect(items.first).to_have_class("palette-item active")
    screenshot(page, "command-palette")
    page.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_have_class("palette-item active")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    expect(page.locator(".command-palette")).to_have_count(0)
    expect(page.locator("#notebook-container > .cell")).to_have_count(3)
    assert page.evaluate("window.carnet.notebook.model.activeIndex") == 1

    # Escape closes it and does nothing; P (command mode) opens it too.
    page.keyboard.press("p")
    expect(box).to_be_focused()
    page.keyboard.type("zzzqqq")
    expect(page.locator(".palette-empty")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".command-palette")).to_have_count(0)
    expect(page.locator("#notebook-container > .cell")).to_have_count(3)

    # From edit mode too, and back to command mode for the chosen command.
    cell(page, 0).locator(".input-area").click()
    page.wait_for_selector("#notebook-container > .cell.editing")
    page.keyboard.press("Control+Shift+P")
    page.keyboard.type("cell type markdown")
    page.keyboard.press("Enter")
    page.wait_for_function("window.carnet.notebook.model.cells[0].type === 'markdown'")
    assert page.evaluate("window.carnet.notebook.model.mode") == "command"


def test_palette_and_find_in_chinese(browser: Any, server: RunningServer) -> None:
    """A zh-CN browser: both dialogs in Chinese; the palette finds a command by its Chinese
    label or by Carnet's action name."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    ctx.set_default_timeout(30_000)
    try:
        page = ctx.new_page()
        page.goto(server.url + f"tree?token={server.token}")
        page.wait_for_selector("#notebook_list .list-header")
        open_notebook(page, server, write_notebook(server, "面板.ipynb", [code("x = 1")]))
        page.keyboard.press("p")
        expect(page.locator(".palette-input")).to_have_attribute("placeholder", "搜索命令")
        page.keyboard.type("下方插入")
        expect(page.locator(".palette-item").first).to_have_attribute("data-action", "insert-below")
        expect(page.locator(".palette-item").first).to_contain_text("在下方插入单元格")
        screenshot(page, "command-palette-zh-CN")
        page.locator(".palette-input").fill("insert-below")
        expect(page.locator(".palette-item").first).to_have_attribute("data-action", "insert-below")
        page.keyboard.press("Escape")
        page.keyboard.press("f")
        expect(page.locator(".modal-header h4")).to_have_text("查找并替换")
        page.locator(".find-input").fill("x")
        expect(page.locator(".find-summary")).to_have_text("1 个单元格中有 1 处匹配")
        screenshot(page, "find-and-replace-zh-CN")
    finally:
        ctx.close()
