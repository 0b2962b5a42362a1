"""The trust hook on the hot path: marking and signing a 10 MB notebook costs little CPU.

CPU time of this process (not wall time: the machine is shared), with the database
on disk as in the server. The end-to-end bound, through the server, is in
tests/server/contents/test_performance.py.
"""

from __future__ import annotations

import copy
import json
import time

from carnet.trust import Notary
from tests.server.contents.test_performance import TARGET_BYTES, big_notebook

CPU_LIMIT = 0.4


def test_marking_and_signing_ten_megabytes_is_quick(notary: Notary) -> None:
    per_cell = len(json.dumps(big_notebook(1)))
    nb = big_notebook(TARGET_BYTES // per_cell + 1)
    assert len(json.dumps(nb)) >= TARGET_BYTES
    notary.secret()  # created once, on first use: not part of each request
    ran_here = copy.deepcopy(nb)
    for cell in ran_here["cells"]:
        cell["metadata"]["trusted"] = True
    started = time.process_time()
    notary.sign(ran_here, "big.ipynb")
    signed = time.process_time() - started
    started = time.process_time()
    notary.mark(nb, "big.ipynb")
    marked = time.process_time() - started
    assert all(cell["metadata"]["trusted"] is True for cell in nb["cells"])
    assert signed < CPU_LIMIT and marked < CPU_LIMIT, (signed, marked)
