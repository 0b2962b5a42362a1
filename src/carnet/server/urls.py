"""The URLs a running server prints, records and opens."""

from __future__ import annotations

import socket
from urllib.parse import quote

from carnet.server.config.settings import ServerSettings

_ANY_ADDRESS = ("", "0.0.0.0", "::")


def _host(ip: str) -> str:
    return f"[{ip}]" if ":" in ip else ip


def server_url(settings: ServerSettings) -> str:
    """The server's base URL, as the info file records it."""
    if settings.sock:
        return f"http+unix://{quote(settings.sock, safe='')}{settings.base_url}"
    if settings.custom_display_url:
        return settings.custom_display_url.rstrip("/") + "/"
    scheme = "https" if settings.secure else "http"
    host = "localhost" if settings.ip in _ANY_ADDRESS else _host(settings.ip)
    return f"{scheme}://{host}:{settings.port}{settings.base_url}"


def display_urls(settings: ServerSettings, path: str = "") -> list[str]:
    """The URLs to print at start (with the token): the main one and a loopback one."""
    scheme = "https" if settings.secure else "http"
    urls = [server_url(settings) + path]
    if not settings.sock and not settings.custom_display_url and settings.ip in _ANY_ADDRESS:
        urls = [f"{scheme}://{socket.gethostname()}:{settings.port}{settings.base_url}{path}"]
        urls.append(f"{scheme}://127.0.0.1:{settings.port}{settings.base_url}{path}")
    if settings.token:
        urls = [f"{url}?token={settings.token}" for url in urls]
    return urls


def browser_url(settings: ServerSettings) -> str:
    """The page to open: the notebook given on the command line, else the tree."""
    if settings.file_to_run:
        page = "notebooks/" + quote(settings.file_to_run)
    else:
        page = settings.default_url.lstrip("/")
    url = server_url(settings) + page
    return f"{url}?token={settings.token}" if settings.token else url
