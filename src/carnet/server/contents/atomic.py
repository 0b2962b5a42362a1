"""Atomic file replacement: a reader sees the old file or the new one, never a torn one.

The new bytes go to a hidden temporary file in the same directory (so the final
rename cannot cross filesystems), are fsynced, take over the old file's permission
bits (and owner, when allowed), and are renamed over the target; the directory is
fsynced so the rename survives a crash. Any failure removes the temporary file and
leaves the old file untouched.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from carnet.errors import ContentsWriteError

_CHUNK = 1 << 20
_umask: int | None = None


def _current_umask() -> int:
    """The process umask, read once (os.umask can only be read by setting it)."""
    global _umask
    if _umask is None:
        try:
            for line in Path("/proc/self/status").read_text().splitlines():
                if line.startswith("Umask:"):
                    _umask = int(line.split()[1], 8)
                    break
        except OSError:
            pass
        if _umask is None:
            _umask = 0o022
    return _umask


def write_error(api_path: str, exc: OSError) -> ContentsWriteError:
    """A clear error for a failed write, naming the API path (never the OS path)."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ContentsWriteError(f"Cannot save {api_path!r}: no space left on device", "disk full")
    if exc.errno == errno.EFBIG:
        return ContentsWriteError(f"Cannot save {api_path!r}: file too large", "file too large")
    if exc.errno == errno.ENAMETOOLONG:  # the name, or the temporary file's beside it
        return ContentsWriteError(f"Cannot save {api_path!r}: name too long", "name too long")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ContentsWriteError(
            f"Cannot save {api_path!r}: permission denied", "permission denied"
        )
    return ContentsWriteError(f"Cannot save {api_path!r}: {exc.strerror or exc}", "write failed")


def _adopt_permissions(tmp: Path, model: Path | None) -> None:
    """Give the new file the mode (and owner, when allowed) of `model`, else the default."""
    if model is None:
        os.chmod(tmp, 0o666 & ~_current_umask())
        return
    old = os.stat(model)
    os.chmod(tmp, stat.S_IMODE(old.st_mode))
    if hasattr(os, "chown"):
        # Only root may give a file away; the mode is what matters.
        with contextlib.suppress(PermissionError):
            os.chown(tmp, old.st_uid, old.st_gid)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # Some filesystems refuse fsync on directories; the data itself is synced.
    finally:
        os.close(fd)


@contextmanager
def _staged(target: Path, api_path: str, mode_from: Path | None) -> Iterator[BinaryIO]:
    """Yield a temporary file that replaces `target` when the block ends without error."""
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".~{target.name}.", suffix=".tmp"
        )
    except OSError as exc:
        raise write_error(api_path, exc) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        _adopt_permissions(tmp, mode_from)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_error(api_path, exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)


def replace_with(target: Path, data: bytes | Iterable[bytes], api_path: str) -> None:
    """Atomically replace (or create) `target` with the given bytes, keeping its mode."""
    with _staged(target, api_path, target if target.exists() else None) as f:
        for chunk in [data] if isinstance(data, bytes) else data:
            f.write(chunk)


@contextmanager
def replacing(target: Path, data: bytes, api_path: str) -> Iterator[Callable[[], str]]:
    """Atomically replace `target` with `data` when the block ends, as `replace_with` does.

    The bytes are written at once (into the page cache: a few milliseconds), then
    fsynced by a thread while the block runs, and hashed (sha256) by another from the
    start. Neither thread needs the GIL again before it ends, so a save's validating
    and signing (Python) go on meanwhile: a thread that wrote too would wait for the
    GIL between its calls, behind that Python. Yields a function that gives the hash
    once the block has ended. An error in the block or in the writing leaves the old
    file untouched.
    """
    done: list[str] = []
    failed: list[BaseException] = []

    def sync(fd: int) -> None:
        try:
            os.fsync(fd)
        except BaseException as exc:  # raised again in the caller's thread
            failed.append(exc)

    hasher = threading.Thread(
        target=lambda: done.append(hashlib.sha256(data).hexdigest()), name="carnet-hash"
    )
    hasher.start()
    try:
        with _staged(target, api_path, target if target.exists() else None) as f:
            f.write(data)
            f.flush()
            syncer = threading.Thread(
                target=sync, args=(f.fileno(),), name="carnet-fsync", daemon=True
            )
            syncer.start()
            try:
                yield lambda: done[0]
            finally:
                syncer.join()
            if failed:
                raise failed[0]
    finally:
        hasher.join()


def copy_file(source: Path, target: Path, api_path: str) -> None:
    """Atomically copy a file over `target`, streaming (files may be large)."""
    mode_from = target if target.exists() else source
    with _staged(target, api_path, mode_from) as out, open(source, "rb") as src:
        while block := src.read(_CHUNK):
            out.write(block)


def commit_staged(staged: Path, target: Path, api_path: str) -> None:
    """Atomically move a fully written hidden staging file (same directory) over `target`."""
    try:
        with open(staged, "rb+") as f:
            os.fsync(f.fileno())
        _adopt_permissions(staged, target if target.exists() else None)
        os.replace(staged, target)
    except OSError as exc:
        raise write_error(api_path, exc) from exc
    _fsync_dir(target.parent)


def copy_tree(source: Path, target: Path, api_path: str) -> None:
    """Copy a directory so that `target` appears complete or not at all.

    The copy is built in a hidden staging directory beside the target and renamed into
    place (over an empty placeholder, if one was reserved). Symlinks are copied as
    links, never followed, so a link leading outside the root is not read through.
    """
    try:
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".~{target.name}.", suffix="~"))
    except OSError as exc:
        raise write_error(api_path, exc) from exc
    try:
        shutil.copytree(source, staging, symlinks=True, dirs_exist_ok=True)
        os.replace(staging, target)
    except OSError as exc:  # shutil.Error (some entries failed) is an OSError too
        shutil.rmtree(staging, ignore_errors=True)
        raise write_error(api_path, exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _fsync_dir(target.parent)
