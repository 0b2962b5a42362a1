"""The terminal page in Chromium: New > Terminal, typing, resizing, reloading, reconnecting,
the Running tab, and a shell that exits."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import require_browser, screenshot
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.support.dropproxy import DroppingProxy
from tests.support.waiting import wait_until

SIZE = re.compile(r"S=(\d+) (\d+)=")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server whose shell is bash without the machine's start-up files (slow ones exist)."""
    require_browser()
    dirs = ServerDirs(tmp_path_factory.mktemp("e2e-terminal"))
    shell = {"shell_command": ["/bin/bash", "--norc", "--noprofile"]}
    config = {"ServerApp": {"terminado_settings": shell}}
    (dirs.config / "jupyter_notebook_config.json").write_text(json.dumps(config))
    running = launch(dirs)
    yield running
    running.stop()


def screen(term: Any) -> str:
    return str(term.locator(".xterm-rows").inner_text())


def wait_for_line(term: Any, pattern: str) -> None:
    """Until a screen row matches `pattern` as a whole (not the typed command)."""
    row = term.locator(".xterm-rows > div", has_text=re.compile(pattern))
    row.first.wait_for()


def run(term: Any, command: str) -> None:
    term.locator(".xterm-helper-textarea").focus()
    term.keyboard.type(command)
    term.keyboard.press("Enter")


def stty_size(term: Any, marker: str) -> tuple[int, int]:
    run(term, f"echo {marker}S=$(stty size)=")
    wait_for_line(term, rf"^{marker}S=\d+ \d+=")
    found = re.search(rf"{marker}S=(\d+) (\d+)=", screen(term))
    assert found, screen(term)
    return int(found.group(1)), int(found.group(2))


def open_new_terminal(page: Any, context: Any) -> Any:
    page.click("#new-dropdown-button")
    with context.expect_page() as opened:
        page.click("#new-terminal")
    term = opened.value
    term.wait_for_url(re.compile(r"/terminals/\w+$"))
    term.wait_for_selector(".xterm-rows")
    errors: list[str] = []
    term.on("pageerror", lambda error: errors.append(str(error)))
    term.errors = errors
    return term


def test_new_terminal_runs_resizes_and_survives_reload(
    page: Any, context: Any, server: RunningServer
) -> None:
    term = open_new_terminal(page, context)
    name = term.url.rsplit("/", 1)[1]
    run(term, "echo $((6*7))")
    wait_for_line(term, r"^42\s*$")
    run(term, "MARK=kept-$$")
    rows, cols = stty_size(term, "a")
    assert rows > 5 and cols > 20
    term.set_viewport_size({"width": 640, "height": 420})
    smaller = stty_size(term, "b")
    assert smaller[0] < rows and smaller[1] < cols
    screenshot(term, "terminal")

    term.reload()
    term.wait_for_selector(".xterm-rows")
    wait_for_line(term, r"^42\s*$")  # the screen came back with the shell's output
    run(term, "echo again-$MARK")
    wait_for_line(term, r"^again-kept-\d+\s*$")
    # The shell's own history is there too: Up recalls the last command.
    term.keyboard.press("ArrowUp")
    term.keyboard.press("Enter")
    term.locator(".xterm-rows > div", has_text=re.compile(r"^again-kept-\d+\s*$")).nth(1).wait_for()

    # A dropped connection is reopened, and the same shell answers.
    term.evaluate("() => window.carnet.terminal.dropConnection()")
    run(term, "echo back-$MARK")
    wait_for_line(term, r"^back-kept-\d+\s*$")

    page.click("#running-tab")
    row = page.locator(f"#running_list [data-terminal='{name}']")
    row.wait_for()
    row.locator(".shutdown").click()
    row.wait_for(state="detached")
    term.wait_for_selector("#terminal-ended")
    assert "shell exited" in term.locator("#terminal-ended").inner_text()
    assert not term.errors
    term.close()


def test_a_shell_that_exits_says_so(page: Any, context: Any, server: RunningServer) -> None:
    term = open_new_terminal(page, context)
    run(term, "exit")
    term.wait_for_selector("#terminal-ended")
    assert "The shell exited" in term.locator("#terminal-ended").inner_text()
    term.reload()
    assert "No terminal named" in term.locator("body").inner_text()
    term.close()


def test_copy_and_paste(page: Any, context: Any, server: RunningServer) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    term = open_new_terminal(page, context)
    run(term, "echo copy-$((3*3))-me")
    wait_for_line(term, r"^copy-9-me\s*$")
    term.evaluate("() => window.carnet.terminal.terminal.selectAll()")
    term.keyboard.press("Control+Shift+C")
    copied = term.evaluate("() => navigator.clipboard.readText()")
    assert "copy-9-me" in copied
    term.evaluate("() => navigator.clipboard.writeText('echo pasted-$((5+5))')")
    term.locator(".xterm-helper-textarea").focus()
    term.keyboard.press("Control+Shift+V")
    term.keyboard.press("Enter")
    wait_for_line(term, r"^pasted-10\s*$")
    term.close()


def test_terminal_page_for_unknown_terminal_is_404(page: Any, server: RunningServer) -> None:
    response = page.goto(server.url + "terminals/nope")
    assert response.status == 404
    assert "No terminal named" in page.locator("body").inner_text()


def test_a_network_drop_keeps_the_shell_and_its_output(context: Any, server: RunningServer) -> None:
    with server.client() as http:
        name = http.post("api/terminals").json()["name"]
    flag = server.root_dir / f"away-{name}.flag"
    proxy = DroppingProxy(server.port)
    term = context.new_page()
    try:
        term.goto(f"http://127.0.0.1:{proxy.port}/terminals/{name}")
        term.wait_for_selector(".xterm-rows")
        run(term, "MARK=before-drop; echo ready-$((1+1))")
        wait_for_line(term, r"^ready-2\s*$")
        # The command prints once the page is cut off (the test then creates the gate).
        gate = server.root_dir / f"away-{name}.gate"
        started = server.root_dir / f"away-{name}.started"
        waiting = f"touch {started.name}; until [ -e {gate.name} ]; do sleep 0.05; done"
        run(term, f"{waiting}; echo while-away-$MARK; touch {flag.name}")
        # The shell runs the command: its echo on screen is not enough, as the Enter may
        # still be on its way (a drop then swallowed it once, on a loaded machine).
        wait_until(started.exists, what="the shell to start the command")
        proxy.drop()
        term.wait_for_selector("#terminal-status:has-text('reconnecting')")
        gate.touch()
        deadline = time.monotonic() + 30
        while not flag.exists():  # the shell printed while the page was cut off
            assert time.monotonic() < deadline, "the shell never ran the command"
            time.sleep(0.05)
        proxy.restore()
        wait_for_line(term, r"^while-away-before-drop\s*$")
        term.wait_for_selector("#terminal-status:text-is('')", state="attached")
        run(term, "echo after-$MARK")
        wait_for_line(term, r"^after-before-drop\s*$")
    finally:
        term.close()
        proxy.close()
