"""The signing key file: created whole, once, whoever races for it."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from carnet.trust import secret

RACE = """
import sys
from pathlib import Path
import pytest

from carnet.trust import secret
sys.stdin.readline()  # all start together
sys.stdout.buffer.write(secret.load_or_create(Path(sys.argv[1])))
"""


def test_racing_processes_all_get_the_one_secret_written(tmp_path: Path) -> None:
    path = tmp_path / "data" / secret.SECRET_NAME
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACE, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        for _ in range(6)
    ]
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write(b"go\n")
        racer.stdin.flush()
    secrets = {racer.communicate(timeout=60)[0] for racer in racers}
    assert secrets == {path.read_bytes()}
    assert len(path.read_bytes()) > 1024
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == [secret.SECRET_NAME]  # nothing aside


def test_reset_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / secret.SECRET_NAME
    first = secret.load_or_create(path)
    second = secret.reset(path)
    assert second != first and path.read_bytes() == second
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == [secret.SECRET_NAME]


def test_a_filesystem_without_hard_links_still_gets_a_private_secret(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some FUSE and network mounts refuse link(); the secret is then created in place.
    def no_links(src: object, dst: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "data" / secret.SECRET_NAME
    made = secret.load_or_create(path)
    assert made == path.read_bytes() == secret.load_or_create(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == [secret.SECRET_NAME]
