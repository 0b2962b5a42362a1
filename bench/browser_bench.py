"""Carnet's notebook page against Jupyter Notebook 7, in the same headless Chromium.

Measures: navigation to an interactive notebook (first cell clicked and a typed key
shown) for 200 and 2,000 cells; Shift-Enter to the output of `1+1` on screen; the
1,000,000-line print (seconds to the last line on screen, longest main-thread task
from a PerformanceObserver for 'longtask'). Notebook 7 runs with its defaults.
"""

from __future__ import annotations

import json
import math
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from tests.e2e.conftest import CHROMIUM_ARGS

from bench.server_bench import big_notebook, free_port

CHROMIUM = "/usr/bin/chromium"
WATCH_LONG_TASKS = """() => { window.__longTasks = [];
  new PerformanceObserver((l) => {
    for (const e of l.getEntries()) window.__longTasks.push(e.duration);
  }).observe({ type: "longtask" }); }"""

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
    "load_200_ms": 1000.0,
    "load_2000_ms": 1000.0,
    "run_1plus1_ms": 500.0,
    "million_last_line_s": 60.0,
    "million_longest_ms": 200.0,
}


class Ui:
    """A Carnet or Notebook 7 server on a free port over its own directory."""

    def __init__(self, name: str, base: Path) -> None:
        self.name = name
        self.token = secrets.token_hex(16)
        port = free_port()
        self.root = base / "root"
        self.root.mkdir(parents=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
        for key, sub in (("CONFIG", "config"), ("DATA", "data"), ("RUNTIME", "runtime")):
            env[f"JUPYTER_{key}_DIR"] = str(base / sub)
        if name == "carnet":
            argv = [sys.executable, "-m", "carnet", "notebook", f"--NotebookApp.token={self.token}"]
            argv += [f"--notebook-dir={self.root}"]
        else:
            argv = ["jupyter", "notebook", "--allow-root", f"--IdentityProvider.token={self.token}"]
            argv += [f"--ServerApp.root_dir={self.root}"]
        argv += ["--no-browser", f"--port={port}", "--ip=127.0.0.1"]
        self.url = f"http://127.0.0.1:{port}/"
        self.proc = subprocess.Popen(
            argv, env=env, cwd=base, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.get(
                        self.url + "api/status", headers={"Authorization": f"token {self.token}"}
                    ).status_code
                    == 200
                ):
                    return
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"{name} did not start")

    def page_url(self, path: str) -> str:
        return self.url + f"notebooks/{path}"

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


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


def run_first_cell(page: Any, ui: Ui, path: str, sel: dict[str, str]) -> float:
    page.goto(ui.page_url(path))
    page.wait_for_selector(sel["idle"], timeout=60_000)
    page.locator(sel["cell"]).first.locator(sel["input"]).click()
    page.evaluate(WATCH_LONG_TASKS)
    start = time.perf_counter()
    page.keyboard.press("Shift+Enter")
    return start


def measure(name: str, browser: Any) -> dict[str, float]:
    sel = SELECTORS[name]
    with tempfile.TemporaryDirectory() as tmp:
        ui = Ui(name, Path(tmp))
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(120_000)
            page = context.new_page()
            page.goto(ui.url + f"tree?token={ui.token}")
            results: dict[str, float] = {}
            for cells in (200, 2000):
                path = write(
                    ui.root,
                    f"n{cells}.ipynb",
                    small_notebook(cells) if cells == 200 else big_notebook(),
                )
                time_to_interactive(page, ui.page_url(path), sel)  # warms the cache
                # The median of three visits: one slow visit on a shared machine says little.
                samples = [time_to_interactive(page, ui.page_url(path), sel) for _ in range(3)]
                results[f"load_{cells}_ms"] = statistics.median(samples)
            start = run_first_cell(page, ui, write(ui.root, "one.ipynb", one_cell("1+1")), sel)
            page.locator(sel["output"]).filter(has_text="2").first.wait_for()
            results["run_1plus1_ms"] = (time.perf_counter() - start) * 1000
            start = run_first_cell(
                page,
                ui,
                write(ui.root, "million.ipynb", one_cell("for i in range(1_000_000): print(i)")),
                sel,
            )
            try:
                page.locator(sel["output"]).filter(has_text="999999").first.wait_for(
                    timeout=180_000
                )
                results["million_last_line_s"] = time.perf_counter() - start
            except Exception:  # Notebook 7 may stop at its IOPub data rate limit
                results["million_last_line_s"] = math.inf
            results["million_longest_ms"] = float(
                page.evaluate("() => Math.max(0, ...window.__longTasks)")
            )
            context.close()
            return results
        finally:
            ui.stop()


def run() -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    names = ["carnet"] + (["jupyter"] if shutil.which("jupyter-notebook") else [])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            results = {}
            for name in names:
                try:
                    results[name] = measure(name, browser)
                except Exception as error:  # report what ran; say why the other did not
                    print(f"{name}: {error}", file=sys.stderr)
        finally:
            browser.close()
    rows = []
    for metric, target in TARGETS.items():
        ours = results.get("carnet", {}).get(metric, math.nan)
        theirs = results.get("jupyter", {}).get(metric, math.nan)
        ratio = ours / theirs if theirs and not math.isnan(theirs) else math.nan
        row = {"metric": metric, "carnet": ours, "jupyter": theirs, "ratio": ratio}
        rows.append(row | {"target": f"< {target:g}", "met": ours < target})
    return {"results": results, "comparison": rows}


if __name__ == "__main__":
    report = run()
    print(json.dumps(report, indent=2, default=str))
