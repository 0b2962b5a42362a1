"""The per-user signing key: `notebook_secret` in the Jupyter data directory.

Jupyter uses the file's bytes as they are (base64 text of 1024 random bytes) as the
HMAC key, so Carnet does too; sharing the file is what lets the two trust each
other's notebooks. The file is created on first use, readable by the user only.
"""

from __future__ import annotations

import base64
import os
import time
from pathlib import Path

SECRET_NAME = "notebook_secret"
_WRITE_WAIT_TRIES = 50


def new_secret() -> bytes:
    return base64.encodebytes(os.urandom(1024))


def _read_when_written(path: Path) -> bytes:
    """The secret another process is creating: empty for the instant between create and write."""
    for _ in range(_WRITE_WAIT_TRIES):
        secret = path.read_bytes()
        if secret:
            return secret
        time.sleep(0.01)
    return b""


def _create(path: Path) -> bytes:
    """Write a fresh secret; if another process got there first, use theirs."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    secret = new_secret()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_when_written(path)
    try:
        os.write(fd, secret)
        os.fsync(fd)
    finally:
        os.close(fd)
    return secret


def load_or_create(path: Path) -> bytes:
    """The secret in `path`, created (mode 0600) when missing; OSError when impossible."""
    try:
        secret = path.read_bytes()
    except FileNotFoundError:
        secret = _create(path)
    if not secret:
        raise OSError(f"the notebook secret {path} is empty")
    return secret


def reset(path: Path) -> bytes:
    """Replace the secret with a new one: every earlier signature stops matching."""
    path.unlink(missing_ok=True)
    return _create(path)
