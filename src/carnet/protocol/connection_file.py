"""Connection files: how a client finds a kernel's sockets and key.

Same format and place as Jupyter's (`kernel-<id>.json` in the runtime
directory, mode 0600), so Jupyter tools find Carnet kernels and back.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from carnet import paths
from carnet.errors import ConnectionFileError, KernelNotFound

CHANNELS = ("shell", "iopub", "stdin", "control", "hb")


@dataclass(frozen=True)
class ConnectionInfo:
    shell_port: int
    iopub_port: int
    stdin_port: int
    control_port: int
    hb_port: int
    key: str
    ip: str = "127.0.0.1"
    transport: str = "tcp"
    signature_scheme: str = "hmac-sha256"
    kernel_name: str = ""

    def port(self, channel: str) -> int:
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        port: int = getattr(self, f"{channel}_port")
        return port

    def url(self, channel: str) -> str:
        port = self.port(channel)
        if self.transport == "ipc":
            return f"ipc://{self.ip}-{port}"
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"{self.transport}://{host}:{port}"

    @property
    def key_bytes(self) -> bytes:
        return self.key.encode("utf-8")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "connection info") -> ConnectionInfo:
        missing = [f"{c}_port" for c in CHANNELS if f"{c}_port" not in data]
        if missing:
            raise ConnectionFileError(f"{source}: missing {', '.join(missing)}")
        try:
            ports = {f"{c}_port": int(data[f"{c}_port"]) for c in CHANNELS}
        except (TypeError, ValueError):
            raise ConnectionFileError(f"{source}: ports must be integers") from None
        transport = str(data.get("transport", "tcp"))
        if transport not in ("tcp", "ipc"):
            raise ConnectionFileError(f"{source}: transport must be tcp or ipc, not {transport!r}")
        key = data.get("key", "")
        if isinstance(key, bytes):
            key = key.decode()
        return cls(
            **ports,
            key=str(key),
            ip=str(data.get("ip", "127.0.0.1")),
            transport=transport,
            signature_scheme=str(data.get("signature_scheme", "hmac-sha256")),
            kernel_name=str(data.get("kernel_name", "")),
        )


def kernel_id_of(path: Path) -> str:
    """`kernel-<id>.json` -> `<id>`; any other name is returned without suffix."""
    stem = path.stem
    return stem[len("kernel-") :] if stem.startswith("kernel-") else stem


def write_connection_file(info: ConnectionInfo, path: Path) -> Path:
    """Write atomically with mode 0600: the file holds the signing key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(info.to_dict(), f, indent=1)
            f.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_connection_file(path: Path | str) -> ConnectionInfo:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConnectionFileError(f"{path}: no such connection file") from None
    except (OSError, ValueError) as exc:
        raise ConnectionFileError(f"{path}: cannot read connection file: {exc}") from None
    if not isinstance(data, dict):
        raise ConnectionFileError(f"{path}: connection file is not a JSON object")
    return ConnectionInfo.from_dict(data, str(path))


def list_connection_files(runtime_dir: Path | None = None) -> list[Path]:
    """Kernel connection files, most recently modified first."""
    directory = runtime_dir or paths.runtime_dir()
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
    directory = runtime_dir or paths.runtime_dir()
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
