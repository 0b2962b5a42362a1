"""Fixtures for the contents service: a root directory, a manager, and the real server.

`api` is the real `carnet notebook` subprocess (tests/server/conftest.py) with a
non-trivial base_url, so Location headers are checked with a prefix; tests talk to it
over HTTP with httpx, and look at its root directory on disk.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from carnet.server.contents import ContentsManager
from tests.server.conftest import StartServer

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
    pid: int  # the server process

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        return self.client.request(method, self.prefix + path, **kwargs)  # type: ignore[arg-type]

    def get(self, path: str, **kwargs: object) -> httpx.Response:
        return self.request("GET", path, **kwargs)


def _api(start_server: StartServer, *args: str) -> Iterator[Api]:
    server = start_server(f"--NotebookApp.base_url={BASE_URL}", *args)
    origin = f"http://127.0.0.1:{server.port}"
    with httpx.Client(base_url=origin, headers=server.auth_headers, timeout=10) as client:
        yield Api(client, server.root_dir, BASE_URL.rstrip("/"), server.process.pid)


@pytest.fixture
def api(start_server: StartServer) -> Iterator[Api]:
    yield from _api(start_server)


@pytest.fixture
def api_hidden(start_server: StartServer) -> Iterator[Api]:
    """The same server with allow_hidden=True."""
    yield from _api(start_server, "--ContentsManager.allow_hidden=True")
