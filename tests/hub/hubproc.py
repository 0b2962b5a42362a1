"""A real JupyterHub on loopback, spawning `carnet singleuser`, for the tests.

configurable-http-proxy comes from npm (tests/hub/package.json, installed by
`make install-test`); JupyterHub from the test extra. Users log in with
DummyAuthenticator (any password) and servers are SimpleLocalProcessSpawner
subprocesses running this checkout's Carnet. An admin service token drives the
Hub's REST API.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.support.installs import install_once
from tests.support.ports import free_ports

HERE = Path(__file__).parent
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
START_TIMEOUT = 60.0

CONFIG = """
import sys
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {proxy_port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "{api_scheme}://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{proxy!r}]
c.ConfigurableHTTPProxy.pid_file = {base!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {base!r} + "/hub.sqlite"
c.JupyterHub.cookie_secret_file = {base!r} + "/cookie_secret"
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {base!r} + "/home/{{username}}"
c.Spawner.cmd = {cmd!r}
c.Spawner.environment = {environment!r}
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
c.JupyterHub.services = [{{"name": "test-admin", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "admin", "services": ["test-admin"]}}]
c.JupyterHub.internal_ssl = {internal_ssl!r}
c.JupyterHub.internal_certs_location = {base!r} + "/internal-ssl"


def _pre_spawn(spawner):
    # Users named cfg-*: their Jupyter config directory is in their home (as it is by
    # default), and cfg-off-* have it disabled (JUPYTERHUB_DISABLE_USER_CONFIG).
    name = spawner.user.name
    if name.startswith("cfg-"):
        home = {base!r} + "/home/" + name
        spawner.environment = dict(spawner.environment, JUPYTER_CONFIG_DIR=home + "/.jupyter")
        spawner.disable_user_config = name.startswith("cfg-off-")
    if name.startswith("cookie-"):  # JUPYTERHUB_COOKIE_OPTIONS
        spawner.cookie_options = {{"expires_days": 2, "samesite": "Strict"}}


c.Spawner.pre_spawn_hook = _pre_spawn
"""

# JupyterHub 5, beside the 6.x of the test extra: its package alone (its dependencies are
# those of 6.x, already installed), in a cached directory put first on the Hub's path.
HUB5_DIR = HERE.parents[1] / ".cache" / "jupyterhub5"
HUB5_REQUIREMENT = "jupyterhub>=5,<6"


def hub5_path() -> Path:
    """The directory holding JupyterHub 5, installed there the first time (a few seconds)."""

    def install(into: Path) -> None:
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target"]
        subprocess.run([*pip, str(into), HUB5_REQUIREMENT], check=True)

    if not install_once(
        HUB5_DIR, lambda path: (path / "jupyterhub" / "__init__.py").exists(), install
    ):
        raise RuntimeError(f"{HUB5_DIR} has no jupyterhub package after installing it")
    return HUB5_DIR


@dataclass
class Hub:
    proc: subprocess.Popen[bytes]
    url: str  # the proxy's public URL, with a trailing slash
    token: str
    log: Path
    certs: Path  # internal TLS: the CAs and certificates the Hub made (with certipy)

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"token {self.token}"}
        return httpx.request(
            method, f"{self.url}hub/api/{path}", headers=headers, timeout=30, **kwargs
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_hub(
    base: Path,
    activity_interval: str = "1",
    cmd: list[str] | None = None,
    version: str = "6",
    internal_ssl: bool = False,
) -> Hub:
    """A Hub spawning `cmd` (default: this Carnet's `carnet singleuser`); `version` "5"
    runs JupyterHub 5 instead of the installed 6.x. With `internal_ssl` the Hub, the
    proxy and the single-user servers talk TLS to each other, with client certificates
    (the proxy's public port stays plain HTTP)."""
    proxy_port, hub_port, api_port = free_ports(3)
    token = secrets.token_hex(16)
    environment = {
        "JUPYTER_CONFIG_DIR": str(base / "jupyter-config"),
        "JUPYTER_DATA_DIR": str(base / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(base / "jupyter-runtime"),
        "JUPYTERHUB_ACTIVITY_INTERVAL": activity_interval,
        "PYTHONUNBUFFERED": "1",
    }
    config = base / "jupyterhub_config.py"
    config.write_text(
        CONFIG.format(
            proxy_port=proxy_port,
            hub_port=hub_port,
            api_port=api_port,
            api_scheme="https" if internal_ssl else "http",
            internal_ssl=internal_ssl,
            proxy=str(PROXY),
            base=str(base),
            environment=environment,
            token=token,
            cmd=cmd or [sys.executable, "-m", "carnet", "singleuser"],
        )
    )
    log = base / "hub.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=base,
            env=_hub_environ(version),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    hub = Hub(proc, f"http://127.0.0.1:{proxy_port}/", token, log, base / "internal-ssl")
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterHub exited:\n{hub.output()}")
        try:
            if hub.api("GET", "").status_code == 200:
                return hub
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_hub(hub)
    raise RuntimeError(f"JupyterHub did not start:\n{hub.output()}")


def _hub_environ(version: str) -> dict[str, str]:
    environ = dict(os.environ)
    if version == "5":
        path = [str(hub5_path()), environ.get("PYTHONPATH", "")]
        environ["PYTHONPATH"] = os.pathsep.join(p for p in path if p)
    return environ


def stop_hub(hub: Hub) -> None:
    hub.proc.terminate()
    try:
        hub.proc.wait(30)
    except subprocess.TimeoutExpired:
        hub.proc.kill()
        hub.proc.wait()


def wait_until(condition: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
