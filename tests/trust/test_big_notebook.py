"""The trust hook on the hot path: marking and signing a 10 MB notebook, database on disk.

Its CPU cost, side by side with nbformat's notary, is a figure of bench/run.py's trust
suite (sign_10mb_cpu_s, mark_10mb_cpu_s), not a test.
"""

from __future__ import annotations

import copy
import json

from carnet.trust import Notary
from tests.support.notebooks import TARGET_BYTES, line_heavy_notebook


def test_marking_and_signing_ten_megabytes(notary: Notary) -> None:
    per_cell = len(json.dumps(line_heavy_notebook(1)))
    nb = line_heavy_notebook(TARGET_BYTES // per_cell + 1)
    assert len(json.dumps(nb)) >= TARGET_BYTES
    ran_here = copy.deepcopy(nb)
    for cell in ran_here["cells"]:
        cell["metadata"]["trusted"] = True
    assert notary.sign(ran_here, "big.ipynb") is not None
    notary.mark(nb, "big.ipynb")
    assert all(cell["metadata"]["trusted"] is True for cell in nb["cells"])
