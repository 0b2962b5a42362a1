"""Extensions in Chromium against a real server: the example front-end extension (a
toolbar button, a shortcut, a menu item and a renderer for application/vnd.example+json),
a classic AMD one, the example server extension (its front-end module asks its JSON
route), and broken ones (throwing, a syntax error, missing) that leave the page working."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import (
    cell,
    code,
    edit_cell,
    expect,
    open_notebook,
    require_browser,
    screenshot,
    wait_for_console_error,
    write_notebook,
)
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.support.extensions import (
    env_with_site,
    install_frontend_examples,
    install_server_example,
)

EXAMPLE = {"name": "demo", "items": [1, 2, 3]}
BROKEN = {
    "throws.js": "export function load_ipython_extension() { throw new Error('on purpose'); }\n",
    "syntax.js": "export function load_ipython_extension( {\n",
    "evaluation.js": "null.boom;\n",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    require_browser()
    base = tmp_path_factory.mktemp("e2e-ext")
    dirs = ServerDirs(base / "server")
    site = install_server_example(base / "site")
    nbextensions = install_frontend_examples(dirs.data)
    for name, text in BROKEN.items():
        (nbextensions / "broken" / name).parent.mkdir(parents=True, exist_ok=True)
        (nbextensions / "broken" / name).write_text(text)
    nbconfig = dirs.config / "nbconfig"
    nbconfig.mkdir()
    names = ["broken/throws", "example/main", "broken/syntax", "broken/missing", "classic/main"]
    names.append("broken/evaluation")
    notebook = {"load_extensions": dict.fromkeys(names, True)}
    (nbconfig / "notebook.json").write_text(json.dumps(notebook))
    (nbconfig / "tree.json").write_text(json.dumps({"load_extensions": {"broken/throws": True}}))
    config = {"NotebookApp": {"nbserver_extensions": {"example_server": True}}}
    (dirs.config / "jupyter_notebook_config.json").write_text(json.dumps(config))
    running = launch(dirs, env=env_with_site(dirs.env(), site))
    yield running
    running.stop()


def _example_output() -> dict[str, Any]:
    data = {"application/vnd.example+json": EXAMPLE, "text/plain": "<example>"}
    return {"output_type": "display_data", "data": data, "metadata": {}}


def test_the_front_end_extension_adds_a_button_a_shortcut_and_a_menu_item(
    page: Any, server: RunningServer
) -> None:
    path = write_notebook(server, "ext.ipynb", [code("1 + 1")])
    open_notebook(page, server, path)
    expect(page.locator("body")).to_have_attribute("data-example-extension", "loaded")
    button = page.locator("#maintoolbar button[data-action='example:hello']")
    expect(button).to_have_text("Hello")
    expect(button).to_have_attribute("title", "Say hello")
    button.click()
    expect(page.locator("body")).to_have_attribute("data-example-hello", "1")
    page.locator("#notebook").click(position={"x": 5, "y": 5})  # command mode
    page.keyboard.press("Shift+E")
    expect(page.locator("body")).to_have_attribute("data-example-hello", "2")
    page.locator("[data-menu=help]").click()
    item = page.locator("[data-menu=help] + .dropdown-menu li[data-action='example:hello']")
    expect(item).to_contain_text("Say hello")
    expect(item.locator("kbd")).to_have_text("Shift-E")
    item.click()
    expect(page.locator("body")).to_have_attribute("data-example-hello", "3")
    # A menu of the extension's own, before Help.
    own = page.locator("#menubar .dropdown").nth(-2)
    expect(own.locator("[data-menu=example]")).to_have_text("Example")
    own.locator("[data-menu=example]").click()
    own.locator("li[data-action='example:hello']").click()
    expect(page.locator("body")).to_have_attribute("data-example-hello", "4")
    # The stable API lists it, and classic code sees it as an action.
    assert page.evaluate("carnet.api.commands.has('example:hello')")
    assert page.evaluate("Jupyter.actions.exists('example:hello')")


def test_the_renderer_draws_saved_and_new_outputs(page: Any, server: RunningServer) -> None:
    saved = {**code("x"), "outputs": [_example_output()], "execution_count": 1}
    path = write_notebook(server, "render.ipynb", [saved, code("")])
    open_notebook(page, server, path)
    first = cell(page, 0).locator(".example-render")
    expect(first).to_have_text("Example: demo (3 items)")
    edit_cell(
        page,
        1,
        "from IPython.display import display\n"
        "display({'application/vnd.example+json': {'name': 'live', 'items': [1]}, "
        "'text/plain': 'x'}, raw=True)",
    )
    page.keyboard.press("Shift+Enter")
    expect(cell(page, 1).locator(".example-render")).to_have_text("Example: live (1 items)")
    expect(page.locator("#maintoolbar button[data-action='example:hello']")).to_be_visible()
    screenshot(page, "extensions-notebook")


def test_the_classic_amd_extension_loads(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "classic.ipynb", [code("1")])
    open_notebook(page, server, path)
    expect(page.locator("body")).to_have_attribute("data-classic-extension", "loaded")
    expect(page.locator("body")).to_have_attribute("data-classic-kernel", "ready")
    page.evaluate("Jupyter.actions.call('example:classic-hello')")
    expect(page.locator("body")).to_have_attribute("data-classic-hello", "1")
    # Jupyter.keyboard_manager.command_shortcuts.add_shortcut and Jupyter.toolbar.
    page.locator("#notebook").click(position={"x": 5, "y": 5})
    page.keyboard.press("Shift+G")
    expect(page.locator("body")).to_have_attribute("data-classic-hello", "2")
    page.locator("#maintoolbar button", has_text="Classic").click()
    expect(page.locator("body")).to_have_attribute("data-classic-hello", "3")


def test_the_server_extension_module_talks_to_its_route(page: Any, server: RunningServer) -> None:
    # On the tree page (where the fixture opened), then on a notebook.
    expect(page.locator("body")).to_have_attribute("data-example-server", "hello")
    path = write_notebook(server, "server-ext.ipynb", [])
    open_notebook(page, server, path)
    expect(page.locator("body")).to_have_attribute("data-example-server", "hello")


def test_broken_extensions_are_named_and_the_page_works(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "broken.ipynb", [code("6 * 7")])
    open_notebook(page, server, path)
    # Extensions load one after the other: the last one listed is broken too.
    expect(page.locator("body")).to_have_attribute("data-classic-extension", "loaded")
    wait_for_console_error(page, 'extension "broken/evaluation"')
    errors = "\n".join(page.console_errors)
    assert 'extension "broken/throws" failed in load_ipython_extension: Error: on purpose' in errors
    assert 'extension "broken/syntax" could not be loaded' in errors
    assert "SyntaxError" in errors
    assert 'extension "broken/missing" could not be loaded' in errors
    assert 'extension "broken/evaluation" could not be loaded' in errors
    cell(page, 0).locator(".input-area").click()
    page.keyboard.press("Shift+Enter")
    expect(cell(page, 0).locator(".output-area")).to_contain_text("42")
    assert page.errors == []
