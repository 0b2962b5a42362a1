"""Trust through the real server: POST /api/contents/{path}/trust, marks on GET, signing on PUT,
and a server whose data directory is read-only or whose database is corrupted."""

from __future__ import annotations

import json
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import nbformat
import pytest

from carnet.nbfile import notebooks
from carnet.trust import Notary
from tests.server.conftest import (
    RunningServer,
    ServerDirs,
    StartServer,
    carnet_command,
    wait_for_info,
    wait_ready,
)
from tests.trust.conftest import jupyter_notary, rich_notebook, write
from tests.trust.readonly import readonly_command


def marks(client: httpx.Client, path: str) -> dict[str, Any]:
    response = client.get(f"api/contents/{path}")
    assert response.status_code == 200, response.text
    cells = response.json()["content"]["cells"]
    return {c["id"]: c["metadata"].get("trusted") for c in cells}


UNTRUSTED = {"rich": False, "stream": True, "md": None}
TRUSTED = {"rich": True, "stream": True, "md": None}


def trust_with_cli(server: RunningServer, name: str) -> None:
    """`carnet trust` on a notebook of the server's root, as another process, same data dir."""
    done = subprocess.run(
        carnet_command("trust", str(server.root_dir / name)),
        env=server.dirs.env(),
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def jupyter_trusts(data_dir: Path, path: Path) -> bool:
    with jupyter_notary(data_dir) as theirs:
        return bool(theirs.check_signature(nbformat.read(str(path), 4)))


def test_post_trust_then_open_is_trusted_in_carnet_and_jupyter(server: RunningServer) -> None:
    nb_file = write(server.root_dir / "from elsewhere.ipynb", rich_notebook())
    with server.client() as client:
        assert marks(client, "from elsewhere.ipynb") == UNTRUSTED
        response = client.post("api/contents/from%20elsewhere.ipynb/trust")
        assert (response.status_code, response.content) == (201, b"")
        assert marks(client, "from elsewhere.ipynb") == TRUSTED
    assert jupyter_trusts(server.dirs.data, nb_file)


def test_trust_errors(server: RunningServer) -> None:
    (server.root_dir / "notes.txt").write_text("text")
    (server.root_dir / "sub").mkdir()
    (server.root_dir / "broken.ipynb").write_text("{not json")
    with server.client() as client:
        for path, status in [
            ("missing.ipynb", 404),
            ("sub/missing.ipynb", 404),
            ("notes.txt", 400),
            ("sub", 400),
            ("broken.ipynb", 400),
        ]:
            response = client.post(f"api/contents/{path}/trust")
            assert response.status_code == status, (path, response.text)
            assert response.json()["message"], path
    with server.client(authenticated=False) as anonymous:
        write(server.root_dir / "nb.ipynb", rich_notebook())
        assert anonymous.post("api/contents/nb.ipynb/trust").status_code in (401, 403)
        with server.client() as client:
            assert marks(client, "nb.ipynb") == UNTRUSTED


def put_notebook(client: httpx.Client, path: str, nb: dict[str, Any]) -> None:
    response = client.put(f"api/contents/{path}", json={"type": "notebook", "content": nb})
    assert response.status_code in (200, 201), response.text


def test_saving_signs_only_when_every_rich_cell_is_trusted(server: RunningServer) -> None:
    with server.client() as client:
        put_notebook(client, "foreign.ipynb", rich_notebook())
        assert marks(client, "foreign.ipynb") == UNTRUSTED
        forged = rich_notebook(trusted_mark=False)
        forged["metadata"]["signature"] = "sha256:" + "0" * 64
        put_notebook(client, "forged.ipynb", forged)
        assert marks(client, "forged.ipynb") == UNTRUSTED
        put_notebook(client, "ran.ipynb", rich_notebook("<i>mine</i>", trusted_mark=True))
        assert marks(client, "ran.ipynb") == TRUSTED
        # The model a client got back, saved again unchanged, stays trusted.
        model = client.get("api/contents/ran.ipynb").json()
        model["content"]["cells"][2]["source"] = "# edited"
        put_notebook(client, "ran.ipynb", model["content"])
        assert marks(client, "ran.ipynb") == TRUSTED
    on_disk = json.loads((server.root_dir / "ran.ipynb").read_text())
    assert "signature" not in on_disk["metadata"]
    assert all("trusted" not in c["metadata"] for c in on_disk["cells"])
    assert jupyter_trusts(server.dirs.data, server.root_dir / "ran.ipynb")
    assert not jupyter_trusts(server.dirs.data, server.root_dir / "foreign.ipynb")


def test_a_notebook_trusted_by_the_cli_opens_trusted(server: RunningServer) -> None:
    write(server.root_dir / "nb.ipynb", rich_notebook())
    trust_with_cli(server, "nb.ipynb")
    with server.client() as client:
        assert marks(client, "nb.ipynb") == TRUSTED


def test_a_corrupted_database_is_recovered_by_the_server(start_server: StartServer) -> None:
    server = start_server()
    (server.dirs.data / "nbsignatures.db").write_bytes(b"\x00garbage" * 4096)
    write(server.root_dir / "nb.ipynb", rich_notebook())
    with server.client() as client:
        assert marks(client, "nb.ipynb") == UNTRUSTED
        assert client.post("api/contents/nb.ipynb/trust").status_code == 201
        assert marks(client, "nb.ipynb") == TRUSTED
    assert len(list(server.dirs.data.glob("nbsignatures.db.corrupt-*"))) == 1
    assert jupyter_trusts(server.dirs.data, server.root_dir / "nb.ipynb")
    assert server.output().count("is corrupted") == 1


@pytest.fixture
def readonly_server(tmp_path: Path) -> Iterator[RunningServer]:
    """A server whose Jupyter data directory is on a read-only file system.

    Before it was made read-only, before.ipynb was trusted there.
    """
    dirs = ServerDirs(tmp_path)
    before = write(dirs.root / "before.ipynb", rich_notebook("<i>trusted before</i>"))
    notary = Notary(dirs.data)
    assert notary.trust(notebooks.parse(before.read_bytes(), "before.ipynb"))
    notary.close()
    token = secrets.token_hex(16)
    log_path = tmp_path / "server.log"
    command = carnet_command(
        "notebook",
        "--no-browser",
        "--port=0",
        "--ip=127.0.0.1",
        f"--notebook-dir={dirs.root}",
        f"--NotebookApp.token={token}",
    )
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            readonly_command(dirs.data, command),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dirs.env(),
            cwd=dirs.base,
        )
    server = RunningServer(process, dirs, log_path, token, {})
    try:
        server.info = wait_for_info(process, dirs.runtime, log_path)
        wait_ready(server)
        yield server
    finally:
        server.stop()


def test_a_read_only_data_dir_falls_back_to_memory(readonly_server: RunningServer) -> None:
    server = readonly_server
    write(server.root_dir / "nb.ipynb", rich_notebook())
    data_files = sorted(p.name for p in server.dirs.data.iterdir())
    with server.client() as client:
        assert marks(client, "before.ipynb") == TRUSTED  # the read-only database still counts
        assert marks(client, "nb.ipynb") == UNTRUSTED
        assert client.post("api/contents/nb.ipynb/trust").status_code == 201
        assert marks(client, "nb.ipynb") == TRUSTED
        put_notebook(client, "ran.ipynb", rich_notebook(html="<i>x</i>", trusted_mark=True))
        assert marks(client, "ran.ipynb") == TRUSTED
    assert server.output().count("Notebook trust: cannot use") == 1, server.output()
    assert "notebooks trusted before stay trusted" in server.output()
    assert sorted(p.name for p in server.dirs.data.iterdir()) == data_files
    with jupyter_notary(server.dirs.data) as theirs:  # nothing was written to the database
        assert not theirs.check_signature(nbformat.read(str(server.root_dir / "nb.ipynb"), 4))
