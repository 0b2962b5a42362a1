"""JupyterLab's own kernel client, @jupyterlab/services' KernelManager, in Node against
Carnet: every cell's execute_input, execute_result and execute_reply carry the same
execution_count (In[n] == Out[n], issue 12), through cells, an error and a silent run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.server.conftest import RunningServer

FRONTEND = Path(__file__).resolve().parents[3] / "frontend"
SCRIPT = Path(__file__).with_name("services_execute.cjs")


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_jupyterlab_services_sees_one_execution_count_per_cell(server: RunningServer) -> None:
    modules = FRONTEND / "node_modules"
    if not (modules / "@jupyterlab" / "services").is_dir():
        pytest.skip("frontend/node_modules is not installed (npm ci in frontend/)")
    env = {**os.environ, "NODE_PATH": str(modules)}
    done = subprocess.run(
        ["node", str(SCRIPT), server.url, server.token],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    cells = {c["code"]: c for c in json.loads(done.stdout.strip().splitlines()[-1])["cells"]}
    seen = {code: (c["input"], c["result"], c["reply"]) for code, c in cells.items()}
    assert seen == {
        "1+1": ([1], [1], 1),
        "x = 3": ([2], [], 2),
        "x * 2": ([3], [3], 3),
        "1/0": ([4], [], 4),  # an error takes its number too
        "x + 1": ([5], [5], 5),
        "x + 2": ([], [], 5),  # silent: nothing published, no number taken
        "print(x)\nx + 3": ([6], [6], 6),
        "Out[3] + _6": ([7], [7], 7),
    }
    assert cells["1/0"]["status"] == "error" and cells["1/0"]["ename"] == "ZeroDivisionError"
    assert all(c["status"] == "ok" for code, c in cells.items() if code != "1/0")
    with server.client() as http:
        assert http.get("api/kernels").json() == []
