"""Where Jupyter keeps things, resolved the way Jupyter does, so tools share files.

Carnet and Jupyter must agree on these directories: a kernel started by one is
found by the other through its connection file in the runtime directory, and
kernelspecs and config files are looked up along the same search paths.
"""

from __future__ import annotations

import os
import site
import sys
from pathlib import Path

SYSTEM_DATA_PATHS = ("/usr/local/share/jupyter", "/usr/share/jupyter")
SYSTEM_CONFIG_PATHS = ("/usr/local/etc/jupyter", "/etc/jupyter")


def _home() -> Path:
    return Path(os.path.expanduser("~"))


def _env_path(name: str) -> list[Path]:
    value = os.environ.get(name, "")
    return [Path(p).expanduser() for p in value.split(os.pathsep) if p]


def _truthy(value: str) -> bool:
    return value.lower() not in {"", "0", "false", "no", "off", "n"}


def _prefer_env_path() -> bool:
    """Whether sys.prefix's directories come before the user's, as in jupyter_core."""
    value = os.environ.get("JUPYTER_PREFER_ENV_PATH")
    if value is not None:
        return _truthy(value)
    in_venv = sys.prefix != sys.base_prefix
    in_conda = bool(os.environ.get("CONDA_PREFIX")) and sys.prefix == os.environ["CONDA_PREFIX"]
    return in_venv or in_conda


def data_dir() -> Path:
    """The user's Jupyter data directory (kernelspecs, nbsignatures.db, runtime)."""
    explicit = os.environ.get("JUPYTER_DATA_DIR")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg).expanduser() if xdg else _home() / ".local" / "share"
    return base / "jupyter"


def runtime_dir() -> Path:
    """Where connection files and server info files live."""
    explicit = os.environ.get("JUPYTER_RUNTIME_DIR")
    if explicit:
        return Path(explicit).expanduser()
    return data_dir() / "runtime"


def config_dir() -> Path:
    """The user's Jupyter config directory (jupyter_notebook_config.*, custom/)."""
    explicit = os.environ.get("JUPYTER_CONFIG_DIR")
    if explicit:
        return Path(explicit).expanduser()
    return _home() / ".jupyter"


def _user_site_base() -> Path | None:
    # Only where Python itself uses the user site: not in a venv or under `python -s`.
    if not site.ENABLE_USER_SITE:
        return None
    base = site.getuserbase()
    return Path(base) if base else None


def _dedupe(paths: list[Path]) -> list[Path]:
    seen: set[Path] = set()
    out: list[Path] = []
    for p in paths:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


def jupyter_path(*subdirs: str) -> list[Path]:
    """The data search path, most specific first: JUPYTER_PATH, user, env, system."""
    user = [data_dir()]
    user_base = _user_site_base()
    if user_base is not None:
        user.append(user_base / "share" / "jupyter")
    env = [Path(sys.prefix) / "share" / "jupyter"]
    ordered = env + user if _prefer_env_path() else user + env
    paths = _env_path("JUPYTER_PATH") + ordered + [Path(p) for p in SYSTEM_DATA_PATHS]
    return [p.joinpath(*subdirs) for p in _dedupe(paths)]


def config_path() -> list[Path]:
    """The config search path, most specific first (later entries are overridden)."""
    user = [config_dir()]
    user_base = _user_site_base()
    if user_base is not None:
        user.append(user_base / "etc" / "jupyter")
    env = [Path(sys.prefix) / "etc" / "jupyter"]
    ordered = env + user if _prefer_env_path() else user + env
    paths = _env_path("JUPYTER_CONFIG_PATH") + ordered + [Path(p) for p in SYSTEM_CONFIG_PATHS]
    return _dedupe(paths)


def ensure_private_dir(path: Path) -> Path:
    """Create a directory only the user can enter (connection files hold keys)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
