"""/nbconvert: every format against a real server, download headers, sanitizing, errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server.conftest import RunningServer, ServerDirs, StartServer

HOSTILE_HTML = "<b onclick=\"steal()\">bold-output</b><script>alert('pwned')</script>"
CHROMIUM = Path("/usr/bin/chromium")


def notebook() -> dict[str, Any]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {
                "name": "python",
                "file_extension": ".py",
                "nbconvert_exporter": "python",
            },
        },
        "cells": [
            {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "# Title here"},
            {
                "cell_type": "code",
                "id": "c1",
                "metadata": {},
                "execution_count": 1,
                "source": 'print("hello-export")',
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": "hello-export\n"},
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"text/html": HOSTILE_HTML, "text/plain": "<b>"},
                    },
                ],
            },
        ],
    }


@pytest.fixture
def server(start_server: StartServer, server_dirs: ServerDirs) -> RunningServer:
    (server_dirs.root / "Report One.ipynb").write_text(json.dumps(notebook()))
    return start_server()


def export(server: RunningServer, fmt: str, path: str = "Report One.ipynb", **params: str) -> Any:
    with server.client() as http:
        http.timeout = httpx.Timeout(120)
        return http.get(f"nbconvert/{fmt}/{path}", params=params)


def test_html_download_is_an_attachment_named_after_the_notebook(server: RunningServer) -> None:
    response = export(server, "html", download="true")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    disposition = response.headers["content-disposition"]
    assert disposition == "attachment; filename*=utf-8''Report%20One.html"
    assert "sandbox" in response.headers["content-security-policy"]
    assert "Title here" in response.text and "hello-export" in response.text
    inline = export(server, "html")
    assert inline.status_code == 200 and "content-disposition" not in inline.headers


def test_untrusted_output_is_sanitized_and_trusted_output_kept(server: RunningServer) -> None:
    untrusted = export(server, "html").text
    assert "bold-output" in untrusted
    assert "<script>alert('pwned')" not in untrusted and "steal()" not in untrusted
    markdown = export(server, "markdown").text
    assert "<script>alert('pwned')" not in markdown and "steal()" not in markdown
    with server.client() as http:
        assert http.post("api/contents/Report One.ipynb/trust").status_code == 201
    trusted = export(server, "html").text
    assert "<script>alert('pwned')</script>" in trusted and "steal()" in trusted


def test_markdown_and_python(server: RunningServer) -> None:
    markdown = export(server, "markdown", download="1")
    assert markdown.status_code == 200
    assert "# Title here" in markdown.text and 'print("hello-export")' in markdown.text
    assert "hello-export\n" in markdown.text
    assert markdown.headers["content-disposition"].endswith("''Report%20One.md")
    for fmt in ("python", "script"):
        script = export(server, fmt, download="true")
        assert script.status_code == 200
        assert script.text.startswith("#!/usr/bin/env python")
        assert 'print("hello-export")' in script.text and "# # Title here" in script.text
        assert script.headers["content-disposition"].endswith("''Report%20One.py")


@pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is not installed")
def test_rst_and_latex(server: RunningServer) -> None:
    rst = export(server, "rst", download="true")
    assert rst.status_code == 200, rst.text
    assert "Title here" in rst.text and 'print("hello-export")' in rst.text
    assert rst.headers["content-disposition"].endswith("''Report%20One.rst")
    latex = export(server, "latex", download="true")
    assert latex.status_code == 200, latex.text
    assert "\\documentclass" in latex.text and "Title here" in latex.text
    assert latex.headers["content-disposition"].endswith("''Report%20One.tex")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_pdf_through_the_system_chromium(server: RunningServer) -> None:
    response = export(server, "pdf", download="true")
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"%PDF")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].endswith("''Report%20One.pdf")


def test_pdf_without_chromium_names_what_is_missing(
    start_server: StartServer, server_dirs: ServerDirs
) -> None:
    (server_dirs.root / "nb.ipynb").write_text(json.dumps(notebook()))
    server = start_server(env=server_dirs.env(CHROMIUM="/nonexistent/chromium"))
    response = export(server, "pdf", "nb.ipynb")
    assert response.status_code == 503
    assert response.json()["reason"] == "missing chromium"
    assert "Chromium" in response.json()["message"]


def test_post_converts_the_model_in_the_body(server: RunningServer) -> None:
    with server.client() as http:
        http.timeout = httpx.Timeout(120)
        body = {"content": notebook(), "name": "Draft.ipynb"}
        response = http.post("nbconvert/markdown", json=body, params={"download": "true"})
        assert response.status_code == 200
        assert "# Title here" in response.text and "<script>alert" not in response.text
        assert response.headers["content-disposition"].endswith("''Draft.md")
        assert http.post("nbconvert/html", json={"name": "x"}).status_code == 400
        missing = http.post("nbconvert/html", content=b"")
        assert missing.status_code == 400
        assert http.post("nbconvert/docx", json=body).status_code == 404
        broken = http.post("nbconvert/html", json={"content": {"cells": "nope"}})
        assert broken.status_code == 400 and broken.json()["reason"] == "bad notebook"


def test_errors_say_why(server: RunningServer) -> None:
    unknown = export(server, "docx")
    assert unknown.status_code == 404
    assert unknown.json()["reason"] == "unknown format"
    assert "html" in unknown.json()["message"]
    missing = export(server, "html", "nowhere.ipynb")
    assert missing.status_code == 404 and missing.json()["reason"]
    assert export(server, "html", download="maybe").status_code == 400
    (server.root_dir / "plain.txt").write_text("not a notebook")
    assert export(server, "html", "plain.txt").status_code == 400
    escape = export(server, "html", "..%2Foutside.ipynb")
    assert escape.status_code in (403, 404)


def test_nbconvert_is_not_imported_until_first_export(server_dirs: ServerDirs) -> None:
    probe = (
        "import sys\n"
        "from carnet.server.app import create_app\n"
        "from carnet.server.config.resolve import settings_from_argv\n"
        "argv = [f'--notebook-dir={sys.argv[1]}', '--NotebookApp.token=t']\n"
        "create_app(settings_from_argv(argv))\n"
        "print(sorted(m for m in ('nbconvert', 'ptyprocess', 'playwright') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(server_dirs.root)],
        env=server_dirs.env(),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    assert out.strip() == "[]"
