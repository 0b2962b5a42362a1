"""The UI in the user's language, in Chromium: a zh-CN browser gets Chinese menus, the
nbconfig common.json {"language": "en"} brings English back; shortcuts and cell content
are never translated. Screenshots of both languages go to tests/e2e/screenshots/."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import (
    code,
    expect,
    open_notebook,
    require_browser,
    screenshot,
    write_notebook,
)
from tests.server.conftest import RunningServer, ServerDirs, launch


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    require_browser()
    running = launch(ServerDirs(tmp_path_factory.mktemp("e2e-language")))
    yield running
    running.stop()


@pytest.fixture
def common_json(server: RunningServer) -> Iterator[Any]:
    path = server.dirs.config / "nbconfig" / "common.json"
    yield path
    path.unlink(missing_ok=True)


def _context(browser: Any, server: RunningServer, locale: str) -> Any:
    """A browser context in `locale` (navigator.languages and Accept-Language), logged in."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, locale=locale)
    ctx.set_default_timeout(30_000)
    login = ctx.new_page()
    login.goto(server.url + f"tree?token={server.token}")
    login.wait_for_selector("#notebook_list .list-header")
    login.close()
    return ctx


@pytest.fixture
def zh_page(browser: Any, server: RunningServer) -> Iterator[Any]:
    ctx = _context(browser, server, "zh-CN")
    tab = ctx.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    tab.console_errors = []
    yield tab
    ctx.close()
    assert not errors, f"errors in the page: {errors}"


def _notebook(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "语言.ipynb", [code("print('Hello, Carnet')  # Save")])
    open_notebook(page, server, path)


def test_a_zh_cn_browser_gets_chinese_menus_and_untranslated_shortcuts_and_cells(
    zh_page: Any, server: RunningServer
) -> None:
    page = zh_page
    page.goto(server.url + "tree")
    expect(page.locator("#new-dropdown-button")).to_have_text("新建 ▾")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    body = page.locator("body").inner_text()
    assert "上传" in body and "文件" in body
    write_notebook(server, "语言.ipynb", [code("print('Hello, Carnet')  # Save")])
    page.reload()
    page.wait_for_selector("#notebook_list [data-path]")
    screenshot(page, "language-tree-zh-CN")

    _notebook(page, server)
    menus = page.locator("#menubar .dropdown-toggle")
    expect(menus).to_have_text(["文件", "编辑", "查看", "插入", "单元格", "内核", "帮助"])
    page.click("[data-menu=cell]")
    item = page.locator("#menubar li[data-action=run-select-next]")
    expect(item.locator("span")).to_have_text("运行单元格并选择下一个")
    # Keyboard shortcuts are not translated, nor is the cell's content.
    expect(item.locator("kbd")).to_have_text("Shift-Enter")
    expect(page.locator(".cell .editor-placeholder, .cell .cm-content").first).to_contain_text(
        "print('Hello, Carnet')  # Save"
    )
    toolbar_save = page.locator("#maintoolbar [data-action=save]")
    assert toolbar_save.get_attribute("title") == "保存并创建检查点"
    assert page.get_attribute(".kernel_indicator", "title") == "内核空闲"
    screenshot(page, "language-notebook-zh-CN")
    page.keyboard.press("Escape")
    # A submenu's items drop its (translated) title: "下载为 HTML (.html)" -> "HTML (.html)".
    page.click("[data-menu=file]")
    page.hover("#menubar li[data-submenu=download-as]")
    expect(page.locator("#menubar li[data-submenu=download-as] > span")).to_have_text("下载为")
    expect(page.locator("#menubar li[data-action=download-html] span")).to_have_text("HTML (.html)")
    expect(page.locator("#menubar li[data-action=celltoolbar-tags] span")).to_have_text("标签")
    screenshot(page, "language-notebook-zh-CN-download-as")
    page.keyboard.press("Escape")

    # The shortcut still works, and the notification it shows is in Chinese.
    page.click("body")
    page.keyboard.press("Control+s")
    expect(page.locator("#notification-area")).to_contain_text("已创建检查点")


def test_common_json_language_en_overrides_a_zh_cn_browser(
    zh_page: Any, server: RunningServer, common_json: Any
) -> None:
    common_json.parent.mkdir(parents=True, exist_ok=True)
    common_json.write_text(json.dumps({"language": "en"}))
    page = zh_page
    _notebook(page, server)
    assert page.evaluate("document.documentElement.lang") == "en"
    menus = page.locator("#menubar .dropdown-toggle")
    expect(menus).to_have_text(["File", "Edit", "View", "Insert", "Cell", "Kernel", "Help"])
    page.click("[data-menu=file]")
    expect(page.locator("#menubar li[data-action=save] span")).to_have_text("Save and Checkpoint")
    screenshot(page, "language-notebook-en")
    page.keyboard.press("Escape")
    page.goto(server.url + "tree")
    expect(page.locator("#new-dropdown-button")).to_have_text("New ▾")
    page.wait_for_selector("#notebook_list [data-path]")
    screenshot(page, "language-tree-en")
    # The server's pages follow the same override.
    page.goto(server.url + "notebooks/missing.ipynb")
    assert "No such notebook: missing.ipynb" in page.locator("body").inner_text()


def test_the_editor_and_terminal_pages_are_chinese(zh_page: Any, server: RunningServer) -> None:
    (server.root_dir / "notes.txt").write_text("Save me\n")
    zh_page.goto(server.url + "edit/notes.txt")
    expect(zh_page.locator("#save-button")).to_have_text("保存")
    expect(zh_page.locator("#dirty-indicator")).to_have_text(
        "\uff08已保存\uff09"
    )  # fullwidth brackets
    expect(zh_page.locator(".cm-content")).to_have_text("Save me")
    with server.client() as client:
        name = client.post("api/terminals", json={}).json()["name"]
    try:
        zh_page.goto(server.url + f"terminals/{name}")
        expect(zh_page.locator("#terminal-title")).to_have_text(f"终端 {name}")
        assert zh_page.title() == f"终端 {name} - Carnet"
    finally:
        with server.client() as client:
            client.delete(f"api/terminals/{name}")


def test_the_error_page_is_chinese_for_a_zh_cn_browser(zh_page: Any, server: RunningServer) -> None:
    zh_page.goto(server.url + "notebooks/missing.ipynb")
    assert (
        "没有这个笔记本\uff1amissing.ipynb"
    )  # fullwidth colon in zh_page.locator("body").inner_text()
