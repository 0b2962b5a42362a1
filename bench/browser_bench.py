"""Carnet's notebook page against Jupyter Notebook 7, in the same headless Chromium.

Measures: navigation to an interactive notebook (first cell clicked and a typed key
shown) for 200 and 2,000 cells; Shift-Enter to the output of `1+1` on screen; the
1,000,000-line print (seconds to the last line on screen, longest main-thread task
from a PerformanceObserver for 'longtask'); 20 MB of PNG and 27 MB of HTML output
(longest task, receiving and drawing). Carnet only, for lack of a counterpart: the
longest task of "show all" on a 20,000-line output, and saving the 2,000-cell
notebook. The absolute limits are those tests/e2e/test_scale.py held before tests
stopped asserting time. Notebook 7 runs with its defaults.
"""

from __future__ import annotations

import importlib.util
import json
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.support.browser import launch_chromium
from tests.support.notebooks import BIG_HTML, BIG_PNG, shaped_notebook
from tests.support.servers import RunningServer, ServerDirs, launch, launch_jupyter

from bench.compare import Target, compare
from bench.contents_bench import big_notebook

WATCH_LONG_TASKS = """() => { window.__longTasks = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__longTasks.push(e.duration);
  }).observe({ type: "longtask" }); }"""
LONGEST_TASK = "() => Math.max(0, ...window.__longTasks)"

# Each UI's selectors: its cells, their editor, an idle kernel, an output.
SELECTORS = {
    "carnet": {
        "cell": "#notebook-container > .cell",
        "input": ".input-area",
        "editor": ".cm-content",
        "idle": ".kernel_indicator[data-status=idle]",
        "output": ".output-area",
    },
    "jupyter": {
        "cell": ".jp-Notebook .jp-Cell",
        "input": ".jp-InputArea-editor",
        "editor": ".cm-content",
        "idle": ".jp-Notebook-ExecutionIndicator[data-status=idle]",
        "output": ".jp-OutputArea",
    },
}
TARGETS = {
    "load_200_ms": Target(limit=1000.0),
    "load_2000_ms": Target(limit=1000.0),
    "load_shaped_2000_ms": Target(limit=1000.0),
    "load_shaped_2000_longest_ms": Target(limit=200.0),
    "run_1plus1_ms": Target(limit=500.0),
    "million_last_line_s": Target(limit=60.0),
    "million_longest_ms": Target(limit=200.0),
    "million_show_all_s": Target(limit=5.0),
    "million_show_all_longest_ms": Target(limit=200.0),
    "show_all_20k_longest_ms": Target(limit=200.0),
    "save_2000_ms": Target(limit=1000.0),
    "png_20mb_longest_ms": Target(limit=300.0),
    "html_27mb_longest_ms": Target(limit=300.0),
}


def start_ui(name: str, base: Path) -> RunningServer:
    """A Carnet or Notebook 7 server (tests.support.servers) over its own directory."""
    if name == "carnet":
        return launch(ServerDirs(base), timeout=60)
    return launch_jupyter(ServerDirs(base), notebook=True)


def page_url(server: RunningServer, path: str) -> str:
    return server.url + f"notebooks/{path}"


def write(root: Path, name: str, doc: dict[str, Any]) -> str:
    (root / name).write_text(json.dumps(doc))
    return name


def small_notebook(cells: int) -> dict[str, Any]:
    doc = big_notebook(cells * 5000)
    doc["cells"] = doc["cells"][:cells]
    return doc


def one_cell(source: str) -> dict[str, Any]:
    doc = big_notebook(0)
    doc["cells"] = [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "c0",
            "metadata": {},
            "source": source,
            "outputs": [],
        }
    ]
    return doc


def time_to_interactive(page: Any, url: str, sel: dict[str, str]) -> float:
    page.goto(url, wait_until="commit")
    # Checked every frame, as a user would see it; a locator alone retries with a backoff
    # of up to half a second, which would be measured as the page's own time.
    page.wait_for_function(
        "(s) => document.querySelector(s)", arg=f"{sel['cell']} {sel['input']}", polling="raf"
    )
    page.locator(sel["cell"]).first.locator(sel["input"]).click()
    page.keyboard.type("z")
    page.wait_for_function(
        "(s) => document.querySelector(s)?.textContent.includes('z')",
        arg=f"{sel['cell']} {sel['editor']}",
    )
    return float(page.evaluate("() => performance.now()"))


def run_first_cell(page: Any, server: RunningServer, path: str, sel: dict[str, str]) -> float:
    page.goto(page_url(server, path))
    page.wait_for_selector(sel["idle"], timeout=60_000)
    page.locator(sel["cell"]).first.locator(sel["input"]).click()
    page.evaluate(WATCH_LONG_TASKS)
    start = time.perf_counter()
    page.keyboard.press("Shift+Enter")
    return start


# The longest task since navigation, from the page's buffer of long tasks (none: 0).
LONGEST_SINCE_LOAD = """() => new Promise((done) => {
  new PerformanceObserver((list) => done(Math.max(0, ...list.getEntries().map((e) => e.duration))))
    .observe({ type: "longtask", buffered: true });
  setTimeout(() => done(0), 100);
})"""


def loads(page: Any, server: RunningServer, sel: dict[str, str], samples: int) -> dict[str, float]:
    results: dict[str, float] = {}
    docs = {"200": small_notebook(200), "shaped_2000": shaped_notebook(), "2000": big_notebook()}
    for name, doc in docs.items():
        url = page_url(server, write(server.root_dir, f"n{name}.ipynb", doc))
        time_to_interactive(page, url, sel)  # warms the cache
        # The median of a few visits: one slow visit on a shared machine says little.
        visits, tasks = [], []
        for _ in range(samples):
            visits.append(time_to_interactive(page, url, sel))
            tasks.append(float(page.evaluate(LONGEST_SINCE_LOAD)))
        results[f"load_{name}_ms"] = statistics.median(visits)
        if name == "shaped_2000":
            results["load_shaped_2000_longest_ms"] = statistics.median(tasks)
    return results


def carnet_save_ms(page: Any) -> float:
    """Saving the open notebook end to end: model -> JSON -> PUT -> reply, in page time."""
    return float(
        page.evaluate(
            "async () => { const t = performance.now(); await carnet.notebook.saver.save();"
            " return performance.now() - t; }"
        )
    )


def million(page: Any, server: RunningServer, sel: dict[str, str]) -> dict[str, float]:
    code = "for i in range(1_000_000): print(i)"
    start = run_first_cell(page, server, write(server.root_dir, "m.ipynb", one_cell(code)), sel)
    try:
        out = page.locator(sel["output"]).filter(has_text="999999").first
        out.wait_for(timeout=180_000)
        last_line = time.perf_counter() - start
    except Exception:  # Notebook 7 may stop at its IOPub data rate limit
        last_line = math.inf
    return {"million_last_line_s": last_line, "million_longest_ms": longest(page)}


# Scrolls the shown output to its end and says whether its last line is on screen: the virtual
# view (.stream-virtual) draws the lines in view; before it, the whole text was drawn.
LAST_LINE_SHOWN = """(last) => {
  const box = document.querySelector('#notebook-container .stream-virtual');
  if (box) {
    box.scrollTop = box.scrollHeight;
    const pre = box.querySelector('.stream-text');
    return box.dataset.indexed === 'all' && pre.textContent.endsWith(last + '\\n');
  }
  const pre = document.querySelector('#notebook-container .stream-text');
  return pre && !document.querySelector('.stream-clip-bar')
    && pre.textContent.endsWith(last + '\\n');
}"""


def million_show_all(page: Any) -> dict[str, float]:
    """Carnet's "show all" on the 1,000,000-line output just printed: seconds until the last
    line is reachable by scrolling (and on screen), and the longest task meanwhile."""
    page.wait_for_function(
        "() => document.querySelector('#notebook-container > .cell .input-prompt')"
        ".textContent.trim() === 'In [1]:'"
    )
    page.locator("#notebook-container > .cell .input-prompt").first.click()
    page.evaluate(WATCH_LONG_TASKS)
    start = time.perf_counter()
    page.locator(".stream-show-all").click()
    try:
        page.wait_for_function(LAST_LINE_SHOWN, arg="999999", polling="raf", timeout=300_000)
        shown = time.perf_counter() - start
    except Exception as error:
        print(f"million_show_all_s: {error}", file=sys.stderr)
        shown = math.inf
    return {"million_show_all_s": shown, "million_show_all_longest_ms": longest(page)}


def show_all(page: Any, server: RunningServer, sel: dict[str, str]) -> float:
    """Carnet's "show all" on a clipped 20,000-line output: the longest task it causes."""
    code = "for i in range(20_000): print('line', i)"
    run_first_cell(page, server, write(server.root_dir, "s.ipynb", one_cell(code)), sel)
    page.locator(".stream-tail").filter(has_text="line 19999").wait_for()
    page.wait_for_function(  # the cell is done: its prompt numbered
        "() => document.querySelector('#notebook-container > .cell .input-prompt')"
        ".textContent.trim() === 'In [1]:'"
    )
    # Select the cell first: a first click on a button of an unselected cell is lost today
    # (selecting it redraws the output between mousedown and mouseup).
    page.locator("#notebook-container > .cell .input-prompt").first.click()
    page.evaluate(WATCH_LONG_TASKS)
    page.locator(".stream-show-all").click()
    page.wait_for_function(
        "() => { const pre = document.querySelector('#notebook-container .stream-text');"
        " return pre && !document.querySelector('.stream-clip-bar')"
        " && pre.textContent.endsWith('line 19999\\n'); }"
    )
    return longest(page)


def media(page: Any, server: RunningServer, sel: dict[str, str]) -> dict[str, float]:
    """Longest main-thread task from Shift-Enter until 20 MB of PNG, then 27 MB of HTML, show."""
    figures = {}
    shown = {
        "png_20mb_longest_ms": (BIG_PNG, "(s) => document.querySelector(s)?.naturalWidth"),
        "html_27mb_longest_ms": (BIG_HTML, None),
    }
    for n, (metric, (code, check)) in enumerate(shown.items()):
        run_first_cell(page, server, write(server.root_dir, f"media{n}.ipynb", one_cell(code)), sel)
        try:
            if check:
                page.wait_for_function(check, arg=f"{sel['output']} img", timeout=180_000)
            else:
                out = page.locator(sel["output"]).filter(has_text="after").first
                out.wait_for(timeout=180_000)
            figures[metric] = longest(page)
        except Exception as error:  # report the others; say why this one is missing
            print(f"{metric}: {error}", file=sys.stderr)
            figures[metric] = math.inf
    return figures


def longest(page: Any) -> float:
    return float(page.evaluate(LONGEST_TASK))


def measure(name: str, browser: Any, samples: int = 3) -> dict[str, float]:
    sel = SELECTORS[name]
    with tempfile.TemporaryDirectory() as tmp:
        server = start_ui(name, Path(tmp))
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(120_000)
            page = context.new_page()
            page.goto(server.url + f"tree?token={server.token}")
            results = loads(page, server, sel, samples)
            if name == "carnet":  # the 2,000-cell notebook is open, a 'z' typed in it
                results["save_2000_ms"] = carnet_save_ms(page)
            start = run_first_cell(
                page, server, write(server.root_dir, "one.ipynb", one_cell("1+1")), sel
            )
            page.locator(sel["output"]).filter(has_text="2").first.wait_for()
            results["run_1plus1_ms"] = (time.perf_counter() - start) * 1000
            results |= million(page, server, sel)
            if name == "carnet":
                results |= million_show_all(page)
                results["show_all_20k_longest_ms"] = show_all(page, server, sel)
            results |= media(page, server, sel)
            context.close()
            return results
        finally:
            server.stop(timeout=20)
            failure = server.log_failure() if name == "carnet" else None
            if failure:  # issue 12: none over the whole benchmark run
                raise RuntimeError(f"Carnet's server log shows a failure:\n{failure}")


def run(samples: int = 3) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    names = ["carnet"] + (["jupyter"] if importlib.util.find_spec("notebook") else [])
    results: dict[str, dict[str, float]] = {}
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for name in names:
                try:
                    results[name] = measure(name, browser, samples)
                except Exception as error:  # report what ran; say why the other did not
                    print(f"{name}: {error}", file=sys.stderr)
        finally:
            browser.close()
    rows = compare(results.get("carnet", {}), results.get("jupyter", {}), TARGETS)
    return {"results": results, "comparison": rows}
