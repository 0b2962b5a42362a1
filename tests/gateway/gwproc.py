"""A real Jupyter Kernel Gateway or Enterprise Gateway on loopback, with a kernelspec only it has.

The gateway runs from an interpreter that has `kernel_gateway` installed: this one, or
else CARNET_GATEWAY_PYTHON or the project's newest-lane .venv (the oldest lane's
traitlets is older than the gateway allows; the gateway is a separate service, Carnet is
what runs in the lane).
Enterprise Gateway runs from its own environment (egvenv.py), as operators deploy it:
with its defaults (it does not list kernels), a client_envs allowance, and its local
process proxy.
Its kernelspec `gwonly` (in a JUPYTER_PATH of its own) runs Carnet's kernel.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.support.ports import free_port
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
SPEC_NAME = "gwonly"
LOCAL_PROXY = "enterprise_gateway.services.processproxies.processproxy.LocalProcessProxy"
# A 1x1 PNG: the kernelspec's logo, which Carnet must relay byte for byte.
LOGO = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def gateway_python() -> str | None:
    """CARNET_GATEWAY_PYTHON, this interpreter, or the newest lane's: the first with it."""
    if importlib.util.find_spec("kernel_gateway") is not None:
        return sys.executable
    candidate = Path(os.environ.get("CARNET_GATEWAY_PYTHON") or ROOT / ".venv" / "bin" / "python")
    if candidate.is_file():
        found = subprocess.run(
            [str(candidate), "-c", "import kernel_gateway"], capture_output=True, check=False
        )
        if found.returncode == 0:
            return str(candidate)
    return None


def write_kernelspec(base: Path) -> Path:
    """A JUPYTER_PATH whose only kernelspec is `gwonly`, running Carnet's kernel."""
    spec_dir = base / "jupyter" / "kernels" / SPEC_NAME
    spec_dir.mkdir(parents=True)
    src = str(ROOT / "src")
    spec = {
        "argv": [sys.executable, "-m", "carnet.kernel", "-f", "{connection_file}"],
        "display_name": "Only on the gateway",
        "language": "python",
        "env": {"PYTHONPATH": src},
        # Enterprise Gateway's launcher (the Kernel Gateway ignores it).
        "metadata": {"process_proxy": {"class_name": LOCAL_PROXY}},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))
    (spec_dir / "logo-64x64.png").write_bytes(LOGO)
    return base / "jupyter"


def _command(kind: str, port: int, token: str) -> list[str]:
    """The gateway's arguments: `kg` the Kernel Gateway, `eg` Enterprise Gateway."""
    if kind == "eg":
        return [
            "-m",
            "enterprise_gateway",
            "--ip=127.0.0.1",
            f"--port={port}",
            "--port_retries=0",
            f"--EnterpriseGatewayApp.auth_token={token}",
            f"--EnterpriseGatewayApp.default_kernel_name={SPEC_NAME}",
            "--EnterpriseGatewayApp.client_envs=['CARNET_GW_ALLOWED']",
            # Its default refuses kernels to KERNEL_USERNAME root, whom CI containers run as.
            "--EnterpriseGatewayApp.unauthorized_users=['carnet-nobody']",
        ]
    return [
        "-m",
        "kernel_gateway",
        "--KernelGatewayApp.ip=127.0.0.1",
        f"--KernelGatewayApp.port={port}",
        "--KernelGatewayApp.port_retries=0",
        f"--KernelGatewayApp.auth_token={token}",
        f"--KernelGatewayApp.default_kernel_name={SPEC_NAME}",
        "--JupyterWebsocketPersonality.env_whitelist=['CARNET_GW_ALLOWED']",
        "--JupyterWebsocketPersonality.list_kernels=True",
    ]


@dataclass
class Gateway:
    python: str
    base: Path
    kind: str = "kg"
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    port: int = 0
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}

    def start(self) -> Gateway:
        """Start (or restart, on the same port) and wait until it answers."""
        jupyter_path = self.base / "jupyter"
        if not jupyter_path.exists():
            write_kernelspec(self.base)
        self.port = self.port or free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER_")}
        home = self.base / "home"
        env.update(
            JUPYTER_PATH=str(jupyter_path),
            JUPYTER_DATA_DIR=str(home / "data"),
            JUPYTER_CONFIG_DIR=str(home / "config"),
            JUPYTER_RUNTIME_DIR=str(home / "runtime"),
            PYTHONUNBUFFERED="1",
        )
        log = open(self.base / f"gateway-{self.port}.log", "ab")  # noqa: SIM115
        with log:
            self.process = subprocess.Popen(
                [self.python, *_command(self.kind, self.port, self.token)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                cwd=self.base,
            )
        wait_until(self._answers, 60, f"the gateway ({self.kind}) to answer")
        return self

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"the gateway exited:\n{self.output()}")
        try:
            return httpx.get(self.url + "/api", headers=self.headers, timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    def has_kernel(self, kernel_id: str) -> bool:
        """Asked of the gateway itself, one kernel (Enterprise Gateway lists none)."""
        url = f"{self.url}/api/kernels/{kernel_id}"
        status = httpx.get(url, headers=self.headers, timeout=10).status_code
        assert status in (200, 404), status
        return status == 200

    def output(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.base.glob("gateway-*.log"))

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
