"""Saves are atomic: they keep permissions, and a failed save leaves the old file intact."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.server.conftest import ServerDirs, StartServer
from tests.server.contents.conftest import BASE_URL, Api


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _notebook(text: str) -> dict[str, object]:
    cell = {"cell_type": "markdown", "id": "m", "metadata": {}, "source": text}
    return {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_saves_keep_the_file_mode(api: Api) -> None:
    (api.root / "n.ipynb").write_text(json.dumps(_notebook("v1")))
    (api.root / "n.ipynb").chmod(0o640)
    (api.root / "t.txt").write_text("v1")
    (api.root / "t.txt").chmod(0o600)
    saved = api.request(
        "PUT", "/api/contents/n.ipynb", json={"type": "notebook", "content": _notebook("v2")}
    )
    assert saved.status_code == 200
    body = {"type": "file", "format": "text", "content": "v2"}
    assert api.request("PUT", "/api/contents/t.txt", json=body).status_code == 200
    assert (_mode(api.root / "n.ipynb"), _mode(api.root / "t.txt")) == (0o640, 0o600)
    assert "v2" in (api.root / "n.ipynb").read_text()
    assert api.request("POST", "/api/contents/t.txt/checkpoints").status_code == 201
    api.request("PUT", "/api/contents/t.txt", json=body | {"content": "v3"})
    assert api.request("POST", "/api/contents/t.txt/checkpoints/checkpoint").status_code == 204
    assert (api.root / "t.txt").read_text() == "v2" and _mode(api.root / "t.txt") == 0o600
    created = api.request("PUT", "/api/contents/new.txt", json=body)
    assert created.status_code == 201
    assert _mode(api.root / "new.txt") == 0o666 & ~_umask()
    assert sorted(p.name for p in api.root.iterdir()) == [
        ".ipynb_checkpoints",
        "n.ipynb",
        "new.txt",
        "t.txt",
    ]


def test_concurrent_saves_never_tear_a_file(api: Api) -> None:
    big = "x" * 200_000

    def save(number: int) -> int:
        content = _notebook(f"{number}:{big}")
        body = {"type": "notebook", "content": content}
        with httpx.Client(headers=api.client.headers, timeout=30) as client:
            url = f"{str(api.client.base_url).rstrip('/')}{api.prefix}/api/contents/n.ipynb"
            return client.put(url, json=body).status_code

    api.request(
        "PUT", "/api/contents/n.ipynb", json={"type": "notebook", "content": _notebook("0")}
    )
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(save, range(1, 17)))
    assert statuses == [200] * 16
    final = json.loads((api.root / "n.ipynb").read_text())
    assert final["cells"][0]["source"][0].split(":")[1] == big
    assert sorted(p.name for p in api.root.iterdir()) == [".ipynb_checkpoints", "n.ipynb"]


@pytest.fixture
def tiny_api(server_dirs: ServerDirs, start_server: StartServer) -> Iterator[Api]:
    """A server whose root is a 64 KiB tmpfs, to fill the disk for real."""
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0755", "tmpfs", str(server_dirs.root)],
        capture_output=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        server = start_server(f"--NotebookApp.base_url={BASE_URL}")
        origin = f"http://127.0.0.1:{server.port}"
        with httpx.Client(base_url=origin, headers=server.auth_headers, timeout=10) as client:
            yield Api(client, server.root_dir, BASE_URL.rstrip("/"), server.process.pid)
    finally:
        subprocess.run(["umount", "-l", str(server_dirs.root)], check=False)


def test_disk_full_leaves_the_old_file_intact(tiny_api: Api) -> None:
    api = tiny_api
    body = {"type": "file", "format": "text", "content": "old"}
    assert api.request("PUT", "/api/contents/keep.txt", json=body).status_code == 201
    nb = {"type": "notebook", "content": _notebook("old")}
    assert api.request("PUT", "/api/contents/n.ipynb", json=nb).status_code == 201
    before = (api.root / "n.ipynb").read_bytes()
    huge = "y" * 300_000
    full = api.request("PUT", "/api/contents/keep.txt", json=body | {"content": huge})
    assert full.status_code == 507
    assert full.json() == {
        "message": "Cannot save 'keep.txt': no space left on device",
        "reason": "disk full",
    }
    too_big_nb = {"type": "notebook", "content": _notebook(huge)}
    assert api.request("PUT", "/api/contents/n.ipynb", json=too_big_nb).status_code == 507
    chunk = {"type": "file", "format": "text", "content": "z" * 40_000}
    assert (
        api.request("PUT", "/api/contents/keep.txt", json=chunk | {"chunk": 1}).status_code == 200
    )
    overflow = api.request("PUT", "/api/contents/keep.txt", json=chunk | {"chunk": 2})
    assert overflow.status_code == 507
    assert (api.root / "keep.txt").read_text() == "old"
    assert (api.root / "n.ipynb").read_bytes() == before
    leftovers = sorted(p.name for p in api.root.iterdir())
    assert leftovers == [".ipynb_checkpoints", "keep.txt", "n.ipynb"]
    # Once there is room again, saving works.
    assert (
        api.request("PUT", "/api/contents/keep.txt", json=body | {"content": "new"}).status_code
        == 200
    )


def test_file_size_limit_leaves_the_old_file_intact(root: Path) -> None:
    (root / "keep.txt").write_text("old")
    script = textwrap.dedent(
        """
        import asyncio, resource, signal, sys
        from pathlib import Path
        from carnet.errors import ContentsWriteError
        from carnet.server.contents import ContentsManager

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        manager = ContentsManager(Path(sys.argv[1]))
        model = {"type": "file", "format": "text", "content": "x" * 100_000}
        try:
            asyncio.run(manager.save(model, "keep.txt"))
        except ContentsWriteError as error:
            print(error.reason, "|", error)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(root)], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "file too large | Cannot save 'keep.txt': file too large"
    assert (root / "keep.txt").read_text() == "old"
    assert sorted(p.name for p in root.iterdir()) == ["keep.txt"]


def test_a_notebook_write_failing_while_it_is_signed_leaves_the_old_file_intact(
    root: Path,
) -> None:
    # A notebook's bytes are written, then fsynced and hashed by threads while it is
    # validated and signed (atomic.replacing): the error must reach the save, and
    # nothing of the new file remain.
    old = json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    (root / "keep.ipynb").write_text(old)
    script = textwrap.dedent(
        """
        import asyncio, resource, signal, sys
        from pathlib import Path
        from carnet.errors import ContentsWriteError
        from carnet.server.contents import ContentsManager

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
        manager = ContentsManager(Path(sys.argv[1]))
        cell = {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "x" * 100_000}
        nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
        try:
            asyncio.run(manager.save({"type": "notebook", "content": nb}, "keep.ipynb"))
        except ContentsWriteError as error:
            print(error.reason, "|", error)
        print(asyncio.run(manager.get("keep.ipynb"))["content"]["cells"])
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(root)], capture_output=True, text=True, timeout=60
    )
    assert result.stdout.splitlines() == [
        "file too large | Cannot save 'keep.ipynb': file too large",
        "[]",
    ], result.stderr
    assert (root / "keep.ipynb").read_text() == old
    assert sorted(p.name for p in root.iterdir()) == ["keep.ipynb"]
