"""`carnet kernel`: a standalone kernel that a client attaches to by id prefix."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from carnet.client.blocking import BlockingKernelClient
from carnet.connection_files import find_connection_file
from tests.client.kernels import carnet_kernel_available, ipykernel_spec
from tests.client.procs import children


def test_standalone_kernel_prints_how_to_attach_and_stops_on_sigterm(
    tmp_path: Path, runtime_dir: Path
) -> None:
    env = dict(os.environ)
    args = []
    if not carnet_kernel_available():  # fall back to ipykernel through a kernelspec
        spec_dir = tmp_path / "share" / "kernels" / "ipy"
        spec_dir.mkdir(parents=True)

        (spec_dir / "kernel.json").write_text(json.dumps(ipykernel_spec().to_dict()))
        env["JUPYTER_PATH"] = str(tmp_path / "share")
        args = ["--kernel", "ipy"]
    command = [sys.executable, "-m", "carnet", "kernel", *args]
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True) as proc:
        try:
            assert proc.stdout is not None
            lines = []
            for line in proc.stdout:
                lines.append(line)
                if line.startswith("Press Ctrl-C"):
                    break
            text = "".join(lines)
            kernel_id = re.search(r"Kernel ([0-9a-f-]{36})", text)
            assert kernel_id, text
            assert f"carnet console --existing {kernel_id.group(1)[:8]}" in text
            path = find_connection_file(kernel_id.group(1)[:8])
            assert f"Connection file: {path}" in text
            kernel_pids = [pid for pid, _ in children(proc.pid)]
            assert len(kernel_pids) == 1

            with BlockingKernelClient.from_connection_file(path) as client:
                client.wait_for_ready(30)
                assert client.execute("x = 1").content["status"] == "ok"

            proc.send_signal(signal.SIGTERM)
            assert proc.wait(20) == 0
            assert not path.exists()
            assert not Path(f"/proc/{kernel_pids[0]}").exists()
        finally:
            proc.kill()
            proc.wait()
