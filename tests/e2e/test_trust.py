"""Notebook trust in Chromium: the malicious corpus runs nothing until trusted; trust runs JS.

Every corpus payload, if it ever ran, would append to `window.__pwned` and request a
URL on a local recorder server. Each notebook is opened untrusted; the test waits for
rendering, fires a sentinel request to the recorder (so requests the page issued
before it have arrived), and then asserts no flag, no hit but the sentinel, and an
output DOM free of script, handlers, javascript: URLs, frames, forms and unprefixed
ids. The positive control, a notebook whose JavaScript output does run once trusted
through the UI, shows the recorder and the flags would see a payload that ran.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import cell, code, edit_cell, open_notebook, write_notebook
from tests.server.conftest import RunningServer
from tests.trust import corpus

OUTPUT_AREAS = "#notebook-container .output-area, #notebook-container .text-cell-render"


class HitRecorder:
    """A local HTTP server recording every path requested of it."""

    def __init__(self) -> None:
        hits: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_GET

            def log_message(self, *args: Any) -> None:
                pass

        self.hits = hits
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/hit"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def wait_for(self, path: str, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if path in self.hits:
                return
            time.sleep(0.02)
        raise AssertionError(f"{path} never reached the recorder; hits: {self.hits}")

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture(scope="module")
def recorder() -> Iterator[HitRecorder]:
    made = HitRecorder()
    yield made
    made.close()


# Checks every rendered output and markdown cell for what the sanitizer must remove.
DOM_PROBLEMS = """(selector) => {
  const problems = [];
  const banned = "script,iframe,frame,frameset,object,embed,form,input,button,style,link,meta,base";
  for (const area of document.querySelectorAll(selector)) {
    for (const el of area.querySelectorAll(banned)) problems.push("element " + el.tagName);
    for (const el of area.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on")) problems.push("handler " + name);
        if (/^\\s*javascript:/i.test(attr.value)) problems.push("javascript: in " + name);
        if (name === "srcdoc" || name === "formaction" || name === "action") problems.push(name);
        const heading = /^H[1-6]$/.test(el.tagName) && name === "id";
        const named = name === "id" || name === "name";
        if (named && !heading && !attr.value.startsWith("user-content-"))
          problems.push("unprefixed " + name + "=" + attr.value);
      }
    }
  }
  return problems;
}"""

GLOBALS_INTACT = """() => ({
  pwned: window.__pwned === undefined ? null : String(window.__pwned),
  getElementById: typeof document.getElementById,
  cookie: typeof document.cookie,
  carnetEvents: !!(window.carnet && window.carnet.events && !(window.carnet instanceof Element)),
  clobbered: window.clobbered === undefined,
  containers: document.querySelectorAll("#notebook-container").length,
})"""


# Resolves once what the page has queued has run: images are loaded or failed, every
# animation has started, and two frames later (animation events fire in a frame's update,
# before its animation frame callbacks) a task queued behind the load and toggle events.
FLUSHED = """() => Promise.all(document.getAnimations().map((a) => a.ready.catch(() => null)))
  .then(() => new Promise((done) =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => done(true))))))"""


def settle(page: Any, recorder: HitRecorder, tag: str) -> None:
    """Let pending loads, errors and requests happen, then flush them with a sentinel."""
    page.wait_for_function("Array.from(document.images).every((img) => img.complete)")
    page.evaluate(FLUSHED)  # image errors, animations and toggles fire asynchronously
    sentinel = f"/hit/sentinel-{tag}"
    page.evaluate("(url) => fetch(url)", recorder.url + sentinel.removeprefix("/hit"))
    recorder.wait_for(sentinel)


def provoke(page: Any) -> None:
    """Do what a reader would: hover, click the links, focus what can be focused."""
    for link in page.locator(f":is({OUTPUT_AREAS}) a").all():
        if link.get_attribute("href") is None or "jslink" in (link.get_attribute("class") or ""):
            link.click(force=True)
    hover = page.locator("[id$='hover-me']")
    if hover.count():
        hover.first.hover(force=True)


@pytest.mark.parametrize("name", corpus.names())
def test_malicious_notebook_runs_nothing_while_untrusted(
    page: Any, server: RunningServer, recorder: HitRecorder, name: str
) -> None:
    path = f"corpus-{name}.ipynb"
    (server.root_dir / path).write_text(corpus.load(name, recorder.url))
    before = len(recorder.hits)
    open_notebook(page, server, path)
    page.wait_for_selector("#trust-indicator:not([hidden])")
    # Everything was rendered (sanitized), so "nothing ran" is not "nothing was shown".
    cells = json.loads((server.root_dir / path).read_text())["cells"]
    outputs = sum(len(c.get("outputs", [])) for c in cells)
    texts = sum(c["cell_type"] == "markdown" for c in cells)
    assert page.locator("#notebook-container .output-area > .output").count() == outputs
    assert page.locator("#notebook-container .rendered-markdown").count() >= texts
    provoke(page)
    settle(page, recorder, name)
    assert recorder.hits[before:] == [f"/hit/sentinel-{name}"]
    state = page.evaluate(GLOBALS_INTACT)
    assert state == {
        "pwned": None,
        "getElementById": "function",
        "cookie": "string",
        "carnetEvents": True,
        "clobbered": True,
        "containers": 1,
    }
    assert page.evaluate(DOM_PROBLEMS, OUTPUT_AREAS) == []
    assert page.url.endswith(path), "the page navigated away"


def js_notebook(server: RunningServer, recorder: HitRecorder, name: str) -> str:
    script = (
        "window.__ran=(window.__ran||[]).concat('{what}');"
        f"fetch('{recorder.url}/{name}-{{what}}')"
    )
    outputs = [
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {
                "application/javascript": script.format(what="js")
                + ";element.textContent='javascript ran'",
                "text/plain": "<IPython.core.display.Javascript object>",
            },
        },
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {"text/html": f"<b>html</b><script>{script.format(what='html')}</script>"},
        },
    ]
    cells = [code("display(Javascript(...))")]
    cells[0]["outputs"] = outputs
    return write_notebook(server, f"{name}.ipynb", cells)


def test_trusting_in_the_ui_runs_javascript_output(
    page: Any, server: RunningServer, recorder: HitRecorder
) -> None:
    path = js_notebook(server, recorder, "trust-ui")
    open_notebook(page, server, path)
    indicator = page.locator("#trust-indicator")
    indicator.wait_for()
    settle(page, recorder, "before-trust")
    assert page.evaluate("window.__ran === undefined")
    assert not [hit for hit in recorder.hits if hit.startswith("/hit/trust-ui")]
    indicator.click()
    page.locator(".modal .btn-primary").click()  # the confirmation
    page.wait_for_function("(window.__ran || []).length === 2")
    recorder.wait_for("/hit/trust-ui-js")
    recorder.wait_for("/hit/trust-ui-html")
    assert page.locator("[data-mime='application/javascript']").inner_text() == "javascript ran"
    assert indicator.is_hidden()
    # The server recorded the trust: the notebook opens trusted from now on.
    page.reload()
    page.wait_for_function("(window.__ran || []).length === 2")
    with server.client() as client:
        model = client.get(f"api/contents/{path}").json()
    assert model["content"]["cells"][0]["metadata"]["trusted"] is True


def test_cancelling_the_confirmation_trusts_nothing(
    page: Any, server: RunningServer, recorder: HitRecorder
) -> None:
    path = js_notebook(server, recorder, "trust-cancel")
    open_notebook(page, server, path)
    page.locator("#trust-indicator").click()
    page.locator(".modal button:not(.btn-primary)[data-value=cancel]").click()
    settle(page, recorder, "cancelled")
    assert page.evaluate("window.__ran === undefined")
    assert page.locator("#trust-indicator").is_visible()
    with server.client() as client:
        model = client.get(f"api/contents/{path}").json()
    assert model["content"]["cells"][0]["metadata"]["trusted"] is False


def test_markdown_never_runs_script_even_when_trusted(
    page: Any, server: RunningServer, recorder: HitRecorder
) -> None:
    path = "trusted-markdown.ipynb"
    (server.root_dir / path).write_text(corpus.load("markdown_html", recorder.url))
    with server.client() as client:
        response = client.post(f"api/contents/{path}/trust")
        assert response.status_code == 201
    before = len(recorder.hits)
    open_notebook(page, server, path)
    assert page.locator("#trust-indicator").is_hidden()
    page.locator(".text-cell-render h1").wait_for()
    provoke(page)
    settle(page, recorder, "trusted-markdown")
    assert recorder.hits[before:] == ["/hit/sentinel-trusted-markdown"]
    assert page.evaluate("window.__pwned === undefined")
    assert page.evaluate(DOM_PROBLEMS, "#notebook-container .text-cell-render") == []


def test_output_run_here_is_signed_on_save_and_runs_after_reload(
    page: Any, server: RunningServer, recorder: HitRecorder
) -> None:
    path = write_notebook(server, "ran-here.ipynb", [code("")])
    open_notebook(page, server, path)
    source = (
        "from IPython.display import Javascript, display\n"
        'display(Javascript("window.__ranHere = (window.__ranHere || 0) + 1"))'
    )
    edit_cell(page, 0, source)
    page.keyboard.press("Control+Enter")
    page.wait_for_function("window.__ranHere === 1")
    page.keyboard.press("Control+s")
    page.wait_for_function(
        "!document.querySelector('#dirty-indicator').classList.contains('dirty')"
    )
    with server.client() as client:
        model = client.get(f"api/contents/{path}").json()
    assert model["content"]["cells"][0]["metadata"]["trusted"] is True, "not signed on save"
    page.reload()
    page.wait_for_function("window.__ranHere === 1")  # the saved output ran on opening
    assert page.locator("#trust-indicator").is_hidden()
    assert cell(page, 0).locator("[data-mime='application/javascript']").count() == 1


def test_untrusted_svg_keeps_its_local_references(
    page: Any, server: RunningServer, recorder: HitRecorder
) -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
        '<defs><clipPath id="half"><rect width="20" height="20"/></clipPath></defs>'
        '<rect width="40" height="20" fill="teal" clip-path="url(#half)"/></svg>'
    )
    cells = [code("SVG(...)")]
    cells[0]["outputs"] = [
        {"output_type": "display_data", "metadata": {}, "data": {"image/svg+xml": svg}}
    ]
    open_notebook(page, server, write_notebook(server, "local-refs.ipynb", cells))
    rect = page.locator("[data-mime='image/svg+xml'] rect[fill=teal]")
    assert rect.get_attribute("clip-path") == "url(#user-content-half)"
    assert page.locator("[data-mime='image/svg+xml'] clipPath#user-content-half").count() == 1


def test_recorder_sees_requests(recorder: HitRecorder) -> None:
    httpx.get(recorder.url + "/self-test", timeout=5)
    recorder.wait_for("/hit/self-test")
