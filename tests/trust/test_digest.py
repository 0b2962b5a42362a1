"""The digest is Jupyter's (nbformat.sign) on any JSON-like notebook content."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat import sign

from carnet.server.contents.store import FileStore
from carnet.trust import Notary, digest
from tests.trust.conftest import rich_notebook

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=20)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(TEXT, JSON, max_size=5))
def test_digest_is_nbformats(nb: dict[str, Any]) -> None:
    # Where transient keys live is left out: real notebooks test those (test_compat).
    nb.pop("metadata", None)
    nb.pop("cells", None)
    mac = hmac.new(b"secret", digestmod=hashlib.sha256)
    pieces: Any = sign.yield_everything  # untyped
    for piece in pieces(nb):
        mac.update(piece)
    assert digest.compute(nb, b"secret") == mac.hexdigest()


def test_a_digest_kept_for_an_unchanged_file_is_not_reused_after_a_reset(
    tmp_path: Path, notary: Notary
) -> None:
    # The contents store keeps each file's digest while the file is unchanged; one made
    # with the secret a reset replaced must not decide trust afterwards.
    (tmp_path / "root").mkdir()
    files = FileStore(tmp_path / "root")
    files.trust = notary

    def trusted() -> bool:
        content = files.get("a.ipynb")["content"]
        return bool(content["cells"][0]["metadata"]["trusted"])

    files.save({"type": "notebook", "content": rich_notebook(trusted_mark=True)}, "a.ipynb")
    assert trusted()
    notary.reset()
    assert not trusted()
    assert notary.trust(files.get("a.ipynb")["content"])  # what POST /api/trust does
    assert trusted()


CELL = st.fixed_dictionaries(
    {"cell_type": st.sampled_from(["code", "markdown"]), "source": TEXT},
    optional={
        "metadata": st.dictionaries(TEXT | st.just("trusted"), JSON, max_size=3),
        "outputs": st.lists(st.dictionaries(TEXT, JSON, max_size=3), max_size=2),
    },
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(CELL, max_size=4),
    st.dictionaries(TEXT, JSON, max_size=3),
    st.dictionaries(st.sampled_from(["signature", "orig_nbformat", "kernelspec"]), JSON),
)
def test_a_digest_from_kept_cell_walks_is_the_whole_notebooks(
    cells: list[dict[str, Any]], top: dict[str, Any], metadata: dict[str, Any]
) -> None:
    # The contents store digests a changed notebook from the walks kept of its unchanged
    # cells (contents/cellmemo.py): it must be the digest of the whole, transient values
    # (a cell's trusted mark, the notebook's signature) left out alike.
    top.pop("cells", None)
    top["metadata"] = metadata
    whole = digest.compute({**top, "cells": cells}, b"secret")
    walks = [digest.cell_walk(cell) for cell in cells]
    assert digest.compute_from_parts(top, walks, b"secret") == whole


def _nbformats_digest(nb: dict[str, Any]) -> str:
    mac = hmac.new(b"secret", digestmod=hashlib.sha256)
    pieces: Any = sign.yield_everything  # untyped
    for piece in pieces(nb):
        mac.update(piece)
    return mac.hexdigest()


def _cell(i: int, text: str) -> dict[str, Any]:
    stream = {"name": "stdout", "output_type": "stream", "text": [f"{i}\n", text]}
    return {"cell_type": "code", "execution_count": i, "id": f"c{i}", "metadata": {},
            "outputs": [stream], "source": [f"print({i})\n", text]}  # fmt: skip


def test_a_notebook_of_many_pieces_digests_as_one_walk() -> None:
    # compute() hashes the walk's pieces a batch at a time: batches must not show. Over
    # 7,000 pieces (several batches), with text of one to four UTF-8 bytes a character.
    cells = [_cell(i, "ü € 😀 x" * (i % 7)) for i in range(600)]
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    assert digest.compute(nb, b"secret") == _nbformats_digest(nb)
    # A lone surrogate (nbformat cannot encode it) digests as the whole walk encoded at once.
    cells[300]["source"] = ["\ud83d", "\ude00"]
    pieces: list[str] = []
    digest._walk(nb, pieces)
    whole = "".join(pieces).encode("utf-8", "surrogatepass")
    assert digest.compute(nb, b"secret") == hmac.new(b"secret", whole, hashlib.sha256).hexdigest()
