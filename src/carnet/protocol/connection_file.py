"""Connection info: a kernel's sockets and key, as a connection file holds them.

Same JSON as Jupyter's, so Jupyter tools find Carnet kernels and back. Pure: text
in, text out; reading, writing and finding the files is carnet.connection_files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from carnet.errors import ConnectionFileError

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


def dumps(info: ConnectionInfo) -> str:
    """The text of a connection file."""
    return json.dumps(info.to_dict(), indent=1) + "\n"


def loads(text: str, source: str) -> ConnectionInfo:
    """Connection info from a connection file's text; ConnectionFileError if it is not one."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ConnectionFileError(f"{source}: cannot read connection file: {exc}") from None
    if not isinstance(data, dict):
        raise ConnectionFileError(f"{source}: connection file is not a JSON object")
    return ConnectionInfo.from_dict(data, source)
