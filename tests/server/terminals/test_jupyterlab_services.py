"""JupyterLab's own client, @jupyterlab/services' TerminalManager, in Node against Carnet."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.server.conftest import RunningServer

FRONTEND = Path(__file__).resolve().parents[3] / "frontend"
SCRIPT = Path(__file__).with_name("services_terminal.cjs")


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_terminal_manager_creates_and_talks_to_a_terminal(server: RunningServer) -> None:
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
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["sawOutput"] is True
    assert result["name"] in result["running"]
    assert result["name"] not in result["after"]
    with server.client() as http:
        assert http.get("api/terminals").json() == []
