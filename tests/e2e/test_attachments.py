"""Images in Markdown cells as cell attachments: pasted, dropped, or picked with Insert >
Insert Image, as a user does it; checked on the page and in the saved file (nbformat)."""

from __future__ import annotations

import base64
import json
import struct
import zlib
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
from tests.e2e.test_cell_toolbar import choose_toolbar, save_and_read
from tests.server.conftest import RunningServer


def png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A real PNG of one colour (the page decodes it, so its size can be checked)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(row * height)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


RED = png(40, 20, (220, 40, 40))
BLUE = png(30, 30, (40, 80, 220))
B64 = {"red": base64.b64encode(RED).decode(), "blue": base64.b64encode(BLUE).decode()}

# Files as the browser's clipboard and drag-and-drop hand them over.
MAKE_TRANSFER = """(files) => {
  const transfer = new DataTransfer();
  for (const [name, data, type] of files) {
    const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], name, { type }));
  }
  return transfer;
}"""


def paste_files(page: Any, target: Any, files: list[tuple[str, str, str]]) -> None:
    """A paste into `target` whose clipboard holds these files (name, base64, type)."""
    transfer = page.evaluate_handle(MAKE_TRANSFER, files)
    target.evaluate(
        "(el, transfer) => el.dispatchEvent(new ClipboardEvent('paste',"
        " { clipboardData: transfer, bubbles: true, cancelable: true }))",
        transfer,
    )


def drop_files(page: Any, target: Any, files: list[tuple[str, str, str]]) -> None:
    """Drags these files over `target` and drops them on its middle."""
    transfer = page.evaluate_handle(MAKE_TRANSFER, files)
    box = target.bounding_box()
    where = {"clientX": box["x"] + box["width"] / 2, "clientY": box["y"] + box["height"] / 2}
    for kind in ("dragenter", "dragover", "drop"):
        target.dispatch_event(kind, {"dataTransfer": transfer, **where})


def edit_markdown(page: Any, index: int, text: str) -> None:
    """Opens Markdown cell `index` for editing (a double click on it) and puts `text` in it."""
    cell(page, index).locator(".text-cell-render").dblclick()
    page.wait_for_selector(f"#notebook-container > .cell:nth-child({index + 1}).editing")
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def source(page: Any, index: int) -> str:
    return str(page.evaluate(f"window.carnet.notebook.model.cells[{index}].source"))


def wait_image(page: Any, index: int, width: int) -> None:
    """Waits until cell `index` shows a decoded image `width` pixels wide."""
    page.wait_for_function(
        f"""() => [...document.querySelectorAll('#notebook-container > .cell')][{index}]
              ?.querySelector('.text-cell-render img')?.naturalWidth === {width}"""
    )


def test_pasted_image_is_attached_rendered_saved_and_reloaded(
    page: Any, server: RunningServer
) -> None:
    path = write_notebook(server, "paste.ipynb", [markdown("Intro"), code("x = 1")])
    open_notebook(page, server, path)
    edit_markdown(page, 0, "Look: ")
    paste_files(
        page, cell(page, 0).locator(".cm-content"), [("image.png", B64["red"], "image/png")]
    )
    expect(cell(page, 0).locator(".cm-content")).to_contain_text("attachment:image.png")
    assert source(page, 0) == "Look: ![image.png](attachment:image.png)"
    page.keyboard.press("Shift+Enter")
    wait_image(page, 0, 40)
    src = cell(page, 0).locator(".text-cell-render img").get_attribute("src")
    assert src == "data:image/png;base64," + B64["red"]

    saved = save_and_read(page, server, path)
    assert saved["cells"][0]["attachments"] == {"image.png": {"image/png": B64["red"]}}
    assert "attachments" not in saved["cells"][1]

    page.reload()
    page.wait_for_selector(".kernel_indicator[data-status=idle]")
    wait_image(page, 0, 40)
    # Pasting the same name again with another image keeps both.
    edit_markdown(page, 0, "two ")
    paste_files(
        page, cell(page, 0).locator(".cm-content"), [("image.png", B64["blue"], "image/png")]
    )
    # The file is read (FileReader) before the link goes in: wait for it, as above.
    expect(cell(page, 0).locator(".cm-content")).to_contain_text("attachment:image-1.png")
    assert source(page, 0) == "two ![image-1.png](attachment:image-1.png)"
    saved = save_and_read(page, server, path)
    # The first image is no longer used by the source: not saved, as in Jupyter.
    assert saved["cells"][0]["attachments"] == {"image-1.png": {"image/png": B64["blue"]}}


def test_dropped_images_listed_removed_and_unused_ones_not_saved(
    page: Any, server: RunningServer
) -> None:
    path = write_notebook(server, "drop.ipynb", [markdown("Before"), code("y = 2")])
    open_notebook(page, server, path)
    edit_markdown(page, 0, "Before")
    drop_files(
        page,
        cell(page, 0).locator(".cm-content"),
        [("red dot.png", B64["red"], "image/png"), ("blue.png", B64["blue"], "image/png")],
    )
    expect(cell(page, 0).locator(".cm-content")).to_contain_text("attachment:blue.png")
    text = source(page, 0)
    assert "![red_dot.png](attachment:red_dot.png)\n![blue.png](attachment:blue.png)" in text
    assert text.startswith("Before")

    # A file that is not an image is refused with a message; so is an image on a code cell.
    drop_files(
        page, cell(page, 0).locator(".cm-content"), [("a.pdf", "JVBERg==", "application/pdf")]
    )
    expect(page.locator(".notification.error")).to_contain_text("a.pdf is application/pdf")
    drop_files(page, cell(page, 1).locator(".cm-content"), [("c.png", B64["red"], "image/png")])
    expect(page.locator(".notification.error").last).to_contain_text("Markdown cells only")
    assert source(page, 1) == "y = 2"

    page.keyboard.press("Escape")
    choose_toolbar(page, "celltoolbar-attachments")
    bar = cell(page, 0).locator(".celltoolbar-attachments")
    expect(bar.locator(".cell-attachment")).to_have_count(2)
    expect(
        bar.locator(".cell-attachment[data-name='red_dot.png'] img.attachment-thumb")
    ).to_be_visible()
    # The code cell cannot hold attachments: no bar.
    expect(cell(page, 1).locator(".celltoolbar")).to_have_count(0)
    cell(page, 0).locator(".input-area").click()
    page.keyboard.press("Shift+Enter")
    wait_image(page, 0, 40)
    screenshot(page, "celltoolbar-attachments")

    # The source stops using blue.png: listed as unused, and not saved.
    edit_markdown(page, 0, "Before ![red_dot.png](attachment:red_dot.png)")
    expect(bar.locator(".cell-attachment.unused[data-name='blue.png']")).to_be_visible()
    saved = save_and_read(page, server, path)
    assert saved["cells"][0]["attachments"] == {"red_dot.png": {"image/png": B64["red"]}}
    assert saved["metadata"]["celltoolbar"] == "Attachments"

    bar.locator(".cell-attachment[data-name='red_dot.png'] .attachment-remove").click()
    expect(bar.locator(".cell-attachment")).to_have_count(1)
    assert page.evaluate("Object.keys(window.carnet.notebook.model.cells[0].attachments)") == [
        "blue.png"
    ]
    saved = save_and_read(page, server, path)
    assert "attachments" not in saved["cells"][0]


def test_copied_cells_keep_their_attachments(page: Any, server: RunningServer) -> None:
    doc = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": [
            {
                "id": "pic",
                "cell_type": "markdown",
                "metadata": {},
                "source": "![image.png](attachment:image.png)",
                "attachments": {"image.png": {"image/png": B64["red"]}},
            }
        ],
    }
    (server.root_dir / "copy.ipynb").write_text(json.dumps(doc))
    open_notebook(page, server, "copy.ipynb")
    wait_image(page, 0, 40)
    cell(page, 0).locator(".text-cell-render").click()
    page.keyboard.press("c")
    page.keyboard.press("v")
    expect(page.locator("#notebook-container > .cell")).to_have_count(2)
    wait_image(page, 1, 40)
    saved = save_and_read(page, server, "copy.ipynb")
    assert [c["attachments"] for c in saved["cells"]] == [
        {"image.png": {"image/png": B64["red"]}}
    ] * 2
    assert saved["cells"][0]["id"] != saved["cells"][1]["id"]


def test_insert_image_from_the_menu(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "insert.ipynb", [code("z = 3"), markdown("Picture below")])
    open_notebook(page, server, path)
    # On a code cell: a message, no file picker.
    page.click("#menubar [data-menu=insert]")
    page.click("li[data-action=insert-image]")
    expect(page.locator(".notification.error")).to_contain_text("Markdown cell")

    cell(page, 1).locator(".text-cell-render").click()
    with page.expect_file_chooser() as chooser:
        page.click("#menubar [data-menu=insert]")
        page.click("li[data-action=insert-image]")
    chooser.value.set_files([{"name": "chart.png", "mimeType": "image/png", "buffer": BLUE}])
    expect(cell(page, 1).locator(".cm-content")).to_contain_text("attachment:chart.png")
    assert source(page, 1) == "Picture below\n![chart.png](attachment:chart.png)"
    page.keyboard.press("Shift+Enter")
    wait_image(page, 1, 30)
    saved = save_and_read(page, server, path)
    assert saved["cells"][1]["attachments"] == {"chart.png": {"image/png": B64["blue"]}}
    # Jupyter's own reader takes the file as it is.
    raw = (server.root_dir / path).read_text()
    assert (
        nbformat.reads(raw, as_version=4).cells[1].attachments["chart.png"]["image/png"]
        == B64["blue"]
    )
