"""Jupyter Enterprise Gateway in a virtual environment of its own, under .cache/.

Enterprise Gateway 3 pins jupyter_client < 7, jupyter_server < 2 and pyzmq < 25, which
cannot live beside the project's test environment, so the test session makes this
environment the first time (then reuses it). Only what its local process proxy needs is
installed: the package without its dependencies, then those dependencies minus
kubernetes, docker and yarn-api-client, which only its Kubernetes, Docker and YARN
process proxies import (they are over two thirds of the install's size and time).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support.installs import install_once

ROOT = Path(__file__).resolve().parents[2]
EG_DIR = ROOT / ".cache" / "enterprise-gateway"
EG_REQUIREMENT = "jupyter_enterprise_gateway==3.3.0"
# Enterprise Gateway 3.3.0's own requirements, but for its remote process proxies'.
EG_DEPENDENCIES = [
    "jupyter-client>=6.1.12,<7",
    "jupyter-core>=4.7.0",
    "jupyter-server>=1.7,<2.0",
    "pyzmq>=20.0,<25.0",
    "tornado>=6.1,<7.0",
    "traitlets>=5.3.0",
    "jinja2>=3.1",
    "future",
    "paramiko>=2.11",
    "pexpect>=4.8.0",
    "pycryptodomex>=3.9.7",
    "requests>=2.14.2",
    "watchdog>=2.1.3",
]
STAMP = ".carnet-eg"  # written last: its content names what was installed
# What pip prints when it cannot reach an index: the one reason to skip, not fail.
OFFLINE = (
    "NewConnectionError",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
    "No matching distribution found",
)


class InstallFailed(Exception):
    def __init__(self, message: str, offline: bool) -> None:
        super().__init__(message)
        self.offline = offline


def _stamp() -> str:
    return "\n".join([EG_REQUIREMENT, *EG_DEPENDENCIES])


def _complete(venv: Path) -> bool:
    stamp = venv / STAMP
    return (venv / "bin" / "python").exists() and stamp.exists() and stamp.read_text() == _stamp()


def eg_python() -> Path:
    """The environment's interpreter, installing it first if needed (InstallFailed)."""
    # Built beside, then renamed (install_once). The environment is only ever run as
    # `bin/python -m ...`, which a rename does not break; an older pin's is replaced.
    if not install_once(EG_DIR, _complete, _install):
        raise InstallFailed(f"{EG_DIR} is not complete after installing it", offline=False)
    return EG_DIR / "bin" / "python"


def _install(venv: Path) -> None:
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    pip += ["install", "--quiet", "--disable-pip-version-check"]
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    _run([*pip, *EG_DEPENDENCIES])
    _run([*pip, "--no-deps", EG_REQUIREMENT])
    (venv / STAMP).write_text(_stamp())


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        offline = any(sign in output for sign in OFFLINE)
        tail = "\n".join(output.splitlines()[-15:])
        raise InstallFailed(f"{' '.join(command)} failed:\n{tail}", offline)
