"""Fixtures for the contents service: a root directory, a manager, and an HTTP server.

`api` serves the contents and files routes with uvicorn on a free 127.0.0.1 port (real
sockets, real HTTP), mounted under a non-trivial base_url so Location headers are
tested with a prefix. Tests talk to it with httpx, as clients of the full server do.
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from carnet.server.api import contents, files
from carnet.server.contents import ContentsManager

SAMPLES = Path("/work/shared/notebooks")
BASE_URL = "/base/"


def run(coroutine):  # type: ignore[no-untyped-def]
    return asyncio.run(coroutine)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    directory = tmp_path / "root"
    directory.mkdir()
    return directory


@pytest.fixture
def samples(root: Path) -> Path:
    """The shared sample notebooks, copied (writable) into the root."""
    for source in sorted(SAMPLES.glob("*.ipynb")):
        shutil.copyfile(source, root / source.name)
        (root / source.name).chmod(0o644)
    return root


@pytest.fixture
def cm(root: Path) -> ContentsManager:
    return ContentsManager(root)


@dataclass
class Api:
    client: httpx.Client
    root: Path
    prefix: str  # the base_url, without its trailing slash

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        return self.client.request(method, self.prefix + path, **kwargs)  # type: ignore[arg-type]

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return self.request("GET", path, **kwargs)


def _serve(root: Path, allow_hidden: bool) -> Iterator[tuple[str, Path]]:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Mount

    app = Starlette(routes=[Mount(BASE_URL.rstrip("/"), routes=contents.routes() + files.routes())])
    app.state.contents = ContentsManager(root, allow_hidden=allow_hidden)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        assert thread.is_alive(), "uvicorn exited"
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}", root
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@pytest.fixture
def api(root: Path) -> Iterator[Api]:
    for url, directory in _serve(root, allow_hidden=False):
        with httpx.Client(base_url=url, timeout=10) as client:
            yield Api(client, directory, BASE_URL.rstrip("/"))


@pytest.fixture
def api_hidden(root: Path) -> Iterator[Api]:
    """The same server with allow_hidden=True."""
    for url, directory in _serve(root, allow_hidden=True):
        with httpx.Client(base_url=url, timeout=10) as client:
            yield Api(client, directory, BASE_URL.rstrip("/"))
