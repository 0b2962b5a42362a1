"""`carnet singleuser`'s environment, scope checks and signed cookies, without a Hub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from carnet.errors import ConfigError
from carnet.server.auth.credentials import Credentials
from carnet.server.auth.identity import server_owner
from carnet.server.config.sources import config_files
from carnet.server.hub import cookies, oauth
from carnet.server.hub.cli import server_argv
from carnet.server.hub.env import parse
from carnet.server.hub.identity import HubIdentity
from tests.support.ports import free_port

BASE = {
    "JUPYTERHUB_SERVICE_URL": "http://127.0.0.1:41234/user/alice/",
    "JUPYTERHUB_API_URL": "http://127.0.0.1:8081/hub/api",
    "JUPYTERHUB_API_TOKEN": "secret-token",
    "JUPYTERHUB_USER": "alice",
}


def test_the_hub_environment() -> None:
    env = parse(
        {
            **BASE,
            "JUPYTERHUB_SERVICE_PREFIX": "/user/alice/",
            "JUPYTERHUB_CLIENT_ID": "jupyterhub-user-alice",
            "JUPYTERHUB_BASE_URL": "/",
            "JUPYTERHUB_ACTIVITY_INTERVAL": "60",
        }
    )
    assert (env.ip, env.port, env.prefix) == ("127.0.0.1", 41234, "/user/alice/")
    assert env.api_url == "http://127.0.0.1:8081/hub/api/"
    assert env.cookie_name == "jupyterhub-user-alice"
    assert env.oauth_callback_url == "/user/alice/oauth_callback"
    assert env.authorize_url == "/hub/api/oauth2/authorize"
    assert env.token_url == "http://127.0.0.1:8081/hub/api/oauth2/token"
    assert env.activity_interval == 60.0
    assert not env.allow_token_in_url
    assert parse({**BASE, "JUPYTERHUB_ALLOW_TOKEN_IN_URL": "1"}).allow_token_in_url
    assert not parse({**BASE, "JUPYTERHUB_ALLOW_TOKEN_IN_URL": "false"}).allow_token_in_url


def test_a_hub_on_another_host() -> None:
    env = parse({**BASE, "JUPYTERHUB_HOST": "https://hub.example/", "JUPYTERHUB_BASE_URL": "/jh"})
    assert env.authorize_url == "https://hub.example/jh/hub/api/oauth2/authorize"
    assert env.logout_url == "https://hub.example/jh/hub/logout"


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"JUPYTERHUB_SERVICE_URL": ""}, "JUPYTERHUB_SERVICE_URL"),
        ({"JUPYTERHUB_API_TOKEN": ""}, "JUPYTERHUB_API_TOKEN"),
        ({"JUPYTERHUB_SERVICE_URL": "unix:/x"}, "JUPYTERHUB_SERVICE_URL"),
        ({"JUPYTERHUB_OAUTH_ACCESS_SCOPES": "access:servers"}, "JUPYTERHUB_OAUTH_ACCESS_SCOPES"),
        ({"JUPYTERHUB_ACTIVITY_INTERVAL": "often"}, "JUPYTERHUB_ACTIVITY_INTERVAL"),
    ],
)
def test_a_wrong_environment_is_named(changes: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        parse({**BASE, **changes})


def test_scopes_that_give_access() -> None:
    env = parse({**BASE, "JUPYTERHUB_SERVER_NAME": "big"})
    assert env.allows(["access:servers!server=alice/big"])
    assert env.allows(["read:users", "access:servers!user=alice"])
    assert env.allows(["access:servers"])
    assert not env.allows(["access:servers!server=alice/"])  # another of her servers
    assert not env.allows(["access:servers!user=bob", "access:servers!server=bob/big"])
    assert not env.allows([])
    listed = parse({**BASE, "JUPYTERHUB_OAUTH_ACCESS_SCOPES": '["access:servers!group=lab"]'})
    assert listed.allows(["access:servers!group=lab"])


def _identity() -> HubIdentity:
    credentials = Credentials(token="", password_hash="", owner=server_owner(), port=0)
    return HubIdentity(parse(BASE), credentials, secure=False)


def test_the_login_cookie_is_signed() -> None:
    identity = _identity()
    value = identity.cookie_value("hub-access-token")
    assert identity.token_from_cookie(value) == "hub-access-token"
    token, _, mac = value.rpartition("|")
    assert identity.token_from_cookie(f"other-token|{mac}") == ""
    flipped = mac[:-1] + ("1" if mac[-1] != "1" else "2")
    assert identity.token_from_cookie(f"{token}|{flipped}") == ""
    assert identity.token_from_cookie(token) == ""
    assert _identity().token_from_cookie(value) == ""  # another server's secret


def test_the_state_cookie_keeps_users_on_this_server() -> None:
    identity = _identity()
    location, cookie = oauth.authorize_redirect(identity, "https://evil.example/")
    assert location.startswith("/hub/api/oauth2/authorize?client_id=jupyterhub-user-alice&")
    assert b"Path=/user/alice/; HttpOnly" in cookie
    assert oauth._safe_next(identity, "//evil.example/user/alice/") == "/user/alice/"
    assert oauth._safe_next(identity, "/user/alice/tree?x=1") == "/user/alice/tree?x=1"


def _singleuser(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")}
    clean.update(JUPYTER_RUNTIME_DIR=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path), **env)
    return subprocess.run(
        [sys.executable, "-m", "carnet", "singleuser"],
        env=clean,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_started_outside_a_hub(tmp_path: Path) -> None:
    done = _singleuser({}, tmp_path)
    assert done.returncode == 1
    assert "JUPYTERHUB_SERVICE_URL" in done.stderr
    assert "must be started by JupyterHub" in done.stderr


def test_a_hub_that_does_not_answer(tmp_path: Path) -> None:
    closed = free_port()  # nothing listens there
    env = {**BASE, "JUPYTERHUB_API_URL": f"http://127.0.0.1:{closed}/hub/api"}
    env["JUPYTERHUB_SERVICE_URL"] = f"http://127.0.0.1:{free_port()}/user/alice/"
    done = _singleuser(env, tmp_path)
    assert done.returncode == 1
    assert f"the Hub API at http://127.0.0.1:{closed}/hub/api/ did not answer" in done.stderr


def test_cookie_options_from_the_hub() -> None:
    env = parse(
        {
            **BASE,
            "JUPYTERHUB_COOKIE_OPTIONS": '{"expires_days": 2, "samesite": "none", '
            '"domain": "hub.example"}',
        }
    )
    login = cookies.header("c", "v", "/user/alice/", False, None, env.cookie_options)
    assert login == (
        b"c=v; Path=/user/alice/; HttpOnly; SameSite=None; Domain=hub.example; "
        b"Max-Age=172800; Secure"  # SameSite=None needs Secure
    )
    gone = cookies.header("c", "", "/user/alice/", False, 0, env.cookie_options)
    assert b"Max-Age=0" in gone
    assert b"Domain=hub.example" in gone  # or the browser would keep the cookie
    # Without options: a session cookie on the prefix, as before.
    plain = cookies.header("c", "v", "/user/alice/", False, None, parse(BASE).cookie_options)
    assert plain == b"c=v; Path=/user/alice/; HttpOnly; SameSite=Lax"
    secure = parse({**BASE, "JUPYTERHUB_COOKIE_OPTIONS": '{"secure": true, "httponly": false}'})
    assert cookies.header("c", "v", "/", False, None, secure.cookie_options).endswith(b"; Secure")
    assert b"HttpOnly" in cookies.header("c", "v", "/", False, None, secure.cookie_options)


@pytest.mark.parametrize(
    "raw", ["[1]", "{not json", '{"samesite": "sometimes"}', '{"expires_days": "soon"}']
)
def test_wrong_cookie_options_are_named(raw: str) -> None:
    with pytest.raises(ConfigError, match="JUPYTERHUB_COOKIE_OPTIONS"):
        parse({**BASE, "JUPYTERHUB_COOKIE_OPTIONS": raw})


def test_internal_tls_and_user_config_flags() -> None:
    env = parse(
        {
            **BASE,
            "JUPYTERHUB_SSL_KEYFILE": "/certs/key.pem",
            "JUPYTERHUB_SSL_CERTFILE": "/certs/cert.pem",
            "JUPYTERHUB_SSL_CLIENT_CA": "/certs/ca.pem",
            "JUPYTERHUB_DISABLE_USER_CONFIG": "1",
        }
    )
    assert (env.ssl_keyfile, env.ssl_certfile, env.ssl_client_ca) == (
        "/certs/key.pem",
        "/certs/cert.pem",
        "/certs/ca.pem",
    )
    assert env.disable_user_config
    assert not parse({**BASE, "JUPYTERHUB_DISABLE_USER_CONFIG": "0"}).disable_user_config
    argv = server_argv(env)
    assert "--NotebookApp.certfile=/certs/cert.pem" in argv
    assert "--NotebookApp.client_ca=/certs/ca.pem" in argv
    with pytest.raises(ConfigError, match="JUPYTERHUB_SSL_KEYFILE"):
        parse({**BASE, "JUPYTERHUB_SSL_KEYFILE": "/certs/key.pem"})


def test_user_config_skips_the_home_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(home / ".jupyter"))
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", str(tmp_path / "operator"))
    every = config_files()
    assert home / ".jupyter" / "jupyter_notebook_config.py" in every
    assert tmp_path / "operator" / "jupyter_notebook_config.py" in every
    without = config_files(user_config=False)
    assert not [p for p in without if p.is_relative_to(home)]
    assert tmp_path / "operator" / "jupyter_notebook_config.py" in without
