"""The kernels the client tests run against, as kernelspecs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from carnet.client.kernelspec import KernelSpec, carnet_kernel_spec

HERE = Path(__file__).parent


def ipykernel_spec() -> KernelSpec:
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    return KernelSpec("ipykernel", argv, "IPyKernel", "python")


def tiny_spec(*extra: str) -> KernelSpec:
    """The smallest real kernel (tiny_kernel.py): the fastest to start and stop."""
    argv = [sys.executable, str(HERE / "tiny_kernel.py"), "{connection_file}", *extra]
    return KernelSpec("tiny", argv, "Tiny", "none")


def carnet_kernel_available() -> bool:
    return importlib.util.find_spec("carnet.kernel.__main__") is not None


def python_specs() -> list[KernelSpec]:
    """Full Python kernels: ipykernel always, Carnet's once it exists."""
    specs = [ipykernel_spec()]
    if carnet_kernel_available():
        specs.append(carnet_kernel_spec())
    return specs
