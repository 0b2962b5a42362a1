"""The kernel websocket in a worker: big messages decoded there, order kept, and a
fallback to the page's thread when the worker script cannot load."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import cell, edit_cell, open_notebook, write_notebook
from tests.server.conftest import RunningServer

# A 2.5 MB message (decoded in the worker) between two small ones (decoded by the page).
MIXED = """
from IPython.display import HTML, display
print("before", flush=True)
display(HTML("<b>" + "y" * 2_500_000 + "</b>"))
print("after")
"""


@pytest.mark.parametrize("worker", ["loads", "blocked"])
def test_big_and_small_messages_arrive_in_order(
    page: Any, server: RunningServer, worker: str
) -> None:
    if worker == "blocked":
        page.route("**/assets/*.worker-*.js", lambda route: route.fulfill(status=404, body=""))
    open_notebook(page, server, write_notebook(server, f"socket-{worker}.ipynb", [{"source": ""}]))
    edit_cell(page, 0, MIXED)
    page.keyboard.press("Control+Enter")
    cell(page, 0).locator(".stream-text").filter(has_text="after").wait_for()
    rows = cell(page, 0).locator(".output-area > .output")
    texts = [rows.nth(i).inner_text().strip() for i in range(rows.count())]
    assert len(texts) == 3, texts
    assert texts[0] == "before" and texts[2] == "after", texts
    assert "A large text/html output (2.4 MB)" in texts[1], texts[1]
    sockets = [w.url for w in page.workers if "/decoder.worker-" in w.url]
    assert len(sockets) == (1 if worker == "loads" else 0), sockets
    assert page.get_attribute(".kernel_indicator", "data-status") == "idle"
