"""The URLs the server prints, records and opens."""

from __future__ import annotations

import socket
from pathlib import Path

from carnet.server import urls
from carnet.server.config.settings import ServerSettings


def settings(**changes: object) -> ServerSettings:
    return ServerSettings(root_dir=Path("/"), token="tok", port=8888).with_changes(**changes)


def test_loopback_ip() -> None:
    plain = settings(ip="127.0.0.1")
    assert urls.server_url(plain) == "http://127.0.0.1:8888/"
    assert urls.display_urls(plain) == ["http://127.0.0.1:8888/?token=tok"]
    assert urls.server_url(settings(ip="::1")) == "http://[::1]:8888/"


def test_every_interface_prints_hostname_and_loopback() -> None:
    for ip in ("", "0.0.0.0", "::"):
        shown = urls.display_urls(settings(ip=ip, base_url="/b/"))
        assert shown == [
            f"http://{socket.gethostname()}:8888/b/?token=tok",
            "http://127.0.0.1:8888/b/?token=tok",
        ]
        assert urls.server_url(settings(ip=ip)) == "http://localhost:8888/"


def test_tls_custom_display_url_socket_and_no_token() -> None:
    assert urls.server_url(settings(ip="localhost", certfile="/c.pem")).startswith("https://")
    custom = settings(custom_display_url="https://hub.example/user/me")
    assert urls.display_urls(custom) == ["https://hub.example/user/me/?token=tok"]
    unix = settings(sock="/run/nb.sock")
    assert urls.server_url(unix) == "http+unix://%2Frun%2Fnb.sock/"
    assert urls.display_urls(settings(ip="localhost", token="")) == ["http://localhost:8888/"]


def test_browser_url_opens_the_notebook_or_the_tree() -> None:
    tree = settings(ip="localhost")
    assert urls.browser_url(tree) == "http://localhost:8888/tree?token=tok"
    notebook = settings(ip="localhost", file_to_run="dir/a b.ipynb")
    assert urls.browser_url(notebook) == "http://localhost:8888/notebooks/dir/a%20b.ipynb?token=tok"
