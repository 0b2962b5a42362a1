"""Browser end-to-end fixtures: one real Carnet server and one headless Chromium per module.

Chromium is Debian's (/usr/bin/chromium, installed by `make install-test`), driven by
Playwright for Python with the flags in tests/support/browser.py (shared with bench/). The
frontend must be built (`make frontend`). Each test gets a fresh page (and browser
context), logged in through the token URL so the page holds only the login cookie.
"""

from __future__ import annotations

import json
import secrets
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.support.browser import CHROMIUM, launch_chromium

STATIC = Path(__file__).resolve().parents[2] / "src" / "carnet" / "static"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
# What custom.js records, so tests can see that it ran and which events it got.
CUSTOM_JS = """
window.customEvents = [];
for (const name of ["page_loaded", "kernel_ready", "cell_executed"]) {
  window.carnet.events.on(name, (detail) => window.customEvents.push([name, detail]));
}
document.documentElement.dataset.customJs = "loaded";
"""
CUSTOM_CSS = "#notebook-container { border-top: 3px solid rgb(243, 119, 38); }\n"

pytestmark = pytest.mark.e2e


def require_browser() -> None:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make install-test installs it)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    if not (STATIC / "manifest.json").exists():
        pytest.fail("the frontend is not built: run `make frontend`")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A real server with custom.js and custom.css in its Jupyter config directory."""
    require_browser()
    dirs = ServerDirs(tmp_path_factory.mktemp("e2e"))
    custom = dirs.config / "custom"
    custom.mkdir()
    (custom / "custom.js").write_text(CUSTOM_JS)
    (custom / "custom.css").write_text(CUSTOM_CSS)
    # A second kernelspec, so "Change kernel" has somewhere to go.
    other = dirs.data / "kernels" / "other-python"
    other.mkdir(parents=True)
    argv = [sys.executable, "-m", "carnet.kernel", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "Other Python", "language": "python"}
    (other / "kernel.json").write_text(json.dumps(spec))
    running = launch(dirs)
    yield running
    running.stop()


def restartable_server(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> Iterator[RunningServer]:
    """A module's own server with a fixed token, to be stopped and started again on the port
    it picked (`launch(server.dirs, f"--port={server.port}", token=server.token)`)."""
    require_browser()
    running = launch(ServerDirs(tmp_path_factory.mktemp(name)), token=secrets.token_hex(16))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser(server: RunningServer) -> Iterator[Any]:
    from playwright.sync_api import expect as playwright_expect
    from playwright.sync_api import sync_playwright

    # As generous as the pages' default timeout (below): the machine is shared.
    playwright_expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def context(browser: Any, server: RunningServer) -> Iterator[Any]:
    """One browser context per module, logged in once (the token URL sets the cookie)."""
    # English whatever the machine's locale: the tests read the UI's English text.
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    # Generous: the machine is shared and browser tests must not flake under load.
    ctx.set_default_timeout(30_000)
    login = ctx.new_page()
    login.goto(server.url + f"tree?token={server.token}")
    login.wait_for_selector("#notebook_list .list-header")
    login.close()
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any, server: RunningServer) -> Iterator[Any]:
    """A fresh page on the tree, collecting page errors (a test fails on any)."""
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.errors = errors
    console: list[str] = []
    tab.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    tab.console_errors = console
    tab.goto(server.url + "tree")
    tab.wait_for_selector("#notebook_list .list-header")
    yield tab
    tab.close()
    assert not errors, f"errors in the page: {errors}"


def write_notebook(server: RunningServer, name: str, cells: list[dict[str, Any]]) -> str:
    """Writes a notebook into the served directory; its API path."""
    full = []
    for i, cell in enumerate(cells):
        base: dict[str, Any] = {"id": f"cell{i}", "metadata": {}, "source": cell.get("source", "")}
        base["cell_type"] = cell.get("cell_type", "code")
        if base["cell_type"] == "code":
            base["outputs"] = cell.get("outputs", [])
            base["execution_count"] = cell.get("execution_count")
        full.append(base)
    doc = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": full,
    }
    (server.root_dir / name).write_text(json.dumps(doc))
    return name


def code(*lines: str) -> dict[str, Any]:
    """A code cell of these source lines."""
    return {"cell_type": "code", "source": "\n".join(lines)}


def markdown(*lines: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "source": "\n".join(lines)}


def open_notebook(page: Any, server: RunningServer, path: str) -> None:
    """Opens a notebook and waits until its kernel is ready."""
    page.goto(server.url + f"notebooks/{path}")
    try:
        page.wait_for_selector(".kernel_indicator[data-status=idle]", timeout=20_000)
    except Exception:
        status = page.get_attribute(".kernel_indicator", "data-status")
        console = page.console_errors
        detail = f"{console}; errors {page.errors}"
        raise AssertionError(f"kernel not ready ({status}): {detail}") from None


def wait_for_console_error(page: Any, text: str, timeout: float = 30.0) -> None:
    """Waits until the page has logged an error containing `text`.

    Playwright's sync API hands events (console messages among them) to the test only
    while the test is inside one of its calls, so the wait is made of its short waits:
    a loop that only read page.console_errors would never see a message that arrives
    after the last call."""
    deadline = time.monotonic() + timeout
    while not any(text in error for error in page.console_errors):
        if time.monotonic() > deadline:
            pytest.fail(f"no console error with {text!r} after {timeout}s: {page.console_errors}")
        page.wait_for_timeout(25)


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def expect(target: Any) -> Any:
    """Playwright's expect, which waits for what it asserts (imported here, late: without
    Playwright the tests are skipped, not broken)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def cell(page: Any, index: int) -> Any:
    return page.locator("#notebook-container > .cell").nth(index)


def edit_cell(page: Any, index: int, text: str) -> None:
    """Puts `text` in cell `index` (replacing its source), leaving it in edit mode."""
    target = cell(page, index)
    target.locator(".input-area").click()
    page.wait_for_selector(f"#notebook-container > .cell:nth-child({index + 1}).editing")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def clean(server: RunningServer) -> None:
    """Shuts down every session, so each test starts without kernels of earlier ones."""
    with server.client() as client:
        for session in client.get("api/sessions").json():
            client.delete(f"api/sessions/{session['id']}")


@pytest.fixture(autouse=True)
def _no_leftover_sessions(server: RunningServer) -> Iterator[None]:
    yield
    clean(server)


__all__ = [
    "cell",
    "code",
    "edit_cell",
    "expect",
    "markdown",
    "open_notebook",
    "screenshot",
    "write_notebook",
]
