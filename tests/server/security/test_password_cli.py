"""`carnet notebook password` at a real terminal, and the JSON config beating the .py one."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import time

from tests.server.conftest import ServerDirs, StartServer, carnet_command
from tests.server.security.conftest import browser, login


def _run_at_a_terminal(dirs: ServerDirs, answers: list[str]) -> tuple[int, str]:
    """Run the command with a pty as its terminal (getpass reads /dev/tty), typing answers."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        carnet_command("notebook", "password"),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=dirs.env(),
        start_new_session=True,
    )
    os.close(follower)
    seen = b""
    pending = list(answers)
    answered = 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        readable, _, _ = select.select([leader], [], [], max(0.0, deadline - time.monotonic()))
        if not readable:
            break
        try:
            chunk = os.read(leader, 1024)
        except OSError:
            break  # the command exited and closed the terminal
        if not chunk:
            break
        seen += chunk
        # One answer per prompt, once the prompt is fully shown (getpass flushes typed-ahead
        # input when it turns echo off, so answering early would lose the answer).
        if pending and seen.count(b"password: ") > answered and seen.endswith(b"password: "):
            os.write(leader, pending.pop(0).encode() + b"\n")
            answered += 1
    os.close(leader)
    if process.poll() is None:  # stuck at a prompt: do not leave it behind
        process.kill()
    return process.wait(10), seen.decode(errors="replace")


def test_password_command_stores_an_argon2_hash_privately(
    server_dirs: ServerDirs, start_server: StartServer
) -> None:
    config = server_dirs.config / "jupyter_notebook_config.json"
    config.write_text(json.dumps({"NotebookApp": {"port_retries": 7}, "Other": {"x": 1}}))
    code, output = _run_at_a_terminal(server_dirs, ["first try", "mismatch", "s3cret!", "s3cret!"])
    assert code == 0, output
    assert "Passwords do not match" in output
    assert "s3cret!" not in output  # never echoed
    stored = json.loads(config.read_text())
    assert stored["NotebookApp"]["port_retries"] == 7 and stored["Other"] == {"x": 1}
    assert stored["NotebookApp"]["password"].startswith("argon2:$argon2id$")
    assert config.stat().st_mode & 0o777 == 0o600
    server = start_server(token="")
    with browser(server) as client:
        assert login(client, "s3cret!").status_code == 302


def test_json_config_beats_the_py_one(server_dirs: ServerDirs, start_server: StartServer) -> None:
    from carnet.server.auth.passwords import legacy_hash

    (server_dirs.config / "jupyter_notebook_config.py").write_text(
        f"c.NotebookApp.password = {legacy_hash('from-py', 'sha1')!r}\n"
    )
    (server_dirs.config / "jupyter_notebook_config.json").write_text(
        json.dumps({"NotebookApp": {"password": legacy_hash("from-json", "sha256")}})
    )
    server = start_server(token="")
    with browser(server) as client:
        assert login(client, "from-py").status_code == 401
        assert login(client, "from-json").status_code == 302
