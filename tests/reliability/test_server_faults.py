"""Server faults: SIGKILL during a save, and the mess a killed server leaves behind.

Disk full during a save (507, old file intact) is proven on a real tmpfs by
tests/server/contents/test_durability.py::test_disk_full_leaves_the_old_file_intact,
and corrupted notebooks (clear error, never overwritten) by
tests/server/contents/test_notebooks.py::test_corrupted_notebooks_are_refused_and_never_overwritten.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import sys
import threading
import time

import httpx

from tests.reliability.conftest import (
    children,
    install_kernelspec,
    is_running,
    python_kernel_argv,
    start_kernel,
)
from tests.server.conftest import RunningServer, ServerDirs, launch
from tests.support.waiting import wait_until


def notebook(tag: str, cells: int) -> dict[str, object]:
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"tag": tag},
        "cells": [
            {
                "cell_type": "code",
                "id": f"c{i}",
                "source": f"print({i})",
                "metadata": {},
                "execution_count": i,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": tag * 500}],
            }
            for i in range(cells)
        ],
    }


def test_sigkill_during_a_save_leaves_the_old_or_the_new_file(dirs: ServerDirs) -> None:
    rng = random.Random(8)
    target = dirs.root / "big.ipynb"
    outcomes: list[str] = []
    for attempt in range(4):
        server = launch(dirs)
        try:
            old, new = notebook(f"o{attempt}", 2000), notebook(f"n{attempt}", 2000)
            with httpx.Client(base_url=server.url, headers=server.auth_headers, timeout=30) as http:
                assert http.put(
                    "api/contents/big.ipynb", json={"type": "notebook", "content": old}
                ).status_code in (200, 201)

                def save(http: httpx.Client = http, new: dict[str, object] = new) -> None:
                    # The server is killed under it: a transport error is expected.
                    with contextlib.suppress(httpx.HTTPError):
                        http.put(
                            "api/contents/big.ipynb", json={"type": "notebook", "content": new}
                        )

                saver = threading.Thread(target=save)
                saver.start()
                time.sleep(rng.uniform(0.0, 0.4))  # deliberate jitter: kill at a random point
                server.process.send_signal(signal.SIGKILL)
                server.process.wait(10)
                saver.join(30)
        finally:
            server.stop()
        on_disk = json.loads(target.read_text())  # never truncated: always valid JSON
        tag = on_disk["metadata"]["tag"]
        assert tag in (f"o{attempt}", f"n{attempt}")
        assert len(on_disk["cells"]) == 2000
        outcomes.append("new" if tag.startswith("n") else "old")
    print(f"save killed at random moments: {outcomes}")


# A kernel that outlives its server: the kernel proper does not know the server's pid
# (no JPY_PARENT_PID) and its parent, this wrapper, stays alive; the wrapper has the
# server's pid and the connection file on its command line, like any kernel.
_STUBBORN = (
    "import os, subprocess, sys\n"
    "env = dict(os.environ); env.pop('JPY_PARENT_PID')\n"
    "sys.exit(subprocess.call(sys.argv[1:], env=env))\n"
)


def test_a_restarted_server_cleans_up_after_a_killed_one(dirs: ServerDirs) -> None:
    install_kernelspec(dirs, "stubborn", [sys.executable, "-c", _STUBBORN, *python_kernel_argv()])
    dead = launch(dirs)
    alive = launch(dirs)
    restarted: RunningServer | None = None
    try:
        with (
            httpx.Client(base_url=dead.url, headers=dead.auth_headers, timeout=60) as a,
            httpx.Client(base_url=alive.url, headers=alive.auth_headers, timeout=60) as b,
        ):
            orphan_ids = [start_kernel(a), start_kernel(a), start_kernel(a, "stubborn")]
            kept_id = start_kernel(b)
        orphans = {p for p in children(dead.process.pid) if is_running(p)}
        wrapper = {p for p in orphans if children(p)}
        stubborn = wrapper | {child for w in wrapper for child in children(w)}
        kept = {p for p in children(alive.process.pid) if is_running(p)}
        assert len(orphans) == 3 and len(stubborn) == 2 and len(kept) == 1
        orphans |= stubborn
        dead.process.send_signal(signal.SIGKILL)
        dead.process.wait(10)
        # The kernels outlive their server's kill (they run in their own sessions). The
        # stubborn one, told nothing, lives on; the others see their parent gone within
        # half a second (kernel/parent.py) and may have exited already.
        assert all(is_running(p) for p in stubborn)
        assert (dirs.runtime / f"jpserver-{dead.process.pid}.json").exists()
        # ...as do a connection file nothing uses any more, and one just written.
        stale = dirs.runtime / "kernel-stale.json"
        fresh = dirs.runtime / "kernel-fresh.json"
        for path in (stale, fresh):
            path.write_text("{}")
        # Age every file past the grace period (a kernel may be starting meanwhile),
        # but the fresh one: a file's age alone never gets a used file removed.
        an_hour_ago = time.time() - 3600
        for path in dirs.runtime.glob("kernel-*.json"):
            if path != fresh:
                os.utime(path, (an_hour_ago, an_hour_ago))

        restarted = launch(dirs)
        wait_until(lambda: not any(is_running(p) for p in orphans), timeout=10, what="orphans")
        for kid in orphan_ids:
            assert not (dirs.runtime / f"kernel-{kid}.json").exists()
        assert not (dirs.runtime / f"jpserver-{dead.process.pid}.json").exists()
        assert not stale.exists()
        assert fresh.exists()
        # The live server's kernel, its files and the server itself are untouched.
        assert all(is_running(p) for p in kept)
        assert (dirs.runtime / f"kernel-{kept_id}.json").exists()
        assert (dirs.runtime / f"jpserver-{alive.process.pid}.json").exists()
        with httpx.Client(base_url=alive.url, headers=alive.auth_headers, timeout=30) as b:
            assert b.get(f"api/kernels/{kept_id}").status_code == 200
        log = restarted.output()
        assert f"orphaned by server {dead.process.pid} (dead)" in log  # the stubborn one
        for kid in orphan_ids:
            # Killed here, or it had already exited by itself (its parent died) and
            # only its file was left.
            assert (
                f"orphaned by server {dead.process.pid} (dead)" in log
                or f"removed stale connection file kernel-{kid}.json" in log
            ), log
        assert "removed stale connection file kernel-stale.json" in log
    finally:
        for server in (restarted, alive, dead):
            if server is not None:
                server.stop()
