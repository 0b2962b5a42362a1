"""The tree's action bar and list: buttons by selection, the select menu, Move (and its refusals),
Edit, View, Shutdown of running notebooks, and sorting both ways, remembered across visits."""

from __future__ import annotations

import os
import time
from typing import Any

from tests.e2e.conftest import expect, open_notebook, screenshot, write_notebook
from tests.server.conftest import RunningServer


def goto_tree(page: Any, server: RunningServer, path: str = "") -> None:
    page.goto(server.url + "tree" + (f"/{path}" if path else ""))
    page.wait_for_selector("#notebook_list .list-header")


def names(page: Any) -> list[str]:
    return page.locator("#notebook_list .list-item[data-path] .item-name").all_inner_texts()


def row(page: Any, path: str) -> Any:
    return page.locator(f"#notebook_list .list-item[data-path='{path}']")


def buttons(page: Any) -> list[str]:
    shown = page.locator(".dynamic-buttons > .btn").all()
    return [b.get_attribute("id").removesuffix("-button") for b in shown]


def move_to(page: Any, folder: str) -> None:
    page.click("#move-button")
    page.locator(".modal input").fill(folder)
    page.locator(".modal .btn-primary").click()
    page.wait_for_selector(".modal-backdrop", state="detached")


def error_shown(page: Any, text: str) -> None:
    note = page.locator("#notification-area .notification.error", has_text=text)
    expect(note.first).to_be_visible()


def test_action_bar_follows_the_selection(page: Any, server: RunningServer) -> None:
    base = server.root_dir / "bar"
    (base / "folder").mkdir(parents=True)
    (base / "notes.txt").write_text("notes")
    write_notebook(server, "bar/nb.ipynb", [])
    goto_tree(page, server, "bar")
    assert buttons(page) == []
    row(page, "bar/notes.txt").locator(".item-check").check()
    assert buttons(page) == ["duplicate", "rename", "move", "download", "view", "edit", "delete"]
    expect(page.locator("#selection-count")).to_have_text("1")
    assert page.evaluate("document.getElementById('select-all').indeterminate")
    row(page, "bar/folder").locator(".item-check").check()
    assert buttons(page) == ["move", "delete"]
    screenshot(page, "tree-action-bar")
    # The select menu picks by kind; the box checks all, then none.
    page.click("#select-menu-button")
    page.click("#select-menu li[data-select=notebooks]")
    checked = page.locator(".item-check:checked").all()
    assert [c.get_attribute("data-path") for c in checked] == ["bar/nb.ipynb"]
    assert buttons(page) == ["duplicate", "rename", "move", "download", "view", "edit", "delete"]
    page.check("#select-all")
    expect(page.locator("#selection-count")).to_have_text("3")
    assert page.locator(".item-check:checked").count() == 3
    page.uncheck("#select-all")
    assert page.locator(".item-check:checked").count() == 0
    assert buttons(page) == []


def test_move_into_a_folder_and_refusals(page: Any, server: RunningServer) -> None:
    base = server.root_dir / "mv"
    (base / "dest").mkdir(parents=True)
    (base / "a.txt").write_text("A")
    (base / "b.txt").write_text("B")
    (base / "dest" / "b.txt").write_text("the other B")
    goto_tree(page, server, "mv")
    row(page, "mv/a.txt").locator(".item-check").check()
    page.click("#move-button")
    expect(page.locator(".modal input")).to_have_value("mv")
    page.locator(".modal input").fill("mv/dest")
    page.locator(".modal .btn-primary").click()
    row(page, "mv/a.txt").wait_for(state="detached")
    assert (base / "dest" / "a.txt").read_text() == "A" and not (base / "a.txt").exists()

    # A name taken in the folder: nothing moves, not even the item that could.
    (base / "c.txt").write_text("C")
    page.click("#refresh")
    row(page, "mv/c.txt").locator(".item-check").check()
    row(page, "mv/b.txt").locator(".item-check").check()
    move_to(page, "mv/dest")
    error_shown(page, "mv/dest/b.txt already exists")
    assert (base / "b.txt").read_text() == "B" and (base / "c.txt").exists()
    assert (base / "dest" / "b.txt").read_text() == "the other B"
    assert not (base / "dest" / "c.txt").exists()
    # The selection stays, to correct and try again.
    expect(row(page, "mv/b.txt").locator(".item-check")).to_be_checked()
    expect(row(page, "mv/c.txt").locator(".item-check")).to_be_checked()
    row(page, "mv/b.txt").locator(".item-check").uncheck()

    # A folder that is not there: the server's reason.
    move_to(page, "mv/nowhere")
    error_shown(page, "No such file or directory")
    move_to(page, "mv/b.txt")
    error_shown(page, "not a folder")
    move_to(page, "../..")
    error_shown(page, "above the home folder")
    assert sorted(p.name for p in base.iterdir()) == ["b.txt", "c.txt", "dest"]

    # To the home folder, by an empty path.
    assert [c.get_attribute("data-path") for c in page.locator(".item-check:checked").all()] == [
        "mv/c.txt"
    ]
    move_to(page, "")
    row(page, "mv/c.txt").wait_for(state="detached")
    assert (server.root_dir / "c.txt").read_text() == "C"


def test_edit_and_view_open_new_tabs(page: Any, server: RunningServer) -> None:
    base = server.root_dir / "ev"
    base.mkdir()
    (base / "data.csv").write_text("x,y\n1,2\n")
    (base / "readme.txt").write_text("read me\nplease\n")
    goto_tree(page, server, "ev")
    row(page, "ev/data.csv").locator(".item-check").check()
    with page.expect_popup() as popup_info:
        page.click("#edit-button")
    editor = popup_info.value
    editor.wait_for_url("**/edit/ev/data.csv")
    expect(editor.locator("#texteditor-container .cm-content")).to_contain_text("x,y")
    editor.close()
    # Opening a tab keeps the selection: data.csv is still checked.
    row(page, "ev/data.csv").locator(".item-check").uncheck()
    row(page, "ev/readme.txt").locator(".item-check").check()
    with page.expect_popup() as popup_info:
        page.click("#view-button")
    raw = popup_info.value
    raw.wait_for_url("**/files/ev/readme.txt")
    assert raw.locator("body").inner_text().strip() == "read me\nplease"
    raw.close()


def test_shutdown_running_notebook_from_the_list(
    page: Any, server: RunningServer, context: Any
) -> None:
    (server.root_dir / "sd").mkdir()
    path = write_notebook(server, "sd/live.ipynb", [])
    notebook = context.new_page()
    open_notebook(notebook, server, path)
    goto_tree(page, server, "sd")
    live = row(page, path)
    expect(live.locator(".running-indicator")).to_be_visible()
    live.locator(".item-check").check()
    # A running notebook is not renamed, moved or deleted under its kernel.
    assert buttons(page) == ["duplicate", "download", "shutdown", "view", "edit"]
    page.click("#shutdown-button")
    expect(live.locator(".running-indicator")).to_have_count(0)
    with server.client() as client:
        assert client.get("api/sessions").json() == []
    notebook.close()


def test_sorting_both_ways_is_remembered(page: Any, server: RunningServer) -> None:
    base = server.root_dir / "order"
    base.mkdir()
    now = time.time()
    for name, size, age in [("b.txt", 10, 300), ("a.txt", 3000, 100), ("c.txt", 0, 200)]:
        (base / name).write_text("x" * size)
        os.utime(base / name, (now - age, now - age))
    goto_tree(page, server, "order")
    assert names(page) == ["a.txt", "b.txt", "c.txt"]
    page.click(".sort-last_modified")
    assert names(page) == ["b.txt", "c.txt", "a.txt"]  # oldest first
    expect(page.locator(".sort-last_modified")).to_have_attribute("aria-sort", "ascending")
    page.click(".sort-last_modified")
    assert names(page) == ["a.txt", "c.txt", "b.txt"]
    page.click(".sort-size")
    assert names(page) == ["c.txt", "b.txt", "a.txt"]
    page.click(".sort-size")
    assert names(page) == ["a.txt", "b.txt", "c.txt"]
    expect(page.locator(".sort-size")).to_have_attribute("aria-sort", "descending")
    # Another visit (and another folder) keeps the order chosen.
    goto_tree(page, server, "order")
    assert names(page) == ["a.txt", "b.txt", "c.txt"]
    expect(page.locator(".sort-size")).to_have_attribute("aria-sort", "descending")
    page.click(".sort-name")
    page.click(".sort-name")
    assert names(page) == ["c.txt", "b.txt", "a.txt"]
    goto_tree(page, server, "order")
    assert names(page) == ["c.txt", "b.txt", "a.txt"]
    page.click(".sort-name")
    assert names(page) == ["a.txt", "b.txt", "c.txt"]
