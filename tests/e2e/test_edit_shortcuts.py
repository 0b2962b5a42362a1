"""Help > Edit Keyboard Shortcuts: add, change and remove command-mode shortcuts; a taken one
is refused with a message; the edits are in nbconfig/notebook.json (the classic notebook's
keys.command.bind / unbind), in effect at once and after a reload."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
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

COUNT = "window.carnet.notebook.model.cells.length"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The module's own server: the test writes its front-end config."""
    require_browser()
    running = launch(ServerDirs(tmp_path_factory.mktemp("e2e-shortcuts")))
    yield running
    running.stop()


def stored(server: RunningServer) -> dict[str, Any]:
    path: Path = server.dirs.config / "nbconfig" / "notebook.json"
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def open_editor(page: Any) -> None:
    page.click("#menubar [data-menu=help]")
    page.click("li[data-action=edit-shortcuts]")
    expect(page.locator(".modal .shortcut-editor")).to_be_visible()


def row(page: Any, action: str) -> Any:
    return page.locator(f".shortcut-editor tr[data-action={action}]")


def press_and_count(page: Any, key: str, cells: int) -> None:
    page.keyboard.press(key)
    page.wait_for_function(f"{COUNT} === {cells}")


def test_edit_keyboard_shortcuts(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "keys.ipynb", [code("a = 1")])
    open_notebook(page, server, path)
    open_editor(page)

    # Add Q to Insert Cell Below (Enter in the box adds).
    row(page, "insert-below").locator(".shortcut-input").fill("q")
    row(page, "insert-below").locator(".shortcut-input").press("Enter")
    expect(row(page, "insert-below").locator(".shortcut-chip[data-keys=q]")).to_be_visible()
    assert stored(server)["keys"]["command"]["bind"] == {"q": "jupyter-notebook:insert-cell-below"}

    # A taken shortcut: a clear message, and the config stays as it was.
    row(page, "run-all").locator(".shortcut-input").fill("a")
    row(page, "run-all").locator(".shortcut-add").click()
    expect(page.locator(".shortcut-error")).to_contain_text(
        'A is already the shortcut of "Insert Cell Above"'
    )
    expect(row(page, "run-all").locator(".shortcut-chip")).to_have_count(0)
    before = stored(server)
    # Nor one that is not a key.
    row(page, "run-all").locator(".shortcut-input").fill("hyper-q")
    row(page, "run-all").locator(".shortcut-add").click()
    expect(page.locator(".shortcut-error")).to_contain_text("not a shortcut")
    assert stored(server) == before

    # Remove B from Insert Cell Below; change Delete Cells from D,D to Shift-X.
    row(page, "insert-below").locator(".shortcut-chip[data-keys=b] .shortcut-remove").click()
    expect(row(page, "insert-below").locator(".shortcut-chip[data-keys=b]")).to_have_count(0)
    row(page, "delete").locator(".shortcut-chip[data-keys='d,d'] .shortcut-remove").click()
    expect(row(page, "delete").locator(".shortcut-chip")).to_have_count(0)
    row(page, "delete").locator(".shortcut-input").fill("shift-x")
    row(page, "delete").locator(".shortcut-input").press("Enter")
    expect(row(page, "delete").locator(".shortcut-chip[data-keys=Shift-X]")).to_be_visible()
    screenshot(page, "edit-keyboard-shortcuts")
    command = stored(server)["keys"]["command"]
    assert command["bind"] == {
        "q": "jupyter-notebook:insert-cell-below",
        "shift-x": "jupyter-notebook:delete-cell",
    }
    assert command["unbind"] == ["b", "d,d"]
    page.click(".modal [data-value=close]")
    expect(page.locator(".modal")).to_have_count(0)

    # In effect at once: Q inserts, B does nothing, Shift-X deletes, D,D no longer does.
    press_and_count(page, "q", 2)
    press_and_count(page, "q", 3)
    page.keyboard.press("b")
    page.keyboard.press("d")
    page.keyboard.press("d")
    press_and_count(page, "Shift+X", 2)
    # The menus and the palette show the shortcuts in effect.
    expect(page.locator("#menubar li[data-action=insert-below] kbd")).to_have_text("Q")
    expect(page.locator("#menubar li[data-action=delete] kbd")).to_have_text("Shift-X")
    page.keyboard.press("p")
    page.keyboard.type("delete cells")
    expect(page.locator(".palette-item[data-action=delete] kbd")).to_have_text("Shift-X")
    page.locator(".palette-input").fill("insert cell below")
    expect(page.locator(".palette-item[data-action=insert-below] kbd")).to_have_text(["Q"])
    page.keyboard.press("Escape")

    # And after a reload.
    page.reload()
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    page.wait_for_function("window.carnet.notebook.keys.table.q === 'insert-below'")
    press_and_count(page, "q", 2)
    page.keyboard.press("b")
    press_and_count(page, "Shift+X", 1)

    # Put B back: it leaves unbind, as if never removed.
    open_editor(page)
    row(page, "insert-below").locator(".shortcut-input").fill("b")
    row(page, "insert-below").locator(".shortcut-input").press("Enter")
    expect(row(page, "insert-below").locator(".shortcut-chip[data-keys=b]")).to_be_visible()
    assert stored(server)["keys"]["command"]["unbind"] == ["d,d"]
