"""PDF export: nbconvert's webpdf exporter, printed by the system's Chromium.

nbconvert's WebPDFExporter renders the notebook with its webpdf template and hands
the HTML to `run_playwright`, which launches Playwright's own downloaded browser.
Carnet never downloads a browser: this subclass prints the same HTML with the
Chromium the system has (CHROMIUM, or the first of CANDIDATES found), through
Playwright's synchronous API (the conversion already runs in a worker thread).
Without Playwright or Chromium the error names what is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

# This module is imported only by a PDF conversion, never at start-up.
from nbconvert.exporters import WebPDFExporter  # noqa: TID253

from carnet.errors import ExportError

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
_NOT_LOCAL = re.compile(r"^(?!file:)")
_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def system_chromium() -> str | None:
    """The CHROMIUM environment variable's browser, else the first system Chromium found."""
    configured = os.environ.get("CHROMIUM", "")
    if configured:
        return shutil.which(configured)
    return next((path for path in CANDIDATES if os.access(path, os.X_OK)), None)


class SystemChromiumPDFExporter(WebPDFExporter):
    """WebPDFExporter whose browser is the system's Chromium."""

    def run_playwright(self, html: str) -> bytes:
        browser_path = system_chromium()
        if browser_path is None:
            raise ExportError(
                "PDF export needs Chromium, which is not installed "
                f"(looked for {', '.join(CANDIDATES)}; set CHROMIUM to another browser)",
                "missing chromium",
            )
        try:
            from playwright.sync_api import sync_playwright
        except ImportError:
            raise ExportError(
                "PDF export needs the playwright Python package (pip install playwright); "
                "it drives the system's Chromium",
                "missing playwright",
            ) from None
        with tempfile.TemporaryDirectory(prefix="carnet-pdf-") as tmp:
            page_file = Path(tmp) / "notebook.html"
            page_file.write_text(html, encoding="utf-8")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=browser_path,
                    args=_ARGS,
                    handle_sigint=False,
                    handle_sigterm=False,
                    handle_sighup=False,
                )
                try:
                    page = browser.new_page()
                    # Only the local file loads: nothing from the network (no CDN, no tracking).
                    page.route(_NOT_LOCAL, lambda route: route.abort())
                    page.emulate_media(media="print")
                    page.goto(page_file.as_uri(), wait_until="load")
                    pdf: bytes = page.pdf(print_background=True)
                finally:
                    browser.close()
        return pdf
