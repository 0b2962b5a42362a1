"""From the configured options to ServerSettings, checking what only makes sense as a whole.

`resolve(loaded)` takes the configured options (plus the command line's PATH): the
served directory exists, TLS files exist and load, the token is chosen (configured,
from the environment, or generated), authentication is not off by accident. Every
option goes into the settings as configured, except the few resolved here.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path
from typing import Any

from carnet.errors import ConfigError
from carnet.server.config.load import LoadedConfig, load
from carnet.server.config.options import GENERATED_TOKEN
from carnet.server.config.settings import ServerSettings, configured_values
from carnet.server.gateway.config import gateway_config


def settings_from_argv(argv: list[str]) -> ServerSettings:
    """Parse a `carnet notebook` command line and the config files into settings."""
    return resolve(load(argv))


def resolve(loaded: LoadedConfig) -> ServerSettings:
    """Check and resolve a loaded configuration, or raise ConfigError."""
    app = loaded.app
    root_dir, file_to_run = _served_paths(app.notebook_dir, loaded.extra_args, app.file_to_run)
    token, generated = _choose_token(app.token, app.password)
    for name in ("certfile", "keyfile", "client_ca"):
        value = getattr(app, name)
        if value and not Path(value).expanduser().is_file():
            raise ConfigError(f"NotebookApp.{name}: no such file: {value}")
    if app.keyfile and not app.certfile:
        raise ConfigError("NotebookApp.keyfile is set but NotebookApp.certfile is not")
    if app.certfile:
        _check_tls(_expand(app.certfile), _expand(app.keyfile), _expand(app.client_ca))
    if app.password_required and not app.password:
        raise ConfigError("NotebookApp.password_required is set but no password is configured")
    _check_authentication(app, token)
    values = configured_values(
        {"app": app, "contents": loaded.contents, "kernel_manager": loaded.kernel_manager}
    )
    values.update(
        root_dir=root_dir,
        token=token,
        token_generated=generated,
        ip="" if app.ip == "*" else app.ip,
        sock_mode=_octal(app.sock_mode),
        base_url=_normalize_base_url(app.base_url),
        file_to_run=file_to_run,
        certfile=_expand(app.certfile),
        keyfile=_expand(app.keyfile),
        client_ca=_expand(app.client_ca),
        cookie_secret_file=_expand(app.cookie_secret_file),
        headers=_headers(app.tornado_settings, app.headers),
        websocket_compression=app.websocket_compression_options is not None,
        config=loaded.config,
        gateway=gateway_config(loaded.gateway),
    )
    return ServerSettings(**values)


def _check_authentication(app: Any, token: str) -> None:
    """Password hashes must be checkable; no unauthenticated server on the network by accident."""
    from carnet.server.auth.hosts import listens_on_loopback_only
    from carnet.server.auth.passwords import check_hash

    check_hash(app.password)
    try:
        re.compile(app.allow_origin_pat)
    except re.error as exc:
        message = f"NotebookApp.allow_origin_pat: not a regular expression: {exc}"
        raise ConfigError(message) from None
    try:
        check_hash(app.read_only_password)
    except ConfigError as exc:
        raise ConfigError(str(exc).replace(".password:", ".read_only_password:")) from None
    if token or app.password or app.sock or app.allow_unauthenticated_remote_access:
        return
    if not listens_on_loopback_only("" if app.ip == "*" else app.ip):
        raise ConfigError(
            f"NotebookApp.ip={app.ip!r} with authentication disabled (token and password "
            "both '') would let anyone on the network run code; listen on localhost, set a "
            "token or password, or set NotebookApp.allow_unauthenticated_remote_access=True"
        )


def _expand(value: str) -> str:
    return str(Path(value).expanduser().absolute()) if value else ""


def _check_tls(certfile: str, keyfile: str, client_ca: str) -> None:
    """Load the TLS files now, so a bad one is a clear error rather than a failed start."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(certfile, keyfile or None)
    except (ssl.SSLError, OSError) as exc:
        files = f"{certfile}" + (f" with key {keyfile}" if keyfile else "")
        reason = getattr(exc, "reason", None) or exc.strerror or str(exc)
        if "PEM lib" in str(exc):  # OpenSSL's unhelpful word for "not PEM, or no key"
            reason = "not a PEM certificate and private key (is --keyfile needed?)"
        raise ConfigError(f"NotebookApp.certfile/keyfile: cannot load {files}: {reason}") from None
    if client_ca:
        try:
            context.load_verify_locations(client_ca)
        except (ssl.SSLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc.strerror or str(exc)
            raise ConfigError(f"NotebookApp.client_ca: cannot load {client_ca}: {reason}") from None


def _served_paths(notebook_dir: str, extra_args: list[str], file_to_run: str) -> tuple[Path, str]:
    """The directory to serve and the notebook to open (relative to it), from PATH or config."""
    if len(extra_args) > 1:
        raise ConfigError(f"expected at most one PATH, got {len(extra_args)}: {extra_args}")
    target = Path(extra_args[0]) if extra_args else None
    if target is None and file_to_run:
        target = Path(file_to_run)
    root = Path(notebook_dir).expanduser() if notebook_dir else Path.cwd()
    to_open = ""
    if target is not None:
        target = target.expanduser().absolute()
        if target.is_dir():
            root = target
        elif target.is_file():
            if notebook_dir and target.is_relative_to(root.absolute()):
                to_open = target.relative_to(root.absolute()).as_posix()
            else:
                root, to_open = target.parent, target.name
        else:
            raise ConfigError(f"PATH: no such file or directory: {target}")
    root = root.absolute()
    if not root.is_dir():
        raise ConfigError(f"NotebookApp.notebook_dir: no such directory: {root}")
    return root.resolve(), to_open


def _choose_token(configured: str, password: str) -> tuple[str, bool]:
    """(token, whether it was generated): configured, JUPYTER_TOKEN(_FILE), or random."""
    if configured != GENERATED_TOKEN:
        return configured, False
    if "JUPYTER_TOKEN" in os.environ:
        return os.environ["JUPYTER_TOKEN"], False
    token_file = os.environ.get("JUPYTER_TOKEN_FILE", "")
    if token_file:
        try:
            return Path(token_file).read_text().strip(), False
        except OSError as exc:
            raise ConfigError(f"JUPYTER_TOKEN_FILE: cannot read {token_file}: {exc}") from None
    if password:
        return "", False  # as in Jupyter: with a password, no token unless one is configured
    return secrets.token_hex(24), True


def _normalize_base_url(value: str) -> str:
    return "/" + value.strip("/") + "/" if value.strip("/") else "/"


def _octal(value: str) -> int:
    try:
        mode = int(value, 8)
    except ValueError:
        raise ConfigError(f"NotebookApp.sock_mode: not an octal mode: {value!r}") from None
    if not 0 <= mode <= 0o777:
        raise ConfigError(f"NotebookApp.sock_mode: not a file mode: {value!r}")
    return mode


def _headers(tornado_settings: dict[str, Any], headers: dict[str, Any]) -> dict[str, str]:
    """tornado_settings['headers'] then the native headers option, which wins."""
    merged: dict[str, str] = {}
    for origin, source in (
        ("NotebookApp.tornado_settings['headers']", tornado_settings.get("headers", {})),
        ("NotebookApp.headers", headers),
    ):
        if not isinstance(source, dict):
            raise ConfigError(f"{origin}: expected a dict of header names to values")
        for name, value in source.items():
            if not isinstance(name, str) or not isinstance(value, str | int | float):
                raise ConfigError(f"{origin}: header {name!r} must map a name to a string")
            if "\n" in str(value) or "\r" in str(value) or "\n" in name or "\r" in name:
                raise ConfigError(f"{origin}: header {name!r} contains a line break")
            merged[name] = str(value)
    return merged
