"""The classic notebook's front-end config and custom.js in Chromium: nbconfig/notebook.json's
CodeCell.cm_config, and the documented `Jupyter._target = '_self'` custom.js."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import cell, code, expect, markdown, require_browser, write_notebook
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.support.waiting import wait_until

# Verbatim from the classic notebook's documentation.
CLASSIC_CUSTOM_JS = (
    "define(['base/js/namespace'], function(Jupyter){ Jupyter._target = '_self'; });\n"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server without custom.js or nbconfig: each test writes the ones it needs (both
    are read again on every request)."""
    require_browser()
    running = launch(ServerDirs(tmp_path_factory.mktemp("e2e-classic")))
    yield running
    running.stop()


@pytest.fixture
def config_dir(server: RunningServer) -> Iterator[Any]:
    yield server.dirs.config
    (server.dirs.config / "nbconfig" / "notebook.json").unlink(missing_ok=True)
    (server.dirs.config / "custom" / "custom.js").unlink(missing_ok=True)


def _until(page: Any, expression: str) -> None:
    # Not wait_for_function: its polling compiles the expression in the page, which the
    # tree page's CSP forbids.
    wait_until(lambda: page.evaluate(expression), what=expression)


def _editor_of_first_cell(page: Any) -> Any:
    target = cell(page, 0)
    target.locator(".input-area").click()
    expect(target.locator(".cm-editor")).to_have_count(1)
    return target


def test_cm_config_line_numbers_come_from_nbconfig(
    page: Any, server: RunningServer, config_dir: Any
) -> None:
    path = write_notebook(server, "numbers.ipynb", [code("a = 1", "b = 2"), markdown("# Title")])
    page.goto(server.url + f"notebooks/{path}")
    first = _editor_of_first_cell(page)
    expect(page.locator(".cm-lineNumbers")).to_have_count(0)
    expect(page.locator("#maintoolbar")).to_be_visible()

    nbconfig = config_dir / "nbconfig"
    nbconfig.mkdir(exist_ok=True)
    settings = {"CodeCell": {"cm_config": {"lineNumbers": True}}, "Notebook": {"Toolbar": False}}
    (nbconfig / "notebook.json").write_text(json.dumps(settings))
    page.reload()
    first = _editor_of_first_cell(page)
    expect(first.locator(".cm-lineNumbers")).to_have_count(1)
    expect(page.locator("#maintoolbar")).to_be_hidden()
    expect(first.locator(".cm-lineNumbers .cm-gutterElement", has_text="2")).to_have_count(1)
    # CodeCell's option: the markdown cell, once edited, has none.
    cell(page, 1).dblclick()
    expect(cell(page, 1).locator(".cm-editor")).to_have_count(1)
    expect(cell(page, 1).locator(".cm-lineNumbers")).to_have_count(0)
    # View > Toggle Line Numbers still turns them off (the actions come with the page).
    page.wait_for_function("Jupyter.actions.exists('toggle-line-numbers')")
    page.evaluate("Jupyter.actions.call('toggle-line-numbers')")
    expect(first.locator(".cm-lineNumbers")).to_have_count(0)


def test_notebooks_open_in_a_new_tab_by_default(page: Any, server: RunningServer) -> None:
    write_notebook(server, "tabs.ipynb", [])
    page.reload()
    tree_url = page.url
    link = page.locator("#notebook_list .item-name", has_text="tabs.ipynb")
    with page.context.expect_page() as popup:
        link.click()
    popup.value.wait_for_load_state()
    assert "/notebooks/tabs.ipynb" in popup.value.url
    popup.value.close()
    assert page.url == tree_url


def test_the_classic_custom_js_opens_notebooks_in_the_same_tab(
    page: Any, server: RunningServer, config_dir: Any
) -> None:
    write_notebook(server, "same.ipynb", [])
    custom = config_dir / "custom"
    custom.mkdir(exist_ok=True)
    (custom / "custom.js").write_text(CLASSIC_CUSTOM_JS)
    opened: list[Any] = []
    page.context.on("page", lambda tab: opened.append(tab))
    page.reload()
    _until(page, "window.Jupyter && window.Jupyter._target === '_self'")
    with page.expect_navigation():
        page.locator("#notebook_list .item-name", has_text="same.ipynb").click()
    assert "/notebooks/same.ipynb" in page.url
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    assert page.evaluate("Jupyter.notebook.notebook_name") == "same.ipynb"
    # File > Open goes to the tree in this tab too.
    page.wait_for_function("window.Jupyter._target === '_self' && Jupyter.actions.exists('open')")
    with page.expect_navigation():
        page.evaluate("Jupyter.actions.call('open')")
    assert "/tree" in page.url
    assert opened == []
    assert page.console_errors == []


def test_an_unknown_module_is_named_in_the_console(
    page: Any, server: RunningServer, config_dir: Any
) -> None:
    custom = config_dir / "custom"
    custom.mkdir(exist_ok=True)
    script = "define(['base/js/namespace', 'notebook/js/celltoolbar'], function(){});\n"
    (custom / "custom.js").write_text(script)
    page.reload()
    page.wait_for_selector("#notebook_list .list-header")
    _until(page, "window.Jupyter !== undefined")
    expect_console = [e for e in page.console_errors if "notebook/js/celltoolbar" in e]
    # The message is logged while custom.js runs, before the list is drawn.
    assert expect_console, page.console_errors
