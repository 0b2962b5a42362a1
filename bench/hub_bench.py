"""Spawn-to-ready under a real JupyterHub: `carnet singleuser` against `jupyterhub-singleuser`.

Both spawned by the same kind of Hub (tests/hub/hubproc.py: SimpleLocalProcessSpawner,
configurable-http-proxy from npm), alternately, in the same run. The time is from the
spawn request to the Hub's REST API reporting the server ready (which includes the
Hub's own polling of the server). `python -m bench.hub_bench [SPAWNS]`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.hub.hubproc import Hub, start_hub, stop_hub, wait_until


def _ready(hub: Hub, user: str) -> bool:
    servers = hub.api("GET", f"users/{user}").json().get("servers", {})
    return bool(servers.get("", {}).get("ready"))


def spawn_times(cmd: list[str], spawns: int) -> list[float]:
    hub = start_hub(Path(tempfile.mkdtemp(prefix="carnet-hub-bench-")), cmd=cmd)
    times = []
    try:
        for index in range(spawns):
            user = f"bench{index}"
            hub.api("POST", f"users/{user}")
            started = time.monotonic()
            hub.api("POST", f"users/{user}/server")
            wait_until(lambda: _ready(hub, user), 120, f"{user}'s server")  # noqa: B023
            times.append(time.monotonic() - started)
            hub.api("DELETE", f"users/{user}/server")
            wait_until(lambda: not _ready(hub, user), 60, "the server to stop")  # noqa: B023
    finally:
        stop_hub(hub)
    return times


def main(argv: list[str]) -> int:
    spawns = int(argv[0]) if argv else 5
    jupyter = [str(Path(sys.executable).parent / "jupyterhub-singleuser")]
    if os.geteuid() == 0:
        jupyter.append("--allow-root")  # Jupyter Server refuses root without it
    targets = {
        "carnet singleuser": [sys.executable, "-m", "carnet", "singleuser"],
        "jupyterhub-singleuser": jupyter,
    }
    for _round in range(2):
        for name, cmd in targets.items():
            times = spawn_times(cmd, spawns)
            shown = " ".join(f"{t:.2f}" for t in times)
            print(f"{name:24} median {statistics.median(times):.2f} s  ({shown})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
