"""Per-cell trust: what opening marks, and when saving signs (never laundering output)."""

from __future__ import annotations

import copy
from typing import Any

from carnet.trust import Notary
from carnet.trust.cells import all_trusted, has_unsafe_output, mark
from tests.trust.conftest import rich_notebook


def code_marks(nb: dict[str, Any]) -> dict[str, Any]:
    return {c["id"]: c["metadata"].get("trusted") for c in nb["cells"] if "id" in c}


def test_unsafe_output_is_rich_output_with_data() -> None:
    nb = rich_notebook()
    rich, stream, _ = nb["cells"]
    assert has_unsafe_output(rich) and not has_unsafe_output(stream)
    empty_result = {"output_type": "execute_result", "execution_count": 1, "metadata": {}}
    assert not has_unsafe_output({"cell_type": "code", "outputs": [empty_result]})
    error = {"output_type": "error", "ename": "E", "evalue": "<script>", "traceback": []}
    assert not has_unsafe_output({"cell_type": "code", "outputs": [error]})


def test_marks_on_open() -> None:
    nb = rich_notebook()
    mark(nb, signed=False)
    assert code_marks(nb) == {"rich": False, "stream": True, "md": None}
    mark(nb, signed=True)
    assert code_marks(nb) == {"rich": True, "stream": True, "md": None}


def test_all_trusted_needs_every_rich_cell_marked() -> None:
    assert not all_trusted(rich_notebook())
    assert not all_trusted(rich_notebook(trusted_mark=False))
    assert all_trusted(rich_notebook(trusted_mark=True))
    cleared = rich_notebook()
    cleared["cells"][0]["outputs"] = []
    assert all_trusted(cleared)


def test_saving_signs_only_fully_trusted_notebooks(notary: Notary) -> None:
    foreign = rich_notebook()
    notary.sign(copy.deepcopy(foreign), "foreign.ipynb")
    assert not notary.is_signed(foreign), "saving laundered foreign output"
    forged = rich_notebook(trusted_mark=False)
    notary.sign(forged, "forged.ipynb")
    assert not notary.is_signed(forged)
    ran_here = rich_notebook(trusted_mark=True)  # the UI marks cells the user runs
    notary.sign(ran_here, "ran.ipynb")
    reopened = rich_notebook()
    notary.mark(reopened, "ran.ipynb")
    assert code_marks(reopened) == {"rich": True, "stream": True, "md": None}
