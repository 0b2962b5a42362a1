"""Carnet's notary against nbformat's, on the contents service's hot path, same run.

Measures, on a 10 MB notebook of many-line outputs, with the signatures database on
disk: CPU time to sign it as a save does (every cell trusted, then signed) and to mark
it as an open does (signature checked, each code cell's `trusted` set); medians of a
few. And the wall time Carnet's store takes to give up on a locked database and fall
back to memory (no Jupyter counterpart: nbformat's waits out sqlite's busy timeout).
These were test assertions (tests/trust); tests now check only what is marked.
"""

from __future__ import annotations

import copy
import json
import logging
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.notebooks import TARGET_BYTES, line_heavy_notebook

from bench.compare import Target, compare
from carnet.trust import Notary, SignatureStore

TARGETS = {
    "sign_10mb_cpu_s": Target(ratio=1.0, limit=0.4),
    "mark_10mb_cpu_s": Target(ratio=1.0, limit=0.4),
    "locked_db_fallback_s": Target(limit=2.0),
}


def ten_megabytes() -> dict[str, Any]:
    per_cell = len(json.dumps(line_heavy_notebook(1)))
    return line_heavy_notebook(TARGET_BYTES // per_cell + 1)


def cpu(action: Callable[[], object]) -> float:
    started = time.process_time()
    action()
    return time.process_time() - started


def trusted_copy(nb: dict[str, Any]) -> dict[str, Any]:
    ran_here = copy.deepcopy(nb)
    for cell in ran_here["cells"]:
        cell["metadata"]["trusted"] = True
    return ran_here


def carnet(nb: dict[str, Any], data_dir: Path, samples: int) -> dict[str, float]:
    notary = Notary(data_dir)
    try:
        notary.secret()  # made once, on first use: not part of each request
        signs, marks = [], []
        for _ in range(samples):
            ran_here, opened = trusted_copy(nb), copy.deepcopy(nb)
            signs.append(cpu(lambda: notary.sign(ran_here, "big.ipynb")))  # noqa: B023
            marks.append(cpu(lambda: notary.mark(opened, "big.ipynb")))  # noqa: B023
            if not all(cell["metadata"]["trusted"] for cell in opened["cells"]):
                raise RuntimeError("carnet: the signed notebook was not marked trusted")
    finally:
        notary.close()
    return {
        "sign_10mb_cpu_s": statistics.median(signs),
        "mark_10mb_cpu_s": statistics.median(marks),
        "locked_db_fallback_s": locked_fallback(data_dir / "locked.db"),
    }


def jupyter(nb: dict[str, Any], data_dir: Path, samples: int) -> dict[str, float]:
    import nbformat
    from nbformat.sign import NotebookNotary

    data_dir.mkdir(parents=True, exist_ok=True)
    notary = NotebookNotary(data_dir=str(data_dir))
    notary.secret  # noqa: B018 (made once, on first use, as Carnet's)

    def save(node: Any) -> None:  # what jupyter_server does on a save
        if notary.check_cells(node):
            notary.sign(node)

    def open_(node: Any) -> None:  # and on an open
        notary.mark_cells(node, notary.check_signature(node))

    signs, marks = [], []
    for _ in range(samples):
        ran_here = nbformat.from_dict(trusted_copy(nb))
        opened = nbformat.from_dict(copy.deepcopy(nb))
        signs.append(cpu(lambda: save(ran_here)))  # noqa: B023
        marks.append(cpu(lambda: open_(opened)))  # noqa: B023
        if not all(cell["metadata"]["trusted"] for cell in opened["cells"]):
            raise RuntimeError("jupyter: the signed notebook was not marked trusted")
    return {
        "sign_10mb_cpu_s": statistics.median(signs),
        "mark_10mb_cpu_s": statistics.median(marks),
    }


def locked_fallback(db_file: Path) -> float:
    """Seconds a store takes to answer a check while another holds the database locked."""
    creator = SignatureStore(db_file)
    creator.check("0" * 64, "sha256")  # creates the database
    creator.close()
    holder = sqlite3.connect(db_file, isolation_level=None)
    logging.getLogger("carnet.trust").setLevel(logging.ERROR)  # its one warning: expected
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = SignatureStore(db_file)
        started = time.perf_counter()
        store.check("1" * 64, "sha256")
        elapsed = time.perf_counter() - started
        if not store.in_memory:
            raise RuntimeError("carnet: a locked database did not fall back to memory")
        store.close()
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    return elapsed


def run(samples: int = 5) -> dict[str, Any]:
    nb = ten_megabytes()
    with tempfile.TemporaryDirectory() as tmp:
        results = {
            "carnet": carnet(nb, Path(tmp) / "carnet", samples),
            "jupyter": jupyter(nb, Path(tmp) / "jupyter", samples),
        }
    return {
        "results": results,
        "comparison": compare(results["carnet"], results["jupyter"], TARGETS),
    }
