"""The digest is Jupyter's (nbformat.sign) on any JSON-like notebook content."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from nbformat import sign

from carnet.trust import digest

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
