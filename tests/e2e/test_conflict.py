"""A notebook changed on disk (by another program or tab) is never overwritten silently.

Saves carry the hash of the file as the page last loaded or saved it; a refused save
asks the user to overwrite, reload, or save a copy. An unchanged file never asks.
"""

from __future__ import annotations

import json
import time
from typing import Any

from tests.e2e.conftest import (
    cell,
    code,
    edit_cell,
    open_notebook,
    screenshot,
    write_notebook,
)
from tests.e2e.test_scale import big_notebook
from tests.server.conftest import RunningServer

DIALOG = ".modal[aria-label='File changed on disk']"
SOURCES = "window.carnet.notebook.model.cells.map(c => c.source)"


def disk_source(server: RunningServer, path: str) -> str:
    """The first cell's source as the file on disk has it."""
    doc = json.loads((server.root_dir / path).read_text())
    return "".join(doc["cells"][0]["source"])


def change_on_disk(server: RunningServer, path: str, source: str) -> None:
    """Another program rewrites the file: the first cell gets `source`."""
    file = server.root_dir / path
    doc = json.loads(file.read_text())
    doc["cells"][0]["source"] = source
    file.write_text(json.dumps(doc, indent=1))


def save(page: Any) -> None:
    page.keyboard.press("Escape")
    page.keyboard.press("Control+s")


def saved_or_asked(page: Any) -> bool:
    """Waits for the save to end; whether it asked about a change on disk."""
    page.wait_for_function(
        "() => !window.carnet.notebook.model.dirty || document.querySelector('.modal')"
    )
    return int(page.locator(DIALOG).count()) > 0


def edit_and_save_quietly(page: Any, server: RunningServer, path: str, source: str) -> None:
    """An edit saved from the page goes to disk without any question."""
    edit_cell(page, 0, source)
    save(page)
    assert not saved_or_asked(page), "asked about a change on disk nobody made"
    assert disk_source(server, path) == source


def conflicted(page: Any, server: RunningServer, name: str) -> str:
    """Opens `name`, edits it in the page and on disk, saves: the question appears."""
    path = write_notebook(server, name, [code("'original'"), code("2")])
    open_notebook(page, server, path)
    edit_cell(page, 0, "'from the page'")
    change_on_disk(server, path, "'from disk'")
    save(page)
    page.wait_for_selector(DIALOG)
    # Nothing was written, and the page keeps its edit.
    assert disk_source(server, path) == "'from disk'"
    assert page.evaluate(SOURCES)[0] == "'from the page'"
    return path


def test_overwrite_writes_the_page_version(page: Any, server: RunningServer) -> None:
    path = conflicted(page, server, "overwrite.ipynb")
    shot = screenshot(page, "conflict-dialog")
    text = page.locator(DIALOG).inner_text()
    assert "overwrite.ipynb" in text and "changed on disk" in text
    assert [b.inner_text() for b in page.locator(f"{DIALOG} .modal-footer button").all()] == [
        "Overwrite",
        "Reload from disk",
        "Save a copy",
    ]
    page.locator(f"{DIALOG} button[data-value=overwrite]").click()
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    assert disk_source(server, path) == "'from the page'"
    assert page.locator(".modal").count() == 0
    # The hash of the overwrite is kept: the next save does not ask.
    edit_and_save_quietly(page, server, path, "'next edit'")
    print(f"dialog: {shot}")


def test_reload_shows_the_disk_version(page: Any, server: RunningServer) -> None:
    path = conflicted(page, server, "reload.ipynb")
    page.locator(f"{DIALOG} button[data-value=reload]").click()
    page.wait_for_function(f"{SOURCES}[0] === \"'from disk'\"")
    assert "'from disk'" in cell(page, 0).inner_text()
    assert "(unsaved changes)" not in page.inner_text("#dirty-indicator")
    assert disk_source(server, path) == "'from disk'"
    edit_and_save_quietly(page, server, path, "'edited after reload'")


def test_save_a_copy_leaves_the_disk_version_and_edits_the_copy(
    page: Any, server: RunningServer
) -> None:
    path = conflicted(page, server, "copied.ipynb")
    page.locator(f"{DIALOG} button[data-value=copy]").click()
    page.wait_for_selector("#notebook_name:text('copied-Copy1')")
    copy = "copied-Copy1.ipynb"
    assert disk_source(server, copy) == "'from the page'"
    assert disk_source(server, path) == "'from disk'"
    assert page.url.endswith(f"/notebooks/{copy}")
    assert page.title() == "copied-Copy1"
    with server.client() as client:
        assert [s["path"] for s in client.get("api/sessions").json()] == [copy]
    screenshot(page, "conflict-after-copy")
    # From now on the page saves into the copy, quietly, and never touches the original.
    edit_and_save_quietly(page, server, copy, "'edit of the copy'")
    assert disk_source(server, path) == "'from disk'"


def test_dismissing_writes_nothing_and_the_next_save_asks_again(
    page: Any, server: RunningServer
) -> None:
    path = conflicted(page, server, "dismissed.ipynb")
    page.keyboard.press("Escape")
    page.wait_for_selector(DIALOG, state="detached")
    assert disk_source(server, path) == "'from disk'"
    assert page.evaluate("window.carnet.notebook.model.dirty")
    save(page)
    page.wait_for_selector(DIALOG)
    page.locator(f"{DIALOG} button[data-value=overwrite]").click()
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    assert disk_source(server, path) == "'from the page'"


# Counts the runs of the timers set from now on (the autosave's): each tick, once it ran.
TICK_COUNTER = """() => {
  window.autosaveTicks = 0;
  const setInterval = window.setInterval;
  window.setInterval = (tick, ms, ...args) =>
    setInterval(() => { tick(...args); window.autosaveTicks += 1; }, ms);
}"""


def test_autosave_asks_once_and_pauses_until_answered(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "autosaved.ipynb", [code("'original'")])
    open_notebook(page, server, path)
    puts: list[int] = []
    page.on(
        "response",
        lambda r: puts.append(r.status) if r.request.method == "PUT" and path in r.url else None,
    )
    # The ticks of the autosave timer are counted: the test waits for ticks, not for time.
    page.evaluate(TICK_COUNTER)
    page.evaluate("window.carnet.notebook.saver.startAutosave(1)")
    change_on_disk(server, path, "'from disk'")
    edit_cell(page, 0, "'from the page'")
    page.wait_for_selector(DIALOG)
    ticks = page.evaluate("window.autosaveTicks")
    # Three more autosave ticks: none may save or ask again.
    page.wait_for_function(f"window.autosaveTicks >= {ticks + 3}", timeout=20_000)
    assert puts == [409]
    assert page.locator(".modal").count() == 1
    page.locator(f"{DIALOG} button[data-value=overwrite]").click()
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    assert disk_source(server, path) == "'from the page'"
    # Autosave is back, with the new hash: an edit is saved without a question.
    edit_cell(page, 0, "'autosaved again'")
    deadline = time.monotonic() + 15
    while disk_source(server, path) != "'autosaved again'":
        assert time.monotonic() < deadline, f"no autosave within 15 s: {puts}"
        time.sleep(0.1)
    assert page.locator(".modal").count() == 0
    assert puts.count(409) == 1


def test_two_tabs_the_second_save_asks_and_nothing_is_lost(
    page: Any, server: RunningServer, context: Any
) -> None:
    path = write_notebook(server, "two-tabs.ipynb", [code("'original'"), code("2")])
    open_notebook(page, server, path)
    other = context.new_page()
    try:
        open_notebook(other, server, path)
        edit_cell(page, 0, "'tab one'")
        save(page)
        assert not saved_or_asked(page)
        assert disk_source(server, path) == "'tab one'"
        edit_cell(other, 0, "'tab two'")
        save(other)
        other.wait_for_selector(DIALOG)
        screenshot(other, "conflict-second-tab")
        assert disk_source(server, path) == "'tab one'"
        other.locator(f"{DIALOG} button[data-value=copy]").click()
        other.wait_for_selector("#notebook_name:text('two-tabs-Copy1')")
        # Both edits are on disk: the first tab's in the file, the second's in the copy.
        assert disk_source(server, path) == "'tab one'"
        assert disk_source(server, "two-tabs-Copy1.ipynb") == "'tab two'"
    finally:
        other.close()


def test_revert_and_rename_keep_the_hash(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "kept.ipynb", [code("'first'")])
    open_notebook(page, server, path)
    save(page)
    page.wait_for_selector("#save_widget_status:has-text('Last Checkpoint')")
    edit_cell(page, 0, "'second'")
    page.keyboard.press("Escape")
    page.evaluate("window.carnet.notebook.saver.save(false)")  # an autosave: no checkpoint
    page.wait_for_function("!window.carnet.notebook.model.dirty")
    assert disk_source(server, path) == "'second'"
    page.click("#menubar [data-menu=file]")
    page.click("li[data-action=revert-checkpoint]")
    page.locator(".modal .btn-primary").click()
    page.wait_for_function(f"{SOURCES}[0] === \"'first'\"")
    edit_and_save_quietly(page, server, path, "'after revert'")
    page.click("#notebook_name")
    box = page.locator(".modal input")
    box.fill("renamed-kept")
    box.press("Enter")
    page.wait_for_selector("#notebook_name:text('renamed-kept')")
    edit_and_save_quietly(page, server, "renamed-kept.ipynb", "'after rename'")


def test_unchanged_ten_megabyte_notebook_saved_twice_never_asks(
    page: Any, server: RunningServer
) -> None:
    path = write_notebook(server, "big-unchanged.ipynb", big_notebook(2000))
    open_notebook(page, server, path)
    statuses: list[int] = []
    for _ in range(2):
        with page.expect_response(
            lambda r: r.request.method == "PUT" and path in r.url, timeout=120_000
        ) as response:
            save(page)
        statuses.append(response.value.status)
        page.wait_for_function("!window.carnet.notebook.model.dirty")
    size = (server.root_dir / path).stat().st_size
    assert statuses == [200, 200]
    assert page.locator(".modal").count() == 0
    assert size > 10_000_000, size
    print(f"saved {size / 1e6:.1f} MB twice without a question")
