"""Kernelspecs: what a kernel is called and how to start it (`kernel.json`).

Specs are found in `<dir>/kernels/<name>/kernel.json` along the Jupyter data
path, the most specific directory winning, so third-party kernels installed
for Jupyter (ipykernel, IRkernel...) work in Carnet. Carnet's own kernel is
always available as "python3", ahead of any "python3" on disk.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from carnet import paths
from carnet.errors import KernelSpecError

log = logging.getLogger("carnet.client")

CARNET_KERNEL_NAME = "python3"
CARNET_DISPLAY_NAME = "Python 3 (Carnet)"
_VALID_NAME = re.compile(r"^[a-z0-9._-]+$", re.IGNORECASE)
_INTERRUPT_MODES = ("signal", "message")


@dataclass(frozen=True)
class KernelSpec:
    name: str
    argv: list[str]
    display_name: str
    language: str
    env: dict[str, str] = field(default_factory=dict)
    interrupt_mode: str = "signal"
    metadata: dict[str, Any] = field(default_factory=dict)
    resource_dir: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        """The kernel.json form (and the `spec` of /api/kernelspecs)."""
        return {
            "argv": list(self.argv),
            "display_name": self.display_name,
            "language": self.language,
            "env": dict(self.env),
            "interrupt_mode": self.interrupt_mode,
            "metadata": dict(self.metadata),
        }

    @classmethod
    def from_dict(
        cls, name: str, data: Any, source: str, resource_dir: Path | None = None
    ) -> KernelSpec:
        if not isinstance(data, dict):
            raise KernelSpecError(f"{source}: kernel.json must hold a JSON object")
        argv = data.get("argv")
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
            raise KernelSpecError(f"{source}: 'argv' must be a non-empty list of strings")
        display_name = data.get("display_name", name)
        language = data.get("language", "")
        if not isinstance(display_name, str) or not isinstance(language, str):
            raise KernelSpecError(f"{source}: 'display_name' and 'language' must be strings")
        env = data.get("env") or {}
        if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
            raise KernelSpecError(f"{source}: 'env' must map names to strings")
        mode = data.get("interrupt_mode", "signal")
        if mode not in _INTERRUPT_MODES:
            raise KernelSpecError(f"{source}: 'interrupt_mode' must be signal or message")
        metadata = data.get("metadata") or {}
        if not isinstance(metadata, dict):
            raise KernelSpecError(f"{source}: 'metadata' must be an object")
        return cls(name, argv, display_name, language, env, mode, metadata, resource_dir)


def carnet_kernel_spec(
    name: str = CARNET_KERNEL_NAME, display_name: str = CARNET_DISPLAY_NAME
) -> KernelSpec:
    """Carnet's own Python kernel, run by the interpreter running Carnet."""
    argv = [sys.executable, "-m", "carnet.kernel", "-f", "{connection_file}"]
    return KernelSpec(name, argv, display_name, "python", metadata={"debugger": False})


def load_kernel_spec(resource_dir: Path) -> KernelSpec:
    """Read `<resource_dir>/kernel.json`; KernelSpecError names the file when it is bad."""
    path = resource_dir / "kernel.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KernelSpecError(f"{path}: no such kernel.json") from None
    except (OSError, ValueError) as exc:
        raise KernelSpecError(f"{path}: cannot read kernel.json: {exc}") from None
    return KernelSpec.from_dict(resource_dir.name.lower(), data, str(path), resource_dir)


def find_kernel_specs() -> dict[str, Path | None]:
    """Kernel name -> resource directory (None for Carnet's built-in kernel)."""
    found: dict[str, Path | None] = {CARNET_KERNEL_NAME: None}
    for kernels_dir in paths.jupyter_path("kernels"):
        try:
            entries = sorted(kernels_dir.iterdir())
        except OSError:
            continue
        for entry in entries:
            name = entry.name.lower()
            if name not in found and (entry / "kernel.json").is_file():
                found[name] = entry
    return found


def get_kernel_spec(name: str) -> KernelSpec:
    specs = find_kernel_specs()
    key = name.lower()
    if key not in specs:
        raise KernelSpecError(
            f"no kernelspec named {name!r}; available: {', '.join(sorted(specs))}"
        )
    resource_dir = specs[key]
    return carnet_kernel_spec() if resource_dir is None else load_kernel_spec(resource_dir)


def all_kernel_specs() -> dict[str, KernelSpec]:
    """Every valid kernelspec by name; invalid ones are logged and skipped."""
    specs: dict[str, KernelSpec] = {}
    for name in find_kernel_specs():
        try:
            specs[name] = get_kernel_spec(name)
        except KernelSpecError as exc:
            log.warning("skipping kernelspec %s: %s", name, exc)
    return specs


def kernels_dir_for(
    *, user: bool = False, sys_prefix: bool = False, prefix: str | Path | None = None
) -> Path:
    """Where `install` writes: as Jupyter, the system directory unless told otherwise."""
    if sum((user, sys_prefix, prefix is not None)) > 1:
        raise KernelSpecError("choose at most one of user, sys_prefix and prefix")
    if user:
        return paths.data_dir() / "kernels"
    if sys_prefix:
        return Path(sys.prefix) / "share" / "jupyter" / "kernels"
    if prefix is not None:
        return Path(prefix) / "share" / "jupyter" / "kernels"
    return Path(paths.SYSTEM_DATA_PATHS[0]) / "kernels"


def install_kernel_spec(
    spec: KernelSpec,
    *,
    name: str | None = None,
    user: bool = False,
    sys_prefix: bool = False,
    prefix: str | Path | None = None,
) -> Path:
    """Write the spec (and copy its resource files) into a kernels directory."""
    name = name or spec.name
    if not _VALID_NAME.match(name):
        raise KernelSpecError(
            f"invalid kernel name {name!r}: use letters, digits, '.', '_' and '-' only"
        )
    destination = kernels_dir_for(user=user, sys_prefix=sys_prefix, prefix=prefix) / name.lower()
    try:
        if spec.resource_dir is not None and spec.resource_dir != destination:
            shutil.copytree(spec.resource_dir, destination, dirs_exist_ok=True)
        destination.mkdir(parents=True, exist_ok=True)
        text = json.dumps(spec.to_dict(), indent=1) + "\n"
        (destination / "kernel.json").write_text(text, encoding="utf-8")
    except OSError as exc:
        raise KernelSpecError(f"cannot install kernelspec into {destination}: {exc}") from None
    return destination
