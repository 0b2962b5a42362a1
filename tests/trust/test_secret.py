"""The signing key file: created whole, once, whoever races for it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from carnet.trust import secret

RACE = """
import sys
from pathlib import Path
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
