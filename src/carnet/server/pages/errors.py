"""The HTML error pages of the browser routes (404 for a missing notebook, say), translated."""

from __future__ import annotations

import html
from http import HTTPStatus
from typing import TYPE_CHECKING

from carnet.server.i18n import translate

if TYPE_CHECKING:
    from starlette.responses import Response


def error_html(language: str, status: int, message: str, home: str = "") -> str:
    """The page: '404: Not Found', the (already translated) message, a link home if given."""
    title = f"{status}: {translate(language, HTTPStatus(status).phrase)}"
    link = ""
    if home:
        label = translate(language, "Back to the file list")
        link = f"<p><a href='{html.escape(home, quote=True)}'>{html.escape(label)}</a></p>"
    return (
        f"<!DOCTYPE html>\n<html lang='{html.escape(language, quote=True)}'><head>"
        f"<meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>{link}</body></html>\n"
    )


def error_page(language: str, status: int, message: str, home: str = "") -> Response:
    from starlette.responses import HTMLResponse

    return HTMLResponse(error_html(language, status, message, home), status_code=status)
