"""View > Cell Toolbar (Tags, Edit Metadata, Raw Cell Format) and Edit > Edit Notebook Metadata:
each edit made as a user makes it, then checked on the page and in the saved file."""

from __future__ import annotations

import json
from typing import Any

import nbformat

from tests.e2e.conftest import (
    cell,
    code,
    expect,
    markdown,
    open_notebook,
    screenshot,
    write_notebook,
)
from tests.server.conftest import RunningServer


def choose_toolbar(page: Any, action: str) -> None:
    page.click("#menubar [data-menu=view]")
    page.click("li[data-submenu=cell-toolbar]")
    page.click(f"li[data-action={action}]")


def save_and_read(page: Any, server: RunningServer, path: str) -> dict[str, Any]:
    """Saves through the toolbar and returns the file on disk, checked by nbformat."""
    page.click("#maintoolbar [data-action=save]")
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    raw = (server.root_dir / path).read_text()
    nbformat.validate(nbformat.reads(raw, as_version=nbformat.NO_CONVERT))
    saved: dict[str, Any] = json.loads(raw)
    return saved


def test_tags_are_added_saved_reloaded_and_removed(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "tags.ipynb", [code("x = 1"), markdown("# Title")])
    open_notebook(page, server, path)
    choose_toolbar(page, "celltoolbar-tags")
    first = cell(page, 0)
    first.locator("input.add-tag").fill("parameters")
    first.locator(".add-tag-btn").click()
    expect(first.locator(".cell-tag[data-tag=parameters]")).to_be_visible()
    # The input keeps the focus for the next tag.
    expect(first.locator("input.add-tag")).to_be_focused()
    # A comma is not allowed in a tag (nbformat's schema): a message, and nothing changes.
    first.locator("input.add-tag").fill("bad,tag")
    first.locator("input.add-tag").press("Enter")
    expect(page.locator(".notification.error")).to_contain_text("commas")
    assert page.evaluate("window.carnet.notebook.model.cells[0].metadata.tags") == ["parameters"]
    screenshot(page, "celltoolbar-tags")
    saved = save_and_read(page, server, path)
    assert saved["cells"][0]["metadata"]["tags"] == ["parameters"]
    assert saved["metadata"]["celltoolbar"] == "Tags"

    page.reload()
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    first = cell(page, 0)
    expect(first.locator(".cell-tag[data-tag=parameters]")).to_be_visible()
    first.locator(".cell-tag[data-tag=parameters] .tag-remove").click()
    expect(first.locator(".cell-tag")).to_have_count(0)
    saved = save_and_read(page, server, path)
    assert "tags" not in saved["cells"][0]["metadata"]

    choose_toolbar(page, "celltoolbar-none")
    expect(page.locator(".celltoolbar")).to_have_count(0)
    assert "celltoolbar" not in save_and_read(page, server, path)["metadata"]


def test_cell_metadata_dialog_refuses_bad_json_then_saves(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "cellmeta.ipynb", [code("y = 2")])
    open_notebook(page, server, path)
    choose_toolbar(page, "celltoolbar-edit-metadata")
    screenshot(page, "celltoolbar-edit-metadata-bar")
    before = page.evaluate("window.carnet.notebook.model.cells[0].metadata")
    version = page.evaluate("window.carnet.notebook.model.version")
    cell(page, 0).locator("button.edit-metadata").click()
    editor = page.locator(".modal textarea.json-editor")
    expect(editor).to_be_visible()
    screenshot(page, "celltoolbar-edit-metadata")
    editor.fill('{"papermill": ')
    page.click(".modal [data-value=apply]")
    expect(page.locator(".modal .json-error")).to_contain_text("Invalid JSON")
    # The user's text is kept, so it can be fixed.
    assert page.locator(".modal textarea.json-editor").input_value() == '{"papermill": '
    assert page.evaluate("window.carnet.notebook.model.cells[0].metadata") == before
    assert page.evaluate("window.carnet.notebook.model.version") == version  # no edit at all
    page.locator(".modal textarea.json-editor").fill("[1]")
    page.click(".modal [data-value=apply]")
    expect(page.locator(".modal .json-error")).to_contain_text("must be a JSON object")
    wanted = {"papermill": {"duration": 1.5}, "tags": ["raises-exception"]}
    page.locator(".modal textarea.json-editor").fill(json.dumps(wanted))
    page.click(".modal [data-value=apply]")
    expect(page.locator(".modal")).to_have_count(0)
    saved = save_and_read(page, server, path)
    assert saved["cells"][0]["metadata"] == wanted


def test_raw_cell_format(page: Any, server: RunningServer) -> None:
    raw = {"cell_type": "raw", "source": "\\section{A}"}
    path = write_notebook(server, "raw.ipynb", [code("z = 3"), raw])
    open_notebook(page, server, path)
    choose_toolbar(page, "celltoolbar-raw-cell-format")
    # Only raw cells get the bar.
    expect(cell(page, 1).locator("select.raw-format")).to_be_visible()
    expect(cell(page, 0).locator(".celltoolbar")).to_have_count(0)
    cell(page, 1).locator("select.raw-format").select_option("text/latex")
    saved = save_and_read(page, server, path)
    assert saved["cells"][1]["metadata"]["format"] == "text/latex"
    assert saved["cells"][1]["metadata"]["raw_mimetype"] == "text/latex"
    assert saved["metadata"]["celltoolbar"] == "Raw Cell Format"


def test_slideshow_type(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "slides.ipynb", [markdown("# One")])
    open_notebook(page, server, path)
    choose_toolbar(page, "celltoolbar-slideshow")
    cell(page, 0).locator("select.slide-type").select_option("subslide")
    saved = save_and_read(page, server, path)
    assert saved["cells"][0]["metadata"]["slideshow"] == {"slide_type": "subslide"}


def test_edit_notebook_metadata(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "nbmeta.ipynb", [code("w = 4")])
    open_notebook(page, server, path)
    page.click("#menubar [data-menu=edit]")
    page.click("li[data-action=edit-notebook-metadata]")
    editor = page.locator(".modal textarea.json-editor")
    expect(editor).to_be_visible()
    shown = json.loads(editor.input_value())
    assert shown["kernelspec"]["name"] == "python3"
    # A kernelspec without its display name breaks nbformat's schema: refused.
    editor.fill('{"kernelspec": {"name": "python3"}}')
    page.click(".modal [data-value=apply]")
    expect(page.locator(".modal .json-error")).to_contain_text("display_name")
    assert page.evaluate("window.carnet.notebook.model.metadata") == shown
    shown["title"] = "My analysis"
    page.locator(".modal textarea.json-editor").fill(json.dumps(shown))
    page.click(".modal [data-value=apply]")
    expect(page.locator(".modal")).to_have_count(0)
    expect(page.locator("#dirty-indicator")).to_contain_text("unsaved")
    saved = save_and_read(page, server, path)
    assert saved["metadata"]["title"] == "My analysis"
    assert saved["metadata"]["kernelspec"] == shown["kernelspec"]
