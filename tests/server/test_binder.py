"""BinderHub's command line: Jupyter's flags (either section) start Carnet behind its proxy."""

from __future__ import annotations

import secrets
from pathlib import Path

import httpx
import pytest

from carnet.server.config import compat
from tests.support.servers import ServerDirs, _start, carnet_command
from tests.support.waiting import wait_until


def binder_argv(section: str) -> list[str]:
    """What BinderHub (and repo2docker) run in the image, on loopback and port 0 here."""
    return [
        "notebook",
        "--ip=127.0.0.1",
        "--port=0",
        f"--{section}.base_url=/binder/x/",
        f"--{section}.token=",
        f"--{section}.trust_xheaders=True",
        f"--{section}.default_url=/lab",
        f"--{section}.allow_origin=*",
        # A Jupyter Server option Carnet does not have.
        "--ServerApp.use_redirect_file=False",
        "--no-browser",  # the image has no browser; the test machine might
    ]


@pytest.mark.parametrize("section", ["NotebookApp", "ServerApp"])
def test_binder_command_line(tmp_path: Path, section: str) -> None:
    dirs = ServerDirs(tmp_path)
    (dirs.base / "index.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    )
    server = _start(dirs, carnet_command(*binder_argv(section)), "", None, True, 60.0, 0.05)
    try:
        base = server.url
        assert base.endswith("/binder/x/")
        output = server.output()
        assert "ServerApp.use_redirect_file is not a Carnet option; ignored" in output
        assert "default_url /lab is another Jupyter UI's; using /tree" in output
        # The root goes to Carnet's file browser, not JupyterLab's /lab.
        root = httpx.get(base, timeout=30)
        assert root.status_code == 302
        assert root.headers["location"] == "/binder/x/tree"
        assert httpx.get(f"{base}tree", timeout=30).status_code == 200
        # BinderHub's urlpath=lab/tree/<path>: JupyterLab's URLs lead to Carnet's pages.
        lab = httpx.get(f"{base}lab/tree/index.ipynb", timeout=30, follow_redirects=True)
        assert (lab.status_code, lab.url.path) == (200, "/binder/x/notebooks/index.ipynb")
        lab = httpx.get(f"{base}lab", timeout=30)
        assert lab.headers["location"] == "/binder/x/tree"
        # No token (BinderHub's proxy guards the URL); any origin may call the API.
        origin = {"Origin": "https://mybinder.example"}
        contents = httpx.get(f"{base}api/contents", headers=origin, timeout=30)
        assert contents.status_code == 200
        assert contents.headers["access-control-allow-origin"] == "*"
        assert "index.ipynb" in [m["name"] for m in contents.json()["content"]]
        # The proxy's X-Forwarded-For is trusted: the access log names the real client
        # (a 404 is logged at any log level).
        client = f"10.{secrets.randbelow(200)}.{secrets.randbelow(200)}.7"
        forwarded = {"X-Forwarded-For": client}
        assert (
            httpx.get(f"{base}api/contents/none", headers=forwarded, timeout=30).status_code == 404
        )
        wait_until(lambda: client in server.output(), 10, "the forwarded client in the log")
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("configured", "carnet"),
    [
        ("/lab", "/tree"),
        ("/lab/", "/tree"),
        ("/lab/workspaces/auto-x", "/tree"),
        ("/lab/tree/work/index.ipynb", "/notebooks/work/index.ipynb"),
        ("/lab/tree/work", "/tree/work"),
        ("/doc/tree/a.ipynb", "/notebooks/a.ipynb"),
        ("/tree", "/tree"),
        ("/notebooks/a.ipynb", "/notebooks/a.ipynb"),
        ("/laboratory", "/laboratory"),
    ],
)
def test_other_uis_default_urls(configured: str, carnet: str) -> None:
    assert compat.carnet_url(configured) == carnet
