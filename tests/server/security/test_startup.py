"""What the server refuses at start, and what it says about disabled authentication."""

from __future__ import annotations

import subprocess

import pytest

from carnet.errors import ConfigError
from carnet.server.config.load import load
from carnet.server.config.resolve import resolve
from tests.server.conftest import ServerDirs, StartServer, carnet_command

NO_AUTH = ["--NotebookApp.token=", "--NotebookApp.password="]


def test_unauthenticated_remote_listening_is_refused(server_dirs: ServerDirs) -> None:
    # 192.0.2.1 (TEST-NET-1) is on no interface: even a broken check could not listen there.
    command = carnet_command("notebook", "--no-browser", "--ip=192.0.2.1", "--port=0", *NO_AUTH)
    done = subprocess.run(
        command, env=server_dirs.env(), cwd=server_dirs.root, capture_output=True, timeout=30
    )
    assert done.returncode == 2
    output = done.stdout.decode() + done.stderr.decode()
    assert "allow_unauthenticated_remote_access" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("ip", ["0.0.0.0", "*", "", "::"])
def test_every_wildcard_address_counts_as_remote(
    ip: str, server_dirs: ServerDirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(server_dirs.config))
    argv = [f"--ip={ip}", f"--notebook-dir={server_dirs.root}", *NO_AUTH]
    with pytest.raises(ConfigError, match="would let anyone on the network run code"):
        resolve(load(argv))
    allowed = resolve(load([*argv, "--NotebookApp.allow_unauthenticated_remote_access=True"]))
    assert not allowed.auth_enabled
    assert resolve(load([*argv[:2], "--NotebookApp.token=t"])).auth_enabled


def test_disabled_auth_on_loopback_warns_and_says_so(start_server: StartServer) -> None:
    server = start_server("--NotebookApp.password=", token="")
    with server.client(authenticated=False) as client:
        assert client.get("api/me").json()["auth"] == {"enabled": False, "read_only": False}
    assert "All authentication is disabled" in server.output()
