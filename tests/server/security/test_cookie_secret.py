"""The persistent cookie secret (Jupyter's cookie_secret / cookie_secret_file).

Units on the file (created 0600, reused, repaired, refused with a warning), the
options' precedence, and real servers: a login cookie and its XSRF token from one run
still work after a restart with the same token, and not after one with another token.
"""

from __future__ import annotations

import base64
import logging
import stat
from pathlib import Path

import httpx
import pytest

from carnet.server.auth.cookie_secret import load_secret, read_or_create
from carnet.server.config.resolve import settings_from_argv
from tests.server.conftest import RunningServer, StartServer

LOG = logging.getLogger("test-cookie-secret")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_file_is_created_private_in_jupyters_format_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "runtime" / "jupyter_cookie_secret"
    secret = load_secret(b"", str(path), LOG)
    assert mode_of(path) == 0o600
    assert len(base64.b64decode(path.read_bytes())) == 32
    assert path.read_bytes().strip() == secret
    assert load_secret(b"", str(path), LOG) == secret
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left behind
    other = tmp_path / "other"
    assert load_secret(b"", str(other), LOG) != secret


def test_a_configured_secret_wins_and_an_empty_file_option_means_in_memory(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jupyter_cookie_secret"
    assert load_secret(b"configured", str(path), LOG) == b"configured"
    assert not path.exists()
    first, second = load_secret(b"", "", LOG), load_secret(b"", "", LOG)
    assert len(first) == 32
    assert first != second
    assert list(tmp_path.iterdir()) == []


def test_a_file_others_can_read_is_made_private_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "jupyter_cookie_secret"
    path.write_bytes(b"handwritten secret\n")
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, LOG.name):
        assert read_or_create(path, LOG) == b"handwritten secret"
    assert mode_of(path) == 0o600
    assert str(path) in caplog.text
    assert "0600" in caplog.text


def test_an_empty_file_is_replaced_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "jupyter_cookie_secret"
    path.write_bytes(b" \n")
    with caplog.at_level(logging.WARNING, LOG.name):
        secret = read_or_create(path, LOG)
    assert len(base64.b64decode(secret)) == 32
    assert path.read_bytes().strip() == secret
    assert f"{path} is empty" in caplog.text


@pytest.mark.parametrize("kind", ["directory", "huge", "parent is a file"])
def test_an_unusable_file_is_a_warning_naming_it_and_the_secret_stays_in_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, kind: str
) -> None:
    path = tmp_path / "jupyter_cookie_secret"
    if kind == "directory":
        path.mkdir()
    elif kind == "huge":
        path.write_bytes(b"x" * 100_000)
    else:
        path.write_bytes(b"")
        path = path / "secret"
    with caplog.at_level(logging.WARNING, LOG.name):
        first = load_secret(b"", str(path), LOG)
        second = load_secret(b"", str(path), LOG)
    assert len(first) == 32
    assert first != second
    assert str(path) in caplog.text
    assert "logins will not survive a restart" in caplog.text
    if kind == "huge":
        assert path.read_bytes() == b"x" * 100_000  # never overwritten


def test_options_come_from_either_section_with_the_usual_precedence(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE", "JUPYTER_CONFIG_PATH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.chdir(tmp_path)
    default = settings_from_argv([])
    assert default.cookie_secret == b""
    assert default.cookie_secret_file == str(tmp_path / "runtime" / "jupyter_cookie_secret")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "jupyter_notebook_config.py").write_text(
        "c.ServerApp.cookie_secret_file = 'from-serverapp'\n"
        "c.ServerApp.cookie_secret = b'server-secret'\n"
    )
    from_file = settings_from_argv([])
    assert from_file.cookie_secret_file == str(tmp_path / "from-serverapp")
    assert from_file.cookie_secret == b"server-secret"
    (tmp_path / "config" / "jupyter_notebook_config.json").write_text(
        '{"NotebookApp": {"cookie_secret_file": "from-json"}}'
    )
    assert settings_from_argv([]).cookie_secret_file == str(tmp_path / "from-json")
    from_cli = settings_from_argv(
        ["--ServerApp.cookie_secret_file=from-cli", "--NotebookApp.cookie_secret=cli-secret"]
    )
    assert from_cli.cookie_secret_file == str(tmp_path / "from-cli")
    assert from_cli.cookie_secret == b"cli-secret"
    assert "cli-secret" not in repr(from_cli)


def logged_in(server: RunningServer) -> dict[str, str]:
    """The cookies a browser holds after opening the server's URL with the token."""
    with server.client(authenticated=False) as client:
        page = client.get("tree", params={"token": server.token}, follow_redirects=True)
        assert page.status_code == 200
        return dict(client.cookies)


def cookie_client(server: RunningServer, cookies: dict[str, str]) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=10)
    client.cookies.update(cookies)
    return client


def test_a_login_survives_a_restart_with_the_same_token_only(start_server: StartServer) -> None:
    first = start_server(token="same-token")
    cookies = logged_in(first)
    port = first.port
    secret_file = first.dirs.runtime / "jupyter_cookie_secret"
    assert mode_of(secret_file) == 0o600
    assert first.stop() == 0
    second = start_server(f"--port={port}", token="same-token")
    with cookie_client(second, cookies) as client:
        assert client.get("api/status").status_code == 200
        # The page's XSRF token, signed with the same secret, still passes too.
        created = client.post(
            "api/contents", json={"type": "notebook"}, headers={"X-XSRFToken": cookies["_xsrf"]}
        )
        assert created.status_code == 201, created.text
    assert second.stop() == 0
    third = start_server(f"--port={port}", token="another-token")
    with cookie_client(third, cookies) as client:
        assert client.get("api/status").status_code == 403
    assert "Traceback" not in first.output() + second.output() + third.output()


def test_a_bad_secret_file_is_a_warning_and_the_server_still_serves(
    start_server: StartServer, tmp_path: Path
) -> None:
    bad = tmp_path / "a-directory"
    bad.mkdir()
    server = start_server(f"--NotebookApp.cookie_secret_file={bad}")
    cookies = logged_in(server)
    with cookie_client(server, cookies) as client:
        assert client.get("api/status").status_code == 200
    output = server.output()
    assert f"Cannot read the cookie secret file {bad}" in output
    assert "Traceback" not in output
