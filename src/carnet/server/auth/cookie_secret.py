"""The secret login cookies and XSRF tokens are signed with, kept so logins survive restarts.

As in Jupyter: `cookie_secret` when configured, else the contents of `cookie_secret_file`
(by default `jupyter_cookie_secret` in the Jupyter runtime directory), created at the
first start with base64 of 32 random bytes and mode 0600. Open tabs therefore keep
working when the server restarts. The cookie HMAC also covers the credentials
(credentials.py), so a new token or password still ends every login.

A file that cannot be used never stops the server and never ends in a traceback: a
warning names it, and the secret lives in memory only (logins then end with the process).
A file others can read is made private, with a warning, as Jupyter does.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import secrets
import stat
from pathlib import Path

SECRET_BYTES = 32
# A secret file is a few dozen bytes; anything much bigger was not written by a server.
MAX_FILE_BYTES = 64 * 1024


class CookieSecretError(Exception):
    """The secret file cannot be used; the message names it and says why."""


def load_secret(configured: bytes, path: str, log: logging.Logger) -> bytes:
    """The secret to sign with: configured, from the file (made if missing), or in memory."""
    if configured:
        return configured
    if not path:
        return secrets.token_bytes(SECRET_BYTES)
    try:
        return read_or_create(Path(path), log)
    except CookieSecretError as exc:
        log.warning("%s; logins will not survive a restart of this server", exc)
        return secrets.token_bytes(SECRET_BYTES)


def read_or_create(path: Path, log: logging.Logger) -> bytes:
    """The secret in `path`, or a new one written there; CookieSecretError if neither works."""
    try:
        with open(path, "rb") as file:
            info = os.fstat(file.fileno())
            data = file.read(MAX_FILE_BYTES + 1) if stat.S_ISREG(info.st_mode) else b""
    except FileNotFoundError:
        return _create(path, log, replace=False)
    except OSError as exc:
        raise CookieSecretError(
            f"Cannot read the cookie secret file {path}: {exc.strerror or exc}"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise CookieSecretError(f"The cookie secret file {path} is not a regular file")
    if len(data) > MAX_FILE_BYTES:
        raise CookieSecretError(
            f"The cookie secret file {path} is over {MAX_FILE_BYTES} bytes: not a secret file"
        )
    _make_private(path, info.st_mode, log)
    secret = data.strip()
    if not secret:
        # An empty file holds nothing to lose (a write interrupted by a crash): replace it.
        log.warning("The cookie secret file %s is empty; writing a new secret", path)
        return _create(path, log, replace=True)
    return secret


def _make_private(path: Path, mode: int, log: logging.Logger) -> None:
    if not mode & 0o077:
        return
    try:
        os.chmod(path, 0o600)
    except OSError as exc:
        log.warning(
            "The cookie secret file %s can be read by other users (mode %o) and its mode "
            "could not be changed: %s",
            path,
            stat.S_IMODE(mode),
            exc.strerror or exc,
        )
        return
    log.warning(
        "The cookie secret file %s could be read by other users (mode %o); changed to 0600",
        path,
        stat.S_IMODE(mode),
    )


def _create(path: Path, log: logging.Logger, replace: bool) -> bytes:
    """Writes a new secret in Jupyter's format: whole or not at all, and never over another's."""
    secret = base64.encodebytes(secrets.token_bytes(SECRET_BYTES))
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(secret)
            file.flush()
            os.fsync(file.fileno())
        try:
            _publish(temporary, path, replace)
        except FileExistsError:
            # Another server, started at the same moment, wrote one first: share it.
            return read_or_create(path, log)
    except OSError as exc:
        raise CookieSecretError(
            f"Cannot write the cookie secret file {path}: {exc.strerror or exc}"
        ) from None
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
    log.info("Wrote a new cookie secret to %s", path)
    return secret.strip()


def _publish(temporary: Path, path: Path, replace: bool) -> None:
    if replace:
        os.replace(temporary, path)
        return
    try:
        os.link(temporary, path)  # fails with FileExistsError if someone else was first
    except FileExistsError:
        raise
    except OSError:
        os.replace(temporary, path)  # a file system without hard links
