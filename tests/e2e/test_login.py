"""Logging in with a password in Chromium, then running a cell (the cookie and XSRF path)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from carnet.server.auth.passwords import hash_password
from tests.e2e.conftest import cell, edit_cell, require_browser, write_notebook
from tests.server.conftest import RunningServer, ServerDirs, launch

PASSWORD = "e2e p4ssword"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server with a password (its token only serves the fixtures' clean-up)."""
    require_browser()
    dirs = ServerDirs(tmp_path_factory.mktemp("e2e-login"))
    running = launch(dirs, f"--NotebookApp.password={hash_password(PASSWORD)}")
    yield running
    running.stop()


def test_password_login_then_run_a_cell(browser: Any, server: RunningServer) -> None:
    path = write_notebook(server, "login.ipynb", [{"source": ""}])
    context = browser.new_context(viewport={"width": 1100, "height": 800})
    context.set_default_timeout(30_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(server.url + f"notebooks/{path}")
        assert "/login?next=" in page.url
        page.fill("#password", "not the password")
        page.click("button[type=submit]")
        page.wait_for_selector(".error")
        assert "Invalid password or token" in page.inner_text(".error")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"**/notebooks/{path}")
        page.wait_for_selector(".kernel_indicator[data-status=idle]")
        edit_cell(page, 0, "print(6 * 7)")
        page.keyboard.press("Shift+Enter")
        cell(page, 0).locator(".stream-text").wait_for()
        assert "42" in cell(page, 0).locator(".stream-text").inner_text()
        # The login cookie is HttpOnly; the XSRF cookie is readable, as the page needs it.
        cookies = page.evaluate("document.cookie")
        assert "_xsrf=" in cookies and "carnet-login" not in cookies
        page.goto(server.url + "logout")
        page.goto(server.url + "tree")
        assert "/login?next=" in page.url
    finally:
        context.close()
    assert not errors, errors
