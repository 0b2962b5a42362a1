"""The notebook page under a real Hub, in Chromium, through the proxy and the Hub's prefix:
log in with the Hub's form, run `1+1`, render a widget, type in a terminal."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import cell, edit_cell, require_browser, screenshot
from tests.hub import users
from tests.hub.hubproc import PROXY, Hub
from tests.support.browser import launch_chromium

pytestmark = [
    pytest.mark.skipif(not PROXY.exists(), reason="configurable-http-proxy: make install-test"),
    pytest.mark.e2e,
    pytest.mark.timeout(300),
]

USER = "cfg-web"  # its Jupyter config is in its home (hubproc's pre-spawn hook)
NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "cells": [
        {
            "id": f"c{i}",
            "cell_type": "code",
            "metadata": {},
            "source": "",
            "outputs": [],
            "execution_count": None,
        }
        for i in range(2)
    ],
}


@pytest.fixture
def chromium_page(hub: Hub) -> Iterator[Any]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            yield page
        finally:
            context.close()
            chromium.close()
        assert not errors, f"errors in the page: {errors}"


def _run(page: Any, index: int, source: str) -> Any:
    edit_cell(page, index, source)
    page.keyboard.press("Control+Enter")
    target = cell(page, index)
    page.wait_for_function(
        "el => /In \\[\\d+\\]/.test(el.querySelector('.input-prompt').textContent)",
        arg=target.element_handle(),
    )
    return target


# Under the current Hub only: 5.x has the same proxy and sends the same requests.
@pytest.mark.parametrize("hub", ["6"], indirect=True)
def test_notebook_widget_and_terminal_through_the_hub(hub: Hub, chromium_page: Any) -> None:
    page = chromium_page
    home = hub.log.parent / "home" / USER
    (home / ".jupyter").mkdir(parents=True)
    # bash without the machine's start-up files (slow ones exist), as tests/e2e does.
    shell = {"NotebookApp": {"terminado_settings": {"shell_command": ["/bin/bash", "--norc"]}}}
    (home / ".jupyter" / "jupyter_notebook_config.json").write_text(json.dumps(shell))
    (home / "hub.ipynb").write_text(json.dumps(NOTEBOOK))
    users.spawn(hub, USER)
    base = f"{hub.url}user/{USER}/"

    # The Hub's login form, then OAuth back to the server's tree, all through the proxy.
    page.goto(f"{hub.url}hub/login?next=/user/{USER}/tree")
    page.fill("#username_input", USER)
    page.fill("#password_input", "any")
    page.click("#login_submit")
    page.wait_for_url(f"{base}tree")
    page.wait_for_selector("#notebook_list .list-header")

    page.goto(f"{base}notebooks/hub.ipynb")
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    first = _run(page, 0, "1+1")
    assert first.locator(".output-area").inner_text().strip().endswith("2")
    second = _run(page, 1, "import ipywidgets as w\nw.IntSlider(value=7, description='n')")
    second.locator(".output-widget .noUi-handle").wait_for()
    screenshot(page, "hub-notebook")

    page.goto(f"{base}tree")
    page.click("#new-dropdown-button")
    with page.context.expect_page() as opened:
        page.click("#new-terminal")
    term = opened.value
    term.wait_for_url(re.compile(rf"^{re.escape(base)}terminals/\w+$"))
    term.wait_for_selector(".xterm-rows")
    term.locator(".xterm-helper-textarea").focus()
    term.keyboard.type("echo hub-$((6*7))")
    term.keyboard.press("Enter")
    term.locator(".xterm-rows > div", has_text=re.compile(r"^hub-42\s*$")).first.wait_for()
    term.close()

    assert hub.api("DELETE", f"users/{USER}/server").status_code in (202, 204)
