"""File > Download as in Chromium: the files downloaded are the notebook, converted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.conftest import code, markdown, open_notebook, write_notebook
from tests.server.conftest import RunningServer

CHROMIUM = Path("/usr/bin/chromium")


def download_as(page: Any, action: str, tmp_path: Path) -> tuple[str, bytes]:
    page.click("button[data-menu=file]")
    page.hover("#menubar [data-submenu=download-as]")  # File > Download as > ...
    with page.expect_download(timeout=120_000) as started:
        page.click(f"#menubar [data-submenu=download-as] li[data-action={action}]")
    download = started.value
    target = tmp_path / download.suggested_filename
    download.save_as(str(target))
    return download.suggested_filename, target.read_bytes()


def test_download_as_html_python_and_pdf(page: Any, server: RunningServer, tmp_path: Path) -> None:
    path = write_notebook(
        server,
        "Exported Work.ipynb",
        [markdown("# Export heading"), code("print('from-the-cell', 6 * 7)")],
    )
    open_notebook(page, server, path)
    name, html = download_as(page, "download-html", tmp_path)
    assert name == "Exported Work.html"
    assert b"Export heading" in html and b"from-the-cell" in html
    assert page.locator("#menubar li[data-action=download-html]").inner_text() == "HTML (.html)"
    name, script = download_as(page, "download-python", tmp_path)
    assert name == "Exported Work.py"
    assert b"print('from-the-cell', 6 * 7)" in script
    name, md = download_as(page, "download-markdown", tmp_path)
    assert name == "Exported Work.md" and b"# Export heading" in md
    name, ipynb = download_as(page, "download-ipynb", tmp_path)
    assert name == "Exported Work.ipynb" and b"Export heading" in ipynb
    if CHROMIUM.exists():
        name, pdf = download_as(page, "download-pdf", tmp_path)
        assert name == "Exported Work.pdf" and pdf.startswith(b"%PDF")


def test_a_failed_export_is_shown_in_the_page(page: Any, server: RunningServer) -> None:
    path = write_notebook(server, "Gone Soon.ipynb", [code("1")])
    open_notebook(page, server, path)
    (server.root_dir / path).unlink()
    page.click("button[data-menu=file]")
    page.click("#menubar [data-submenu=download-as]")  # a click opens it too
    page.click("#menubar li[data-action=download-html]")
    error = page.locator("#notification-area .notification.error", has_text="failed")
    error.first.wait_for()
    assert "Download as HTML" in error.first.inner_text()
