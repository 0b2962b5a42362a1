"""File > Make a Copy, Save as… and Print Preview, done as a user does them, checked on the
page and on disk; bad Save as paths change nothing and say why."""

from __future__ import annotations

import json
from typing import Any

import nbformat

from tests.e2e.conftest import (
    code,
    edit_cell,
    expect,
    markdown,
    open_notebook,
    screenshot,
    write_notebook,
)
from tests.server.conftest import RunningServer


def file_menu(page: Any, action: str) -> None:
    page.click("#menubar [data-menu=file]")
    page.click(f"#menubar li[data-action={action}]")


def on_disk(server: RunningServer, path: str) -> dict[str, Any]:
    raw = (server.root_dir / path).read_text()
    nbformat.validate(nbformat.reads(raw, as_version=nbformat.NO_CONVERT))
    saved: dict[str, Any] = json.loads(raw)
    return saved


def sources(doc: dict[str, Any]) -> list[str]:
    return ["".join(c["source"]) for c in doc["cells"]]


def sessions(server: RunningServer) -> list[str]:
    with server.client() as client:
        return [s["path"] for s in client.get("api/sessions").json()]


def test_make_a_copy_saves_and_opens_the_copy(page: Any, server: RunningServer) -> None:
    (server.root_dir / "copies").mkdir()
    path = write_notebook(server, "copies/orig.ipynb", [code("a = 1")])
    open_notebook(page, server, path)
    edit_cell(page, 0, "a = 'edited'")
    page.keyboard.press("Escape")
    with page.expect_popup() as popup_info:
        file_menu(page, "make-copy")
    copy = popup_info.value
    copy.wait_for_url("**/notebooks/copies/orig-Copy1.ipynb")
    copy.wait_for_selector(".kernel_indicator[data-status=idle]")
    expect(copy.locator("#notebook_name")).to_have_text("orig-Copy1")
    # The edit was saved first, so the copy has it; both files are there.
    assert sources(on_disk(server, "copies/orig-Copy1.ipynb")) == ["a = 'edited'"]
    assert sources(on_disk(server, path)) == ["a = 'edited'"]
    assert page.url.endswith("/notebooks/copies/orig.ipynb")  # this page stays on the original
    copy.close()


def test_save_as_edits_the_new_file(page: Any, server: RunningServer) -> None:
    (server.root_dir / "saveas").mkdir()
    (server.root_dir / "saveas" / "sub").mkdir()
    path = write_notebook(server, "saveas/first.ipynb", [code("b = 20")])
    original = (server.root_dir / path).read_text()
    open_notebook(page, server, path)
    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Enter")
    page.wait_for_function("window.carnet.notebook.model.cells[0].executionCount === 1")
    edit_cell(page, 0, "b = 21")
    page.keyboard.press("Escape")
    file_menu(page, "save-as")
    field = page.locator(".modal input")
    expect(field).to_have_value(path)
    screenshot(page, "file-save-as")
    field.fill("saveas/sub/second")
    page.locator(".modal .btn-primary").click()
    page.wait_for_url("**/notebooks/saveas/sub/second.ipynb")
    expect(page.locator("#notebook_name")).to_have_text("second")
    expect(page.locator("#dirty-indicator")).not_to_contain_text("unsaved")
    assert page.title() == "second"
    assert sources(on_disk(server, "saveas/sub/second.ipynb"))[0] == "b = 21"
    assert (server.root_dir / path).read_text() == original  # the old file is as it was
    # The kernel session follows, with its state: b is still defined.
    assert sessions(server) == ["saveas/sub/second.ipynb"]
    edit_cell(page, 0, "b * 2")
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".output-execute-result:has-text('40')")
    # Later saves go to the new file.
    page.keyboard.press("Control+s")
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    assert sources(on_disk(server, "saveas/sub/second.ipynb"))[0] == "b * 2"
    assert (server.root_dir / path).read_text() == original


def refused(page: Any, typed: str, message: str) -> None:
    file_menu(page, "save-as")
    page.locator(".modal input").fill(typed)
    page.locator(".modal .btn-primary").click()
    note = page.locator("#notification-area .notification.error", has_text=message)
    expect(note.first).to_be_visible()
    assert "Save as failed" in note.first.inner_text()


def test_save_as_refuses_existing_files_and_bad_paths(page: Any, server: RunningServer) -> None:
    (server.root_dir / "refuse").mkdir()
    (server.root_dir / ".secret").mkdir()
    path = write_notebook(server, "refuse/mine.ipynb", [code("c = 3")])
    other = write_notebook(server, "refuse/taken.ipynb", [markdown("someone else's")])
    taken = (server.root_dir / other).read_text()
    before = sorted(p.name for p in server.root_dir.rglob("*"))
    open_notebook(page, server, path)
    edit_cell(page, 0, "c = 4")
    page.keyboard.press("Escape")
    refused(page, "refuse/taken", "refuse/taken.ipynb already exists")
    refused(page, "refuse/", "notebook name")
    refused(page, "../outside", "above the home folder")
    refused(page, ".secret/x", "hidden")  # the server's reason
    refused(page, "no/such/dir/x", "No such")  # the server's reason (404)
    # Nothing changed: no file written, the old one untouched, the page still on its file.
    assert (server.root_dir / other).read_text() == taken
    assert sorted(p.name for p in server.root_dir.rglob("*")) == before
    assert not (server.root_dir.parent / "outside.ipynb").exists()
    assert page.url.endswith("/notebooks/refuse/mine.ipynb")
    expect(page.locator("#notebook_name")).to_have_text("mine")
    assert sessions(server) == [path]
    assert page.evaluate("window.carnet.notebook.model.dirty")  # the edit is still to save


def test_print_preview_is_a_clean_page_of_the_notebook(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "printme.ipynb", [markdown("# Printed title"), code("6 * 7")])
    open_notebook(page, server, path)
    page.click("#notebook-container > .cell >> nth=1")
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".output-execute-result:has-text('42')")
    with page.expect_popup() as popup_info:
        file_menu(page, "print-preview")
    preview = popup_info.value
    preview.wait_for_url("**/nbconvert/html/printme.ipynb?download=false")
    expect(preview.locator("h1")).to_contain_text("Printed title")
    # The run's output was saved before the preview was made.
    expect(preview.locator("body")).to_contain_text("42")
    assert preview.locator("#menubar, #maintoolbar").count() == 0
    screenshot(preview, "file-print-preview")
    preview.close()


def test_file_menu_order(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "order.ipynb", [])
    open_notebook(page, server, path)
    page.click("#menubar [data-menu=file]")
    items = page.locator(
        "#menubar [data-menu=file] + ul > li[data-action],"
        " #menubar [data-menu=file] + ul > li[data-submenu]"
    )
    order = [
        item.get_attribute("data-action") or item.get_attribute("data-submenu")
        for item in items.all()
    ]
    # Make a Copy and Save as beside Rename and Save; Print Preview beside Download as.
    assert order[2:8] == [
        "make-copy",
        "save-as",
        "rename",
        "save",
        "revert-checkpoint",
        "print-preview",
    ]
    assert order[8] == "download-as"
    screenshot(page, "file-menu")
