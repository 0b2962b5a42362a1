"""Starting, listing, stopping and signalling the real server process."""

from __future__ import annotations

import json
import os
import signal
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import httpx
import pexpect
import pytest

from tests.server.conftest import (
    RunningServer,
    ServerDirs,
    StartServer,
    carnet_command,
    launch,
    wait_for_info,
)
from tests.support.waiting import wait_until


def carnet(dirs: ServerDirs, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        carnet_command("notebook", *args),
        capture_output=True,
        text=True,
        env=dirs.env(),
        timeout=30,
    )


def test_info_file_is_private_and_jupyter_shaped(server: RunningServer) -> None:
    path = server.dirs.runtime / f"jpserver-{server.process.pid}.json"
    assert path.stat().st_mode & 0o777 == 0o600
    info = json.loads(path.read_text())
    assert set(info) >= {
        "base_url",
        "hostname",
        "notebook_dir",
        "root_dir",
        "password",
        "pid",
        "port",
        "secure",
        "sock",
        "token",
        "url",
        "version",
    }
    assert info["url"] == f"http://127.0.0.1:{server.port}/"
    assert info["token"] == server.token
    assert info["password"] is False
    assert info["root_dir"] == str(server.root_dir.resolve())


def test_sigterm_shuts_down_cleanly_and_removes_the_info_file(server: RunningServer) -> None:
    path = server.dirs.runtime / f"jpserver-{server.process.pid}.json"
    assert path.exists()
    assert server.stop(signal.SIGTERM) == 0
    assert not path.exists()
    assert "Shutting down the notebook server" in server.output()
    assert "Traceback" not in server.output()


def test_list_shows_running_servers_and_drops_dead_ones(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    first = start_server()
    second = start_server()
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = server_dirs.runtime / f"jpserver-{dead.pid}.json"
    stale.write_text(json.dumps({"pid": dead.pid, "port": 1, "url": "http://x/", "token": "t"}))

    listing = carnet(server_dirs, "list")
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert lines[0] == "Currently running servers:"
    assert f"http://127.0.0.1:{first.port}/?token={first.token} :: {first.root_dir}" in lines
    assert any(f":{second.port}/" in line for line in lines)
    assert not any("http://x/" in line for line in lines)
    assert not stale.exists()

    as_json = carnet(server_dirs, "list", "--json")
    ports = {json.loads(line)["port"] for line in as_json.stdout.splitlines()}
    assert ports == {first.port, second.port}


def test_stop_by_port(server_dirs: ServerDirs, start_server: StartServer) -> None:
    server = start_server()
    result = carnet(server_dirs, "stop", str(server.port))
    assert result.returncode == 0, result.stderr
    assert f"port {server.port}" in result.stdout
    assert server.process.wait(10) == 0
    assert carnet(server_dirs, "list", "--json").stdout == ""
    missing = carnet(server_dirs, "stop", str(server.port))
    assert missing.returncode == 1
    assert "no server running on port" in missing.stderr
    assert carnet(server_dirs, "stop", "not-a-port").returncode == 2


def test_port_retries_moves_to_a_free_port(start_server: StartServer) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = start_server(f"--port={port}", "--port-retries=5")
        assert port < server.port <= port + 5
        assert f"The port {port} is already in use" in server.output()


def test_port_retries_zero_fails_clearly(server_dirs: ServerDirs) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = launch(server_dirs, f"--port={port}", "--port-retries=0", wait=False)
        assert server.process.wait(20) == 1
    assert f"The port {port} is already in use" in server.output()
    assert "Traceback" not in server.output()


def test_no_activity_timeout_shuts_the_server_down(start_server: StartServer) -> None:
    server = start_server("--NotebookApp.shutdown_no_activity_timeout=1")
    assert server.process.wait(15) == 0
    assert "No activity for 1 seconds" in server.output()
    assert not list(server.dirs.runtime.glob("jpserver-*.json"))


def test_browser_opens_the_notebook_given_as_path(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    notebook = server_dirs.root / "my notebook.ipynb"
    notebook.write_text("{}")
    record = server_dirs.base / "opened.txt"
    browser = server_dirs.base / "browser.sh"
    browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > {record}\n')
    browser.chmod(0o755)
    server = start_server(
        str(notebook), "--NotebookApp.open_browser=True", env=server_dirs.env(BROWSER=str(browser))
    )
    assert wait_until(record.exists)
    opened = record.read_text()
    assert opened == (
        f"http://127.0.0.1:{server.port}/notebooks/my%20notebook.ipynb?token={server.token}"
    )


def self_signed(directory: Path, name: str) -> tuple[Path, Path]:
    cert, key = directory / f"{name}-cert.pem", directory / f"{name}-key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-nodes", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_tls_with_a_self_signed_certificate(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    cert, key = self_signed(server_dirs.base, "server")
    server = start_server(f"--certfile={cert}", f"--keyfile={key}")
    assert server.info["secure"] is True
    assert server.info["url"].startswith("https://")
    context = ssl.create_default_context(cafile=str(cert))
    with server.client(verify=context) as client:
        assert client.get("api/status").status_code == 200
    with server.client(authenticated=False, verify=context) as client:
        redirect = client.get("tree", params={"token": server.token})
    assert redirect.status_code == 302
    assert "; Secure" in redirect.headers["set-cookie"]
    plain = httpx.get(f"http://127.0.0.1:{server.port}/api/status", timeout=5)
    assert plain.status_code == 307  # see tests/server/security/test_tls.py
    assert f"https://127.0.0.1:{server.port}/?token=" in server.output()


def test_client_ca_requires_a_client_certificate(server_dirs: ServerDirs) -> None:
    cert, key = self_signed(server_dirs.base, "server")
    client_cert, client_key = self_signed(server_dirs.base, "client")
    stranger_cert, stranger_key = self_signed(server_dirs.base, "stranger")
    server = launch(
        server_dirs,
        f"--certfile={cert}",
        f"--keyfile={key}",
        f"--client-ca={client_cert}",
        token="t",
        wait=False,
    )
    try:
        info = wait_for_info(server.process, server_dirs.runtime, server.log_path)
        url = f"https://127.0.0.1:{info['port']}/api/status?token=t"

        def get(certificate: tuple[Path, Path] | None) -> int:
            context = ssl.create_default_context(cafile=str(cert))
            if certificate is not None:
                context.load_cert_chain(*certificate)
            return httpx.get(url, verify=context, timeout=5).status_code

        assert wait_until(lambda: get((client_cert, client_key)) == 200)
        for certificate in (None, (stranger_cert, stranger_key)):
            with pytest.raises(httpx.TransportError):
                get(certificate)
    finally:
        server.stop()


def test_bad_tls_files_are_clear_errors(server_dirs: ServerDirs) -> None:
    cert, key = self_signed(server_dirs.base, "one")
    _, other_key = self_signed(server_dirs.base, "two")
    garbage = server_dirs.base / "garbage.pem"
    garbage.write_text("not a certificate\n")
    cases = {
        ("--certfile=/nonexistent/cert.pem",): "/nonexistent/cert.pem",
        (f"--certfile={cert}", f"--keyfile={other_key}"): "KEY_VALUES_MISMATCH",
        (f"--certfile={garbage}",): "not a PEM certificate",
        (f"--certfile={cert}", f"--keyfile={key}", f"--client-ca={garbage}"): "client_ca",
    }
    for args, expected in cases.items():
        result = carnet(server_dirs, "--no-browser", *args)
        assert result.returncode == 2, args
        assert expected in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
        assert "Traceback" not in result.stderr


def _spawn(dirs: ServerDirs) -> pexpect.spawn:
    command = carnet_command(
        "notebook", "--no-browser", "--port=0", "--ip=127.0.0.1",
        f"--notebook-dir={dirs.root}", "--NotebookApp.token=t",
    )  # fmt: skip
    child = pexpect.spawn(command[0], command[1:], env=dirs.env(), timeout=20)
    child.expect("Use Control-C to stop this server")  # after the info file is written
    return child


def test_ctrl_c_asks_and_y_shuts_down(server_dirs: ServerDirs) -> None:
    child = _spawn(server_dirs)
    try:
        child.sendintr()
        child.expect(r"Shutdown this notebook server \(y/\[n\]\)\? ")
        child.sendline("y")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert not list(server_dirs.runtime.glob("jpserver-*.json"))


def test_ctrl_c_answered_no_resumes_and_twice_shuts_down(server_dirs: ServerDirs) -> None:
    child = _spawn(server_dirs)
    info = json.loads((server_dirs.runtime / f"jpserver-{child.pid}.json").read_text())
    port = info["port"]
    try:
        child.sendintr()
        child.expect(r"\(y/\[n\]\)\? ")
        child.sendline("n")
        child.expect("resuming operation")
        response = httpx.get(f"http://127.0.0.1:{port}/api/status?token=t", timeout=5)
        assert response.status_code == 200
        child.sendintr()
        child.expect(r"\(y/\[n\]\)\? ")
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def _children(pid: int) -> list[tuple[int, str]]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if fields[1] == str(pid):
                found.append((int(entry.name), fields[0]))
    return found


@pytest.mark.skipif(os.geteuid() != 0, reason="a PID namespace needs root")
def test_as_pid_1_orphans_are_reaped(server_dirs: ServerDirs) -> None:
    # The config file (plain Python) leaves an orphan behind: sh exits at once, and its
    # background sleep is re-parented to PID 1 - the server - and exits soon after.
    (server_dirs.config / "jupyter_notebook_config.py").write_text(
        "import subprocess\nsubprocess.Popen(['sh', '-c', 'sleep 0.3 & exit 0'])\n"
    )
    command = [
        "unshare", "--pid", "--fork", "--mount-proc",
        *carnet_command(
            "notebook", "--no-browser", "--port=0", "--ip=127.0.0.1",
            f"--notebook-dir={server_dirs.root}",
        ),
    ]  # fmt: skip
    wrapper = subprocess.Popen(command, env=server_dirs.env(), stdout=subprocess.DEVNULL)
    try:
        assert wait_until(lambda: _children(wrapper.pid))
        server_pid = _children(wrapper.pid)[0][0]
        assert wait_until((server_dirs.runtime / "jpserver-1.json").exists, 20)

        def zombies() -> list[int]:
            return [pid for pid, state in _children(server_pid) if state == "Z"]

        assert wait_until(zombies, 5), "the orphan never became a zombie"
        assert wait_until(lambda: not zombies(), 10), "zombies were not reaped"
        os.kill(server_pid, signal.SIGTERM)
        assert wrapper.wait(15) == 0
    finally:
        if wrapper.poll() is None:
            wrapper.kill()
            wrapper.wait(5)
    assert sys.platform.startswith("linux")


def test_unix_socket(server_dirs: ServerDirs) -> None:
    path = server_dirs.base / "nb.sock"
    server = launch(server_dirs, f"--sock={path}", token="t", wait=False)
    try:
        info = wait_for_info(server.process, server_dirs.runtime, server.log_path)
        assert info["sock"] == str(path)
        assert path.stat().st_mode & 0o777 == 0o600
        transport = httpx.HTTPTransport(uds=str(path))
        with httpx.Client(transport=transport, base_url="http://notebook", timeout=5) as client:
            assert wait_until(lambda: client.get("/api/status?token=t").status_code == 200)
            assert client.get("/api/status").status_code == 403
        assert server.stop() == 0
        assert not path.exists()
    finally:
        server.stop()
