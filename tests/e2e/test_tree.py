"""The file browser: listing, breadcrumbs, sorting, new, rename, duplicate, delete, upload,
download, running sessions; and custom.js / custom.css on every page."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tests.e2e.conftest import open_notebook, screenshot, write_notebook
from tests.server.conftest import RunningServer


def names(page: Any) -> list[str]:
    return page.locator("#notebook_list .list-item[data-path] .item-name").all_inner_texts()


def select(page: Any, name: str) -> None:
    page.locator(f"#notebook_list .list-item[data-path$='{name}'] .item-check").check()


def confirm(page: Any) -> None:
    page.locator(".modal .btn-primary").click()
    page.wait_for_selector(".modal-backdrop", state="detached")


def goto_tree(page: Any, server: RunningServer, path: str = "") -> None:
    page.goto(server.url + "tree" + (f"/{path}" if path else ""))
    page.wait_for_selector("#notebook_list .list-header")


def test_create_notebook_from_tree(page: Any, server: RunningServer) -> None:
    page.click("#new-dropdown-button")
    kernels = page.locator("#new-menu li[id^=new-kernel-]").all_inner_texts()
    assert "Other Python" in kernels
    with page.expect_navigation():
        page.click("#new-kernel-python3")
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    path = page.url.split("/notebooks/")[1]
    assert path.startswith("Untitled") and path.endswith(".ipynb")
    saved = json.loads((server.root_dir / path).read_text())
    assert saved["metadata"]["kernelspec"]["name"] == "python3"
    page.keyboard.press("Enter")
    page.keyboard.insert_text("21 * 2")
    page.keyboard.press("Shift+Enter")
    page.wait_for_selector(".output-execute-result:has-text('42')")


def test_listing_breadcrumbs_and_sorting(page: Any, server: RunningServer) -> None:
    base = server.root_dir / "sorting"
    (base / "sub dir" / "deeper").mkdir(parents=True)
    (base / "b.txt").write_text("b" * 10)
    (base / "a.txt").write_text("a" * 3000)
    (base / "c.txt").write_text("")
    goto_tree(page, server, "sorting")
    assert names(page) == ["sub dir", "a.txt", "b.txt", "c.txt"]
    page.click(".sort-name")
    assert names(page) == ["sub dir", "c.txt", "b.txt", "a.txt"]
    page.click(".sort-size")
    assert names(page) == ["sub dir", "c.txt", "b.txt", "a.txt"]
    page.click(".sort-size")
    assert names(page) == ["sub dir", "a.txt", "b.txt", "c.txt"]
    assert "3.0 kB" in page.locator(".list-item[data-path$='a.txt'] .item-size").inner_text()
    page.click(".list-item[data-path$='sub dir'] .item-name")
    page.wait_for_url("**/tree/sorting/sub%20dir")
    page.wait_for_selector(".list-item[data-path$='deeper']")
    crumbs = page.locator("#breadcrumbs li").all_inner_texts()
    assert crumbs[1:] == ["sorting", "sub dir"]
    page.click("#breadcrumbs li:nth-child(2) a")
    page.wait_for_url("**/tree/sorting")
    page.wait_for_selector(".list-item[data-path$='a.txt']")


def test_new_folder_file_rename_duplicate_delete(page: Any, server: RunningServer) -> None:
    base = server.root_dir / "ops"
    base.mkdir()
    (base / "keep.txt").write_text("keep me")
    goto_tree(page, server, "ops")
    page.click("#new-dropdown-button")
    page.click("#new-folder")
    page.wait_for_selector(".list-item[data-path='ops/Untitled Folder']")
    select(page, "Untitled Folder")
    page.click("#rename-button")
    page.locator(".modal input").fill("renamed")
    confirm(page)
    page.wait_for_selector(".list-item[data-path='ops/renamed']")
    assert (base / "renamed").is_dir()
    select(page, "keep.txt")
    page.click("#duplicate-button")
    page.wait_for_selector(".list-item[data-path='ops/keep-Copy1.txt']")
    assert (base / "keep-Copy1.txt").read_text() == "keep me"
    select(page, "keep-Copy1.txt")
    select(page, "renamed")
    page.click("#delete-button")
    assert "keep-Copy1.txt" in page.inner_text(".modal-body")
    page.locator(".modal .btn:not(.btn-primary)").click()  # cancel: nothing is deleted
    assert (base / "renamed").exists()
    page.wait_for_selector("#delete-button", state="detached")  # the list was refreshed
    select(page, "keep-Copy1.txt")
    select(page, "renamed")
    page.click("#delete-button")
    confirm(page)
    page.wait_for_selector(".list-item[data-path='ops/renamed']", state="detached")
    assert not (base / "renamed").exists() and not (base / "keep-Copy1.txt").exists()
    assert (base / "keep.txt").exists()
    page.click("#new-dropdown-button")
    page.click("#new-file")
    page.wait_for_url("**/edit/ops/untitled*.txt")
    page.wait_for_selector("#texteditor-container .cm-editor")


def test_upload_small_and_chunked(page: Any, server: RunningServer, tmp_path: Path) -> None:
    (server.root_dir / "up").mkdir()
    small = tmp_path / "small.bin"
    small.write_bytes(bytes(range(256)) * 4)
    big = tmp_path / "big.bin"
    big.write_bytes(bytes(range(256)) * (4096 * 3 + 7))  # ~3 MiB: four chunks
    notebook = tmp_path / "up.ipynb"
    notebook.write_text(
        json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []})
    )
    goto_tree(page, server, "up")
    page.set_input_files("#upload-input", [str(small), str(big), str(notebook)])
    page.wait_for_selector(".list-item[data-path='up/up.ipynb']", timeout=30_000)
    assert (server.root_dir / "up" / "small.bin").read_bytes() == small.read_bytes()
    assert (server.root_dir / "up" / "big.bin").read_bytes() == big.read_bytes()
    assert json.loads((server.root_dir / "up" / "up.ipynb").read_text())["nbformat"] == 4
    select(page, "small.bin")
    with page.expect_download() as download:
        page.click("#download-button")
    target = tmp_path / "downloaded.bin"
    download.value.save_as(target)
    assert target.read_bytes() == small.read_bytes()


def test_running_notebooks_shut_down(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "running.ipynb", [])
    open_notebook(page, server, path)
    goto_tree(page, server)
    assert page.locator(".list-item[data-path='running.ipynb'] .running-indicator").count() == 1
    page.click("#running-tab")
    row = page.locator("#running_list .list-item[data-path='running.ipynb']")
    row.wait_for()
    row.locator(".shutdown").click()
    row.wait_for(state="detached")
    with server.client() as client:
        assert client.get("api/sessions").json() == []
    screenshot_tree(page, server)


def screenshot_tree(page: Any, server: RunningServer) -> None:
    goto_tree(page, server)
    screenshot(page, "tree")


def poll(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Waits until `expression` is true in the page. Not wait_for_function: its polling
    compiles the expression in the page, which the tree and editor pages' CSP forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        time.sleep(0.05)


def test_custom_js_and_css_on_every_page(page: Any, server: RunningServer) -> None:
    (server.root_dir / "notes.txt").write_text("hello")
    path = write_notebook(server, "custom.ipynb", [])
    for url in ["tree", f"notebooks/{path}", "edit/notes.txt"]:
        page.goto(server.url + url)
        poll(page, "document.documentElement.dataset.customJs === 'loaded'")
        poll(page, "(window.customEvents || []).some(e => e[0] === 'page_loaded')")
    page.goto(server.url + f"notebooks/{path}")
    page.wait_for_function("window.customEvents.some(e => e[0] === 'kernel_ready')")
    border = page.evaluate(
        "getComputedStyle(document.getElementById('notebook-container')).borderTopColor"
    )
    assert border == "rgb(243, 119, 38)"
