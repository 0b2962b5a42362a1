"""Real Carnet kernel processes, driven by jupyter_client and raw pyzmq.

Kernelspecs for Carnet's kernel (signal and message interrupt modes) are
written into a temporary JUPYTER_PATH; IPython's history and Jupyter's
runtime files go to temporary directories too, for this package only.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from jupyter_client.blocking.client import BlockingKernelClient
from jupyter_client.manager import KernelManager

from carnet.client.manager import PORT_ATTEMPTS, PORT_TAKEN

SIGNAL_SPEC = "carnet-test"
MESSAGE_SPEC = "carnet-test-message"


def write_kernelspecs(data_dir: Path) -> None:
    for name, mode in ((SIGNAL_SPEC, "signal"), (MESSAGE_SPEC, "message")):
        spec_dir = data_dir / "kernels" / name
        spec_dir.mkdir(parents=True, exist_ok=True)
        spec = {
            "argv": [sys.executable, "-m", "carnet.kernel", "-f", "{connection_file}"],
            "display_name": f"Carnet test ({mode})",
            "language": "python",
            "interrupt_mode": mode,
        }
        (spec_dir / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")


@pytest.fixture(scope="package", autouse=True)
def kernel_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("kernel-env")
    write_kernelspecs(base / "data")
    overrides = {
        "JUPYTER_PATH": str(base / "data"),
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "IPYTHONDIR": str(base / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    saved = {key: os.environ.get(key) for key in overrides}
    os.environ.update(overrides)
    yield base
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# Ports jupyter_client chose free may be taken before the kernel binds them (tests in
# parallel: any outgoing connection, a client reconnecting to a kernel that died). The
# kernel then exits saying so, and jupyter_client does not choose again: this helper does,
# as Carnet's manager does.
def start_kernel(
    spec: str = SIGNAL_SPEC,
    env: dict[str, str] | None = None,
    stderr: IO[str] | None = None,
    **channels: bool,
) -> tuple[KernelManager, BlockingKernelClient]:
    """A kernel started by jupyter_client, ready; `channels` go to start_channels()."""
    for attempt in range(1, PORT_ATTEMPTS + 1):
        km = KernelManager(kernel_name=spec)
        log = stderr
        if log is None:
            # Open as long as the manager lives: a restart starts the kernel with it again.
            log = tempfile.TemporaryFile("w+")  # noqa: SIM115
            weakref.finalize(km, log.close)
        options: dict[str, object] = {"stderr": log}
        if env is not None:
            options["env"] = env
        km.start_kernel(**options)
        kc = km.client()
        kc.start_channels(**channels)
        try:
            kc.wait_for_ready(timeout=30)
        except RuntimeError:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            log.seek(0)
            said = log.read()
            if PORT_TAKEN in said and attempt < PORT_ATTEMPTS:
                continue
            raise RuntimeError(f"kernel {spec} did not start; its stderr:\n{said}") from None
        return km, kc
    raise AssertionError("unreachable")


def stop_kernel(km: KernelManager, kc: BlockingKernelClient) -> None:
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=False)
    km.cleanup_resources()


@pytest.fixture(scope="module")
def kernel() -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    km, kc = start_kernel()
    yield km, kc
    stop_kernel(km, kc)


@pytest.fixture
def fresh_kernel() -> Iterator[tuple[KernelManager, BlockingKernelClient]]:
    km, kc = start_kernel()
    yield km, kc
    stop_kernel(km, kc)
