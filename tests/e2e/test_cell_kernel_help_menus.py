"""Cell > Current Outputs / All Output, Kernel > Reconnect, and the Help menu (Markdown
reference, the kernel's help links, About), done as a user does them."""

from __future__ import annotations

import json
from typing import Any

from tests.e2e.conftest import cell, code, expect, open_notebook, screenshot, write_notebook
from tests.server.conftest import RunningServer


def menu(page: Any, name: str, action: str, submenu: str | None = None) -> None:
    page.click(f"#menubar [data-menu={name}]")
    if submenu:
        page.click(f"#menubar li[data-submenu={submenu}]")
    page.click(f"#menubar li[data-action={action}]")


def stream(text: str) -> dict[str, Any]:
    return {"output_type": "stream", "name": "stdout", "text": text}


def saved_metadata(page: Any, server: RunningServer, path: str) -> list[dict[str, Any]]:
    page.click("#maintoolbar [data-action=save]")
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    doc = json.loads((server.root_dir / path).read_text())
    return [c["metadata"] for c in doc["cells"]]


def test_current_and_all_output_toggle_scroll_clear(page: Any, server: RunningServer) -> None:
    cells = [
        {**code("print('one')"), "outputs": [stream("one\n")]},
        {**code("print('two')"), "outputs": [stream("two\n")]},
    ]
    path = write_notebook(server, "outputs.ipynb", cells)
    open_notebook(page, server, path)
    first, second = cell(page, 0), cell(page, 1)
    expect(first.locator(".output-area")).to_contain_text("one")
    first.locator(".input-prompt").click()
    menu(page, "cell", "current-outputs-toggle", "current-outputs")
    expect(first.locator(".output-wrapper")).to_have_class("output-wrapper collapsed")
    expect(second.locator(".output-wrapper")).not_to_have_class("output-wrapper collapsed")
    expect(page.locator("#dirty-indicator")).to_contain_text("unsaved")
    assert saved_metadata(page, server, path) == [{"collapsed": True}, {}]

    menu(page, "cell", "all-output-scroll", "all-output")
    expect(page.locator(".output-area.scrolled")).to_have_count(2)
    menu(page, "cell", "all-output-toggle", "all-output")  # one was shown: all hidden
    expect(page.locator(".output-wrapper.collapsed")).to_have_count(2)
    screenshot(page, "cell-all-output-hidden")
    assert saved_metadata(page, server, path) == [{"collapsed": True, "scrolled": True}] * 2
    # Jupyter's way of keeping them: a reload shows the notebook as it was left.
    page.reload()
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    expect(page.locator(".output-wrapper.collapsed")).to_have_count(2)
    expect(page.locator(".output-area.scrolled")).to_have_count(2)
    menu(page, "cell", "all-output-toggle", "all-output")
    menu(page, "cell", "current-outputs-scroll", "current-outputs")
    expect(page.locator(".output-wrapper.collapsed")).to_have_count(0)
    assert saved_metadata(page, server, path) == [{}, {"scrolled": True}]

    menu(page, "cell", "current-outputs-clear", "current-outputs")
    expect(first.locator(".output-area")).not_to_contain_text("one")
    expect(second.locator(".output-area")).to_contain_text("two")
    menu(page, "cell", "all-output-clear", "all-output")
    expect(second.locator(".output-area")).not_to_contain_text("two")
    page.click("#maintoolbar [data-action=save]")
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    doc = json.loads((server.root_dir / path).read_text())
    assert [c["outputs"] for c in doc["cells"]] == [[], []]
    labels = page.locator("#menubar li[data-submenu=all-output] li").all_inner_texts()
    assert labels == ["Toggle", "Toggle Scrolling", "Clear"]


def test_kernel_reconnect_keeps_the_kernel_and_its_state(page: Any, server: RunningServer) -> None:
    sockets: list[Any] = []
    page.on("websocket", lambda ws: sockets.append(ws) if "/channels" in ws.url else None)
    path = write_notebook(server, "reconnect.ipynb", [code("x = 41"), code("x + 1")])
    open_notebook(page, server, path)
    kernel_id = page.evaluate("window.carnet.notebook.kernel.kernelId")
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("window.carnet.notebook.model.cells[0].executionCount === 1")
    opened = len(sockets)
    menu(page, "kernel", "reconnect")
    # A new websocket to the same kernel; the old one is closed.
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    page.wait_for_function("window.carnet.notebook.kernel.connection.state === 'connected'")
    assert len(sockets) == opened + 1
    assert sockets[-1].url.count(kernel_id) == 1
    assert all(ws.is_closed() for ws in sockets[:-1])
    assert page.evaluate("window.carnet.notebook.kernel.kernelId") == kernel_id
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".output-execute-result:has-text('42')")


def test_help_menu_links_and_about(page: Any, server: RunningServer) -> None:
    # The outside sites are answered here: the test stays on loopback.
    page.context.route(
        "https://**/*",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<h1>docs</h1>"),
    )
    path = write_notebook(server, "help.ipynb", [])
    open_notebook(page, server, path)
    page.click("#menubar [data-menu=help]")
    links = page.locator("#menubar li[data-kernel-help] a")
    expect(links).to_have_count(2)
    assert links.all_inner_texts() == ["Python Reference", "IPython Reference"]
    screenshot(page, "help-menu")
    with page.expect_popup() as popup_info:
        links.first.click()
    docs = popup_info.value
    docs.wait_for_url("https://docs.python.org/3/")
    docs.close()
    page.click("#menubar [data-menu=help]")
    with page.expect_popup() as popup_info:
        page.click("#menubar li[data-action=markdown-reference]")
    reference = popup_info.value
    reference.wait_for_url("https://docs.github.com/**")
    reference.close()

    menu(page, "help", "about")
    dialog = page.locator(".modal")
    expect(dialog).to_contain_text("About Carnet")
    version = page.evaluate("window.carnet.notebook.config.appVersion")
    expect(dialog.locator("[data-about=carnet]")).to_have_text(version)
    expect(dialog.locator("[data-about=kernel]")).to_contain_text("carnet")
    expect(dialog.locator("[data-about=language]")).to_contain_text("python 3.")
    expect(dialog.locator(".kernel-banner")).to_contain_text("Python")
    screenshot(page, "help-about")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
