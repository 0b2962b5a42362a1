"""One real server per conformance module, seeded with files, a checkpoint and a kernel.

Fuzzers address existing things by name as well as random ones (`Seed.known`), so their
requests reach the handlers' success paths, not just the 404s. Kernels and sessions the
fuzzers start are shut down after every example (`Seed.reap`).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.server.conftest import RunningServer, ServerDirs, launch

_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "c1",
            "metadata": {},
            "outputs": [],
            "source": "1 + 1",
        }
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@dataclass
class Seed:
    """What exists on the server before each operation is fuzzed."""

    server: RunningServer
    paths: list[str] = field(default_factory=list)
    checkpoint_id: str = ""
    kernel_id: str = ""
    session_id: str = ""
    terminal_name: str = ""

    def known(self) -> dict[str, list[str]]:
        """Path-parameter values that name existing things, by parameter name."""
        known = {"path": self.paths, "checkpoint_id": [self.checkpoint_id]}
        if self.kernel_id:
            known["kernel_id"] = [self.kernel_id]
        if self.session_id:
            known["session"] = [self.session_id]
        if self.terminal_name:
            known["terminal_id"] = [self.terminal_name]
        return known

    def client(self) -> httpx.Client:
        return self.server.client()

    def reap(self) -> None:
        """Shut down every session and kernel except the seeded ones."""
        with self.client() as http:
            for session in http.get("api/sessions").json():
                if session["id"] != self.session_id:
                    http.delete(f"api/sessions/{session['id']}")
            for kernel in http.get("api/kernels").json():
                if kernel["id"] != self.kernel_id:
                    http.delete(f"api/kernels/{kernel['id']}")
            for terminal in http.get("api/terminals").json():
                http.delete(f"api/terminals/{terminal['name']}")


def seed_files(server: RunningServer) -> Seed:
    """Reset the root to a notebook, a text file, a binary file and a directory."""
    root = server.root_dir
    for child in root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (root / "dir").mkdir()
    (root / "dir" / "inner.txt").write_text("inner\n")
    (root / "notes.txt").write_text("some text\n")
    (root / "data.bin").write_bytes(bytes(range(256)))
    (root / "nb.ipynb").write_text(json.dumps(_NOTEBOOK))
    (root / ".hidden.txt").write_text("hidden\n")
    (root.parent / "outside.txt").write_text("outside the root\n")
    names = ["nb.ipynb", "notes.txt", "data.bin", "dir", "dir/inner.txt"]
    # Never to be served: a hidden file and one outside the root.
    seed = Seed(server, [*names, ".hidden.txt", "../outside.txt", "dir/../../outside.txt"])
    with seed.client() as http:
        response = http.post("api/contents/nb.ipynb/checkpoints")
        response.raise_for_status()
        seed.checkpoint_id = response.json()["id"]
    return seed


def seed_kernel(seed: Seed) -> None:
    """Make sure one kernel and one session exist (the fuzzer may have deleted them)."""
    with seed.client() as http:
        sessions = {s["id"]: s for s in http.get("api/sessions").json()}
        if seed.session_id not in sessions:
            body = {"path": "nb.ipynb", "type": "notebook", "kernel": {"name": "python3"}}
            response = http.post("api/sessions", json=body, timeout=30)
            response.raise_for_status()
            seed.session_id = response.json()["id"]
            sessions[seed.session_id] = response.json()
        seed.kernel_id = sessions[seed.session_id]["kernel"]["id"]


def seed_terminal(seed: Seed) -> None:
    """Make sure one terminal exists (the fuzzer may have closed it)."""
    with seed.client() as http:
        names = {t["name"] for t in http.get("api/terminals").json()}
        if seed.terminal_name not in names:
            response = http.post("api/terminals")
            response.raise_for_status()
            seed.terminal_name = response.json()["name"]


@pytest.fixture(scope="module")
def api_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    dirs = ServerDirs(tmp_path_factory.mktemp("conformance"))
    # Terminals the fuzzer opens run sh: the machine's shell start-up files are not tested here.
    server = launch(dirs, env=dirs.env(SHELL="/bin/sh"))
    yield server
    server.stop()


@pytest.fixture
def seed(api_server: RunningServer) -> Iterator[Seed]:
    """Fresh files and a checkpoint; after the test, no kernel the fuzzer started."""
    seeded = seed_files(api_server)
    yield seeded
    seeded.reap()


@pytest.fixture
def seed_with_kernel(seed: Seed) -> Seed:
    seed_kernel(seed)
    return seed
