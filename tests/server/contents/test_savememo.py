"""A save that reuses what saving the same cells gave before (contents/savememo.py) writes
the file nbformat writes, byte for byte, and signs, validates and answers the next GET
exactly as a save that works everything out again."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from carnet.nbfile import notebooks
from carnet.server.contents import savememo
from carnet.server.contents.store import FileStore
from carnet.trust import Notary
from tests.server.contents.test_cellmemo import CELL, EDITED_NOTEBOOKS, change, notebook

# Edits a client makes between two saves: (what, which cell, a new cell for it).
EDIT = st.tuples(
    st.sampled_from(["source", "insert", "delete", "trust", "untrust", "nan", "invalid"]),
    st.integers(0, 50),
    CELL,
)


class WholeSaves:
    """A save memo that never knows anything: every save is worked out whole."""

    def read_body(self, real: Path, raw: bytes) -> None:
        return None

    def prepare(self, real: Path, nb: dict[str, Any], texts: Any = ()) -> None:
        return None


@pytest.fixture
def stores(tmp_path: Path) -> Iterator[tuple[FileStore, FileStore]]:
    notary = Notary(tmp_path / "data")
    made = []
    for name in ("memo", "whole"):
        (tmp_path / name).mkdir()
        store = FileStore(tmp_path / name)
        store.trust = notary
        made.append(store)
    made[1]._saved = WholeSaves()  # type: ignore[assignment]
    yield made[0], made[1]
    notary.close()


def save(
    store: FileStore, nb: dict[str, Any], compact: bool = False
) -> tuple[bytes, str | None, Any]:
    """The file's bytes, the save's message and the next GET's content (as JSON), the
    notebook sent as a body, as a browser's JSON.stringify (compact) or Python writes it."""
    separators = (",", ":") if compact else None
    raw = json.dumps({"type": "notebook", "content": nb}, separators=separators).encode()
    sent = store.read_save_body(raw, "nb.ipynb")
    if sent is None:
        model = store.save(json.loads(raw), "nb.ipynb")  # as the API does then
    else:
        model = store.save(sent.body, "nb.ipynb", texts=sent.texts)
    _, encoded = store.get_encoded("nb.ipynb")
    assert encoded is not None
    raw = (store.paths.root / "nb.ipynb").read_bytes()
    return raw, model.get("message"), json.dumps(json.loads(encoded), sort_keys=True)


def edit(nb: dict[str, Any], what: str, at: int, new: dict[str, Any]) -> None:
    cells = nb["cells"]
    index = at % len(cells) if cells else 0
    if what in ("trust", "untrust") and cells:
        cells[index]["metadata"]["trusted"] = what == "trust"
    elif what == "nan" and cells:
        cells[index]["metadata"]["width"] = float("nan")
    else:
        change(cells, what, at, new)


@EDITED_NOTEBOOKS
@given(st.lists(CELL, max_size=6), st.lists(EDIT, max_size=6), st.booleans())
def test_a_save_from_kept_cells_is_a_whole_save(
    stores: tuple[FileStore, FileStore],
    cells: list[dict[str, Any]],
    edits: list[Any],
    compact: bool,
) -> None:
    memo, whole = stores
    nb = notebook(cells)
    for what, at, new in [("none", 0, {}), *edits]:
        edit(nb, what, at, new)
        for _ in range(2):  # the second save of the same notebook is from what is kept
            ours, theirs = save(memo, nb, compact), save(whole, nb, compact)
            assert ours == theirs, what
            assert ours[0] == notebooks.serialize(copy.deepcopy(nb))
            assert memo._saved.kept_bytes() > 0 or not nb["cells"]  # it was used


def rich(html: str, trusted: bool | None) -> dict[str, Any]:
    output = {"output_type": "display_data", "metadata": {}, "data": {"text/html": html}}
    metadata = {} if trusted is None else {"trusted": trusted}
    return {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": metadata,
        "source": "x",
        "outputs": [output],
    }


def test_only_the_changed_cells_are_saved_again(
    stores: tuple[FileStore, FileStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    saved: list[dict[str, Any]] = []
    real_save = savememo._save_cell

    def counting(cell: dict[str, Any], *args: Any) -> Any:
        saved.append(cell)
        return real_save(cell, *args)

    monkeypatch.setattr(savememo, "_save_cell", counting)
    memo, _ = stores
    nb = notebook([rich(f"<p>{i}</p>", True) for i in range(5)])
    save(memo, nb)
    assert len(saved) == 5
    saved.clear()
    save(memo, nb)
    assert saved == []
    nb["cells"][2]["outputs"][0]["data"]["text/html"] = "<p>new</p>"
    raw, _, _ = save(memo, nb)
    assert len(saved) == 1 and b"<p>new</p>" in raw
    # Cells moved, one deleted, one inserted at the start: only the new one is saved.
    saved.clear()
    nb["cells"] = [rich("<p>first</p>", True), *nb["cells"][:0:-1]]
    raw, _, _ = save(memo, nb)
    assert len(saved) == 1 and b"<p>first</p>" in raw
    assert raw.index(b"<p>4</p>") < raw.index(b"<p>new</p>") < raw.index(b"<p>1</p>")


def test_a_kept_cell_never_signs_output_sent_untrusted(stores: tuple[FileStore, FileStore]) -> None:
    memo, _ = stores
    notary = memo.trust
    assert isinstance(notary, Notary)
    nb = notebook([rich("<b>mine</b>", True)])
    raw, _, _ = save(memo, nb)
    assert notary.is_signed(notebooks.parse(raw, "nb.ipynb"))
    # The same output, no longer marked trusted by the client: not signed again.
    nb["cells"][0]["metadata"]["trusted"] = False
    nb["cells"][0]["source"] = "changed"
    raw, _, content = save(memo, nb)
    assert not notary.is_signed(notebooks.parse(raw, "nb.ipynb"))
    assert json.loads(content)["cells"][0]["metadata"]["trusted"] is False


def test_nan_and_null_are_different_cells(stores: tuple[FileStore, FileStore]) -> None:
    memo, _ = stores
    nb = notebook(
        [
            {
                "cell_type": "code",
                "execution_count": None,
                "metadata": {"w": None},
                "source": "",
                "outputs": [],
            }
        ]
    )
    assert b'"w": null' in save(memo, nb)[0]
    nb["cells"][0]["metadata"]["w"] = float("nan")
    assert b'"w": NaN' in save(memo, nb)[0]
    nb["cells"][0]["metadata"]["w"] = 1
    assert b'"w": 1\n' in save(memo, nb)[0]
    nb["cells"][0]["metadata"]["w"] = 1.0
    assert b'"w": 1.0\n' in save(memo, nb)[0]
