"""The per-user signing key: `notebook_secret` in the Jupyter data directory.

Jupyter uses the file's bytes as they are (base64 text of 1024 random bytes) as the
HMAC key, so Carnet does too; sharing the file is what lets the two trust each
other's notebooks. The file is created on first use, readable by the user only.
"""

from __future__ import annotations

import base64
import errno
import os
import tempfile
from pathlib import Path

SECRET_NAME = "notebook_secret"


def new_secret() -> bytes:
    return base64.encodebytes(os.urandom(1024))


def _written_aside(path: Path, secret: bytes) -> Path:
    """`secret` in a new private file beside `path`, complete and on disk."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # mode 0600
    try:
        os.write(fd, secret)
        os.fsync(fd)
    except BaseException:
        os.unlink(name)
        raise
    finally:
        os.close(fd)
    return Path(name)


def _create(path: Path) -> bytes:
    """Write a fresh secret; if another process got there first, use theirs.

    The file appears whole: it is written aside, then hard-linked into place, which
    fails if `path` exists. No reader ever sees it empty or half written.
    """
    secret = new_secret()
    aside = _written_aside(path, secret)
    try:
        os.link(aside, path)
    except FileExistsError:
        return path.read_bytes()
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        return _create_in_place(path, secret)
    finally:
        aside.unlink()
    return secret


# What link() says on filesystems without hard links (some FUSE and network mounts).
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK}


def _create_in_place(path: Path, secret: bytes) -> bytes:
    """Exclusive create and write: on such filesystems a racing reader may see a partial
    file for a moment, which load_or_create reports rather than use an empty key."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
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
    secret = new_secret()
    os.replace(_written_aside(path, secret), path)  # readers see the old one or the new
    return secret
