"""Notebooks opened again are answered from what is known of their bytes (contents/known.py):
never when the bytes changed, even in place, at the same size, with the old mtime put back;
never with a trust state that has changed since."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from carnet.nbfile import notebooks
from carnet.server.contents.known import FileFacts, Known, KnownFiles
from tests.server.conftest import RunningServer
from tests.trust.conftest import rich_notebook, write
from tests.trust.test_rest import TRUSTED, UNTRUSTED, marks, trust_with_cli


def rewrite_in_place(path: Path, old: str, new: str) -> None:
    """Replace text in a file keeping its inode, size, mtime and atime: a stat cannot tell."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    data = path.read_bytes()
    assert data.count(old.encode()) == 1
    with open(path, "r+b") as f:  # in place, not a new file renamed over it
        f.write(data.replace(old.encode(), new.encode()))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )


def html_of(client: Any, path: str) -> str:
    cells = client.get(f"api/contents/{path}").json()["content"]["cells"]
    return str(cells[0]["outputs"][0]["data"]["text/html"])


def write_as(layout: str, path: Path, nb: dict[str, Any]) -> Path:
    """A notebook file read whole (json.dumps's layout) or cell by cell (nbformat's, see
    contents/cellmemo.py): both readers must keep these guarantees."""
    if layout == "nbformat":
        path.write_bytes(notebooks.serialize(nb))
        return path
    return write(path, nb)


LAYOUTS = pytest.mark.parametrize("layout", ["json.dumps", "nbformat"])


@LAYOUTS
def test_a_same_size_same_mtime_rewrite_is_never_served_stale(
    server: RunningServer, layout: str
) -> None:
    nb_file = write_as(layout, server.root_dir / "nb.ipynb", rich_notebook("<b>old</b>"))
    with server.client() as client:
        for _ in range(2):  # the second answer comes from what the first one learnt
            assert html_of(client, "nb.ipynb") == "<b>old</b>"
        rewrite_in_place(nb_file, "<b>old</b>", "<i>new</i>")
        assert html_of(client, "nb.ipynb") == "<i>new</i>"
        response = client.get("api/contents/nb.ipynb?hash=1").json()
        assert response["hash"] == hashlib.sha256(nb_file.read_bytes()).hexdigest()


@LAYOUTS
def test_trust_never_survives_a_content_change(server: RunningServer, layout: str) -> None:
    nb_file = write_as(layout, server.root_dir / "nb.ipynb", rich_notebook("<b>mine</b>"))
    with server.client() as client:
        assert client.post("api/contents/nb.ipynb/trust").status_code == 201
        for _ in range(2):
            assert marks(client, "nb.ipynb") == TRUSTED
        rewrite_in_place(nb_file, "<b>mine</b>", "<i>evil</i>")
        assert marks(client, "nb.ipynb") == UNTRUSTED
        assert html_of(client, "nb.ipynb") == "<i>evil</i>"
        # Put back as it was: the same bytes are the same signed notebook.
        rewrite_in_place(nb_file, "<i>evil</i>", "<b>mine</b>")
        assert marks(client, "nb.ipynb") == TRUSTED
        # Another cell changed (a stream one): another notebook, not signed.
        nb_file.write_bytes(nb_file.read_bytes().replace(b"print('hi')", b"print('bye')"))
        cells = client.get("api/contents/nb.ipynb").json()["content"]["cells"]
        assert cells[1]["source"] == "print('bye')"
        assert marks(client, "nb.ipynb") == UNTRUSTED


def test_trust_given_after_a_load_shows_on_the_next_one(server: RunningServer) -> None:
    write(server.root_dir / "api.ipynb", rich_notebook())
    write(server.root_dir / "cli.ipynb", rich_notebook("<u>x</u>"))
    with server.client() as client:
        for _ in range(2):
            assert marks(client, "api.ipynb") == UNTRUSTED
            assert marks(client, "cli.ipynb") == UNTRUSTED
        assert client.post("api/contents/api.ipynb/trust").status_code == 201
        assert marks(client, "api.ipynb") == TRUSTED
        # Another process signs it: the server learns it from the shared database.
        trust_with_cli(server, "cli.ipynb")
        assert marks(client, "cli.ipynb") == TRUSTED


def test_a_validation_message_follows_the_bytes(server: RunningServer) -> None:
    nb = rich_notebook()
    nb["cells"][1]["execution_count"] = "two"  # not an integer: invalid
    nb_file = server.root_dir / "v.ipynb"
    nb_file.write_text(json.dumps(nb, indent=1))
    with server.client() as client:
        for _ in range(2):
            assert "validation failed" in client.get("api/contents/v.ipynb").json()["message"]
        rewrite_in_place(nb_file, '"two"', "22222")
        model = client.get("api/contents/v.ipynb").json()
        assert "message" not in model
        assert model["content"]["cells"][1]["execution_count"] == 22222


def test_encoded_contents_are_kept_within_their_budget(tmp_path: Path) -> None:
    known = KnownFiles(entries=3, budget=10)
    for name in "abc":
        known.store(tmp_path / name, Known(name, FileFacts(None), b"x" * 4, True))
    assert known.encoded_bytes() == 8  # the oldest lost its bytes, not its facts
    kept = known.lookup(tmp_path / "a", "a")
    assert kept is not None and kept.encoded is None and kept.facts == FileFacts(None)
    assert known.lookup(tmp_path / "b", "other content") is None
    known.store(tmp_path / "d", Known("d", FileFacts("bad")))
    assert known.lookup(tmp_path / "a", "a") is not None  # looked up last: not the oldest
    assert known.lookup(tmp_path / "b", "b") is None  # four entries: the oldest went


def stream_only(nb: dict[str, Any]) -> dict[str, Any]:
    """The notebook with its rich output made a stream: no cell can be untrusted."""
    safe = json.loads(json.dumps(nb))
    safe["cells"][0]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x\n"}]
    return safe


def test_a_notebook_marked_without_its_digest_is_marked_again_once_it_has_rich_output(
    server: RunningServer,
) -> None:
    # A stream-only notebook's marks hold signed or not, so no digest is made for them:
    # that must not let the rich version of the file ride on them.
    nb_file = write(server.root_dir / "nb.ipynb", stream_only(rich_notebook()))
    all_trusted = {"rich": True, "stream": True, "md": None}
    with server.client() as client:
        for _ in range(2):
            assert marks(client, "nb.ipynb") == all_trusted
        write(nb_file, rich_notebook())
        assert marks(client, "nb.ipynb") == UNTRUSTED
        assert client.post("api/contents/nb.ipynb/trust").status_code == 201
        assert marks(client, "nb.ipynb") == TRUSTED
        write(nb_file, stream_only(rich_notebook()))
        assert marks(client, "nb.ipynb") == all_trusted


def test_a_load_after_a_save_is_what_reading_the_file_gives(server: RunningServer) -> None:
    # A save keeps what the file's next GET sends (contents/store.py): it must be what
    # reading the file sends, and never outlive a change made to the file afterwards.
    nb = rich_notebook("<b>café</b>", trusted_mark=True)  # run here: signed on save
    nb["cells"][0]["source"] = ["from IPython.display import HTML\n", "HTML(s)"]  # as lines
    nb["metadata"]["orig_nbformat"] = 3
    # A mark on a markdown cell is not written: reading the file gives none.
    markdown = [cell for cell in nb["cells"] if cell["cell_type"] == "markdown"]
    markdown[0]["metadata"]["trusted"] = True
    with server.client() as client:
        for status in (201, 200):  # the second save is from what the first kept
            put = client.put("api/contents/nb.ipynb", json={"type": "notebook", "content": nb})
            assert put.status_code == status, put.text
            after_save = client.get("api/contents/nb.ipynb").json()["content"]
            nb_file = server.root_dir / "nb.ipynb"
            (server.root_dir / "copy.ipynb").write_bytes(nb_file.read_bytes())
            assert after_save == client.get("api/contents/copy.ipynb").json()["content"]
            texts = [c for c in after_save["cells"] if c["cell_type"] == "markdown"]
            assert texts and all("trusted" not in c["metadata"] for c in texts)
        assert after_save["cells"][0]["source"] == "from IPython.display import HTML\nHTML(s)"
        assert marks(client, "nb.ipynb") == TRUSTED
        rewrite_in_place(nb_file, "<b>café</b>", "<i>evil!</i>")
        assert marks(client, "nb.ipynb") == UNTRUSTED
        assert html_of(client, "nb.ipynb") == "<i>evil!</i>"


def test_a_notebooks_hash_is_of_its_bytes_on_every_path(server: RunningServer) -> None:
    # Unseen (hashed while parsed), seen (hashed first), changed, touched, saved.
    nb_file = write(server.root_dir / "nb.ipynb", rich_notebook())

    def hashes() -> tuple[str, str]:
        response = client.get("api/contents/nb.ipynb?hash=1")
        assert response.status_code == 200, response.text
        return response.json()["hash"], hashlib.sha256(nb_file.read_bytes()).hexdigest()

    with server.client() as client:
        for change in ("", "<b>bold</b>", "<i>ital</i>", "touch"):
            if change == "touch":
                os.utime(nb_file)
            elif change:
                write(nb_file, rich_notebook(change))
            for _ in range(2):
                served, actual = hashes()
                assert served == actual
        model = {"type": "notebook", "content": rich_notebook("<u>saved</u>")}
        saved = client.put("api/contents/nb.ipynb?hash=1", json=model).json()["hash"]
        assert saved == hashes()[0] == hashes()[1]
        assert html_of(client, "nb.ipynb") == "<u>saved</u>"
