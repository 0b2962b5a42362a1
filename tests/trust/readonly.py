"""Running a command with one directory read-only, as on a read-only home.

As root (which ignores permission bits), the directory is bind-mounted read-only in
a private mount namespace (`unshare -m`) for that one command; otherwise its mode
is simply 0555.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

import pytest

_MOUNT_THEN_RUN = 'mount --bind -o ro "$0" "$0" && exec "$@"'


@functools.cache
def _can_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, timeout=10)
    return probe.returncode == 0


def readonly_command(directory: Path, command: list[str]) -> list[str]:
    """`command`, to be run with `directory` (which must exist) read-only."""
    if os.geteuid() != 0:
        directory.chmod(0o555)
        return command
    if not _can_unshare():
        pytest.skip("running as root without `unshare -m`: cannot make a directory read-only")
    return ["unshare", "-m", "sh", "-c", _MOUNT_THEN_RUN, str(directory), *command]
