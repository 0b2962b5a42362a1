"""The /edit page for text files, and the render gate's trust rules in the real browser."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import cell, code, edit_cell, open_notebook, write_notebook
from tests.server.conftest import RunningServer

HOSTILE_HTML = (
    "<b id='bold'>bold</b>"
    "<img src='x' onerror='window.pwned = (window.pwned || 0) + 1'>"
    "<script>window.pwned = (window.pwned || 0) + 1</script>"
    "<a href='javascript:window.pwned=1'>link</a>"
    "<form action='https://example.com'><input name='password'></form>"
    "<iframe src='https://example.com'></iframe>"
    "<svg><script>window.pwned = 9</script><circle r='4' onload='window.pwned = 10'/></svg>"
    "<img name='getElementById' src='data:,'>"
)


def test_edit_page_saves_text(page: Any, server: RunningServer) -> None:
    (server.root_dir / "script.py").write_text("print('old')\n")
    page.goto(server.url + "edit/script.py")
    page.wait_for_selector("#texteditor-container .cm-editor")
    assert page.inner_text("#file_name") == "script.py"
    page.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text("print('new')\n")
    page.wait_for_selector("#dirty-indicator.dirty")
    page.keyboard.press("Control+s")
    page.wait_for_selector("#dirty-indicator:not(.dirty)")
    assert (server.root_dir / "script.py").read_text() == "print('new')\n"
    # A syntax-highlighted Python file: CodeMirror marks tokens.
    assert page.locator(".cm-content span").count() > 0


def test_edit_page_refuses_binary_and_missing_files(page: Any, server: RunningServer) -> None:
    (server.root_dir / "blob.bin").write_bytes(bytes(range(256)))
    page.goto(server.url + "edit/blob.bin")
    page.wait_for_selector(".page-error")
    assert "not a text file" in page.inner_text(".page-error")
    page.errors.clear()  # the refusal is reported in the page, as it should be
    response = page.goto(server.url + "edit/nope.txt")
    assert response is not None and response.status == 404


def _hostile_notebook(server: RunningServer, name: str) -> str:
    output = {"output_type": "display_data", "data": {"text/html": HOSTILE_HTML}, "metadata": {}}
    script = {
        "output_type": "display_data",
        "data": {"application/javascript": "window.pwned = 42", "text/plain": "<js>"},
        "metadata": {},
    }
    return write_notebook(
        server, name, [{"source": "", "outputs": [output, script], "execution_count": 1}]
    )


def test_untrusted_outputs_are_sanitized_and_scripts_never_run(
    page: Any, server: RunningServer
) -> None:
    open_notebook(page, server, _hostile_notebook(server, "hostile.ipynb"))
    assert page.is_visible("#trust-indicator")
    outputs = cell(page, 0).locator(".output-area")
    assert outputs.locator("#user-content-bold, b").first.inner_text() == "bold"
    for selector in ["script", "[onerror]", "[onload]", "form", "input", "iframe"]:
        assert outputs.locator(selector).count() == 0, selector
    assert outputs.locator("a[href^=javascript]").count() == 0
    assert outputs.locator("[name=getElementById]").count() == 0
    # The JavaScript output is not run; its text/plain stands in for it.
    assert "<js>" in outputs.inner_text()
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("typeof document.getElementById") == "function"


def test_trusting_and_running_make_outputs_trusted(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, _hostile_notebook(server, "trustme.ipynb"))
    page.click("#trust-indicator")
    page.locator(".modal .btn-primary").click()
    page.wait_for_selector("#trust-indicator", state="hidden")
    # Trusted outputs render fully: the JavaScript output runs.
    page.wait_for_function("window.pwned !== undefined")
    edit_cell(page, 0, "from IPython.display import Javascript\nJavascript('window.ran = 7')")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("window.ran === 7")


def test_output_of_code_run_here_is_trusted(page: Any, server: RunningServer) -> None:
    open_notebook(page, server, write_notebook(server, "fresh.ipynb", [code("")]))
    edit_cell(page, 0, "from IPython.display import HTML\nHTML('<b onclick=\"x()\">hi</b>')")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".output-html b:text('hi')")
    assert page.locator(".output-html b[onclick]").count() == 1
    assert page.is_hidden("#trust-indicator")
