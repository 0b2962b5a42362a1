from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from carnet.connection_files import find_connection_file
from tests.client.kernels import carnet_kernel_available, ipykernel_spec

KERNELS = ["python3", "ipy"] if carnet_kernel_available() else ["ipy"]


@dataclass
class Standalone:
    kernel_id: str
    env: dict[str, str]
    process: subprocess.Popen[str]

    @property
    def connection_file(self) -> Path:
        return find_connection_file(self.kernel_id, Path(self.env["JUPYTER_RUNTIME_DIR"]))


def console_env(root: Path) -> dict[str, str]:
    """A private runtime dir and kernelspec path; no cursor-position queries in a pty."""
    share = root / "share"
    spec_dir = share / "kernels" / "ipy"
    spec_dir.mkdir(parents=True, exist_ok=True)
    (spec_dir / "kernel.json").write_text(json.dumps(ipykernel_spec().to_dict()))
    return dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(root / "runtime"),
        JUPYTER_PATH=str(share),
        PROMPT_TOOLKIT_NO_CPR="1",
        TERM="xterm",
    )


@pytest.fixture(params=KERNELS)
def standalone(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Standalone]:
    """A kernel started by `carnet kernel`, as a user would before attaching."""
    env = console_env(tmp_path)
    command = [sys.executable, "-m", "carnet", "kernel", "--kernel", request.param]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as process:
        try:
            assert process.stdout is not None
            kernel_id = ""
            for line in process.stdout:
                found = re.search(r"Kernel ([0-9a-f-]{36})", line)
                kernel_id = found.group(1) if found else kernel_id
                if line.startswith("Press Ctrl-C"):
                    break
            assert kernel_id, "carnet kernel did not start"
            yield Standalone(kernel_id, env, process)
        finally:
            process.terminate()
            process.wait(20)
