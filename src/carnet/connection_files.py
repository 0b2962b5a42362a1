"""Connection files on disk: written (mode 0600, atomically), read, listed and found.

The I/O around carnet.protocol.connection_file, which is pure. Files live where
Jupyter puts them (`kernel-<id>.json` in the runtime directory).
"""

from __future__ import annotations

import os
from pathlib import Path

from carnet.errors import ConnectionFileError, KernelNotFound
from carnet.protocol.connection_file import ConnectionInfo, dumps, kernel_id_of, loads


def write_connection_file(info: ConnectionInfo, path: Path) -> Path:
    """Write atomically with mode 0600: the file holds the signing key."""
    import tempfile  # here, not above: a starting kernel only reads its file

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(dumps(info))
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_connection_file(path: Path | str) -> ConnectionInfo:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConnectionFileError(f"{path}: no such connection file") from None
    except (OSError, ValueError) as exc:
        raise ConnectionFileError(f"{path}: cannot read connection file: {exc}") from None
    return loads(text, str(path))


def list_connection_files(runtime_dir: Path | None = None) -> list[Path]:
    """Kernel connection files, most recently modified first."""
    directory = runtime_dir or _runtime_dir()
    try:
        files = [p for p in directory.glob("kernel-*.json") if p.is_file()]
    except OSError:
        return []

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(files, key=mtime, reverse=True)


def find_connection_file(spec: str | None = None, runtime_dir: Path | None = None) -> Path:
    """Find a kernel by path, file name, kernel id or unique id prefix.

    With no spec, the most recently started kernel. Raises KernelNotFound,
    listing the candidates, when nothing or more than one kernel matches.
    """
    directory = runtime_dir or _runtime_dir()
    files = list_connection_files(directory)
    if not spec:
        if not files:
            raise KernelNotFound(f"no running kernel: no connection file in {directory}")
        return files[0]
    as_path = Path(spec).expanduser()
    if as_path.is_file():
        return as_path
    for name in (spec, f"{spec}.json", f"kernel-{spec}.json", f"kernel-{spec}"):
        candidate = directory / name
        if "/" not in name and candidate.is_file():
            return candidate
    wanted = spec.removeprefix("kernel-").removesuffix(".json")
    matches = [p for p in files if kernel_id_of(p).startswith(wanted)]
    names = [kernel_id_of(p) for p in files]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        listing = ", ".join(names) if names else "none"
        raise KernelNotFound(
            f"no kernel matches {spec!r} in {directory} (running kernels: {listing})", names
        )
    candidates = [kernel_id_of(p) for p in matches]
    raise KernelNotFound(
        f"{spec!r} is ambiguous; it matches {len(matches)} kernels: {', '.join(candidates)}",
        candidates,
    )


def _runtime_dir() -> Path:
    from carnet import paths  # imports site: not needed to read a kernel's own file

    return paths.runtime_dir()
