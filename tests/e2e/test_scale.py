"""The notebook at scale in Chromium: huge outputs and huge notebooks arrive whole and usable.

How responsive the page stays (its longest main-thread tasks), how soon a big notebook
is interactive and how long it takes to save are figures of bench/run.py's browser
suite, side by side with Notebook 7: tests assert behaviour, not time.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import cell, edit_cell, open_notebook, screenshot, write_notebook
from tests.server.conftest import RunningServer
from tests.support.notebooks import BIG_HTML, BIG_PNG

pytestmark = pytest.mark.slow


def run_cell(page: Any, source: str) -> None:
    edit_cell(page, 0, source)
    page.keyboard.press("Control+Enter")


def wait_idle(page: Any, timeout: float = 60_000) -> None:
    page.wait_for_function(
        "() => document.querySelector('#notebook-container > .cell .input-prompt')"
        ".textContent.trim() === 'In [1]:'",
        timeout=timeout,
    )


def test_million_line_print_is_clipped_on_screen_and_whole_in_the_model(
    page: Any, server: RunningServer
) -> None:
    open_notebook(page, server, write_notebook(server, "million.ipynb", [{"source": ""}]))
    run_cell(page, "for i in range(1_000_000): print(i)")
    tail = cell(page, 0).locator(".stream-tail")
    tail.filter(has_text="999999").wait_for(timeout=60_000)
    wait_idle(page)
    # The last line is on screen; head, the note of what is hidden, and both controls.
    assert tail.inner_text().rstrip().endswith("999998\n999999")
    assert cell(page, 0).locator(".stream-head").inner_text().startswith("0\n1\n2\n")
    note = cell(page, 0).locator(".stream-clip-note").inner_text()
    assert "999,700 more lines" in note, note
    assert cell(page, 0).locator(".stream-show-all").is_visible()
    assert cell(page, 0).locator(".stream-download").is_visible()
    # Nothing was dropped: the model holds every line.
    lines = page.evaluate(
        "() => carnet.notebook.model.cells[0].outputs.outputs[0].text.split('\\n').length"
    )
    assert lines == 1_000_001
    cell(page, 0).scroll_into_view_if_needed()
    screenshot(page, "scale-million-lines")


def test_show_all_download_and_save_keep_every_line(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "twenty-k.ipynb", [{"source": ""}])
    open_notebook(page, server, path)
    run_cell(page, "for i in range(20_000): print('line', i)")
    cell(page, 0).locator(".stream-tail").filter(has_text="line 19999").wait_for()
    wait_idle(page)
    with page.expect_download() as download:
        cell(page, 0).locator(".stream-download").click()
    saved = download.value.path().read_text()
    assert saved.splitlines() == [f"line {i}" for i in range(20_000)]
    cell(page, 0).locator(".stream-show-all").click()
    page.wait_for_function(
        "() => { const pre = document.querySelector('#notebook-container .stream-text');"
        " return pre && !document.querySelector('.stream-clip-bar')"
        " && pre.textContent.endsWith('line 19999\\n'); }"
    )
    text = cell(page, 0).locator(".stream-text").text_content()
    assert text is not None and text.count("\n") == 20_000
    page.evaluate("() => carnet.notebook.saver.save()")
    doc = json.loads((server.root_dir / path).read_text())
    stream = doc["cells"][0]["outputs"][0]
    assert "".join(stream["text"]).count("\n") == 20_000


def big_notebook(cells: int) -> list[dict[str, Any]]:
    """About 5 kB per cell: code with a stream output, every fifth a markdown cell."""
    result: list[dict[str, Any]] = []
    for i in range(cells):
        if i % 5 == 4:
            result.append(
                {"cell_type": "markdown", "source": f"## Section {i}\n\nSome *text* " * 20}
            )
            continue
        text = "".join(f"cell {i} line {n}: {'x' * 40}\n" for n in range(100))
        output = {"output_type": "stream", "name": "stdout", "text": text}
        result.append(
            {"source": f"x_{i} = {i}\nprint(x_{i})", "outputs": [output], "execution_count": i}
        )
    return result


# Opens the notebook, clicks its first cell and types a character into it.
def open_and_type(page: Any, url: str) -> None:
    page.goto(url, wait_until="commit")
    page.wait_for_selector("#notebook-container > .cell .input-area")
    first = page.locator("#notebook-container > .cell").first
    first.locator(".input-area").click()
    page.wait_for_selector("#notebook-container > .cell:first-child.editing")
    page.keyboard.type("z")
    page.wait_for_function(
        "() => document.querySelector('#notebook-container > .cell .cm-content')"
        "?.textContent.includes('z')"
    )


def test_2000_cell_notebook_draws_what_is_seen_and_saves_whole(
    page: Any, server: RunningServer
) -> None:
    path = write_notebook(server, "big.ipynb", big_notebook(2000))
    size = (server.root_dir / path).stat().st_size
    assert size > 10_000_000
    url = server.url + f"notebooks/{path}"
    open_and_type(page, url)
    # Off-screen cells are not drawn: far fewer output areas drawn than cells.
    drawn = page.locator("#notebook-container .stream-text").count()
    assert 0 < drawn < 200, drawn
    # Scrolling to the end draws the last cells (markdown rendered when near the screen).
    page.keyboard.press("Escape")
    # Cells above grow as they are drawn, so scroll again until the last one is drawn.
    page.wait_for_function(
        """() => {
          document.querySelector('#notebook-container > .cell:last-child').scrollIntoView();
          return !!document.querySelector(
            '#notebook-container > .cell:nth-child(1999) .stream-text');
        }""",
        polling=100,
    )
    cell(page, 1999).locator(".text-cell-render h2").wait_for()
    # Saving end to end: model -> JSON -> PUT -> reply (once the page is set up: it draws
    # cells before it hands itself to window.carnet).
    page.wait_for_function("() => window.carnet.notebook !== null")
    page.evaluate("() => carnet.notebook.saver.save()")
    doc = json.loads((server.root_dir / path).read_text())
    assert len(doc["cells"]) == 2000 and "z" in "".join(doc["cells"][0]["source"])


def test_20mb_image_and_html_arrive_through_the_worker_and_show(
    page: Any, server: RunningServer
) -> None:
    open_notebook(page, server, write_notebook(server, "big-media.ipynb", [{"source": ""}]))
    edit_cell(page, 0, BIG_PNG)
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "() => document.querySelector('#notebook-container .output-mime img')?.naturalWidth",
        timeout=60_000,
    )
    wait_idle(page)
    size = int(cell(page, 0).locator(".stream-text").inner_text().strip())
    assert size > 20_000_000
    assert page.evaluate("() => document.querySelector('.output-mime img').naturalWidth") == 2600
    # The kernel socket is in its worker (a fallback to the page's thread would show here).
    workers = [worker.url for worker in page.workers]
    assert any("/static/assets/decoder.worker-" in url for url in workers), workers
    screenshot(page, "scale-20mb-image")

    edit_cell(page, 0, BIG_HTML)
    page.keyboard.press("Control+Enter")
    cell(page, 0).locator(".stream-text").filter(has_text="after").wait_for(timeout=60_000)
    note = cell(page, 0).locator(".huge-output-note").inner_text()
    assert "text/html" in note and "MB" in note
