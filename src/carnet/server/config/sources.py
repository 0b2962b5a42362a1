"""Reading the raw configuration: config files and the command line, nothing checked yet.

The files, lowest precedence first: along the Jupyter config path (the most general
directory first, the user's last), in each directory the .py file then the .json
one, then `--config FILE`. A file that cannot be read raises ConfigError with one
line naming the file (and the line, for a Python file).
"""

from __future__ import annotations

import re
import traceback
from pathlib import Path

from traitlets import TraitError
from traitlets.config import Config
from traitlets.config.loader import ConfigError as TraitletsConfigError
from traitlets.config.loader import (
    JSONFileConfigLoader,
    KVArgParseConfigLoader,
    PyFileConfigLoader,
)

from carnet import paths
from carnet.errors import ConfigError
from carnet.server.config.application import NotebookApp
from carnet.server.config.options import CONFIG_FILE_NAME

COMMAND_LINE = "command line"


def config_files(extra: str = "", user_config: bool = True) -> list[Path]:
    """Candidate config files in loading order (later ones win), existing or not.

    Without `user_config` (JUPYTERHUB_DISABLE_USER_CONFIG), no directory under the
    user's home: the operator's settings cannot be overridden by the user's own files."""
    found: list[Path] = []
    home = Path.home()
    for directory in reversed(paths.config_path()):
        if not user_config and directory.absolute().is_relative_to(home):
            continue
        found += [directory / f"{CONFIG_FILE_NAME}.py", directory / f"{CONFIG_FILE_NAME}.json"]
    if extra:
        found.append(Path(extra).expanduser().absolute())
    return found


def parse_command_line(argv: list[str]) -> tuple[Config, list[str]]:
    """The config the command line sets, and its positional arguments."""
    probe = NotebookApp()
    flags, aliases = probe.flatten_flags()
    loader = KVArgParseConfigLoader(
        argv, aliases, flags, classes=list(probe._classes_with_config_traits())
    )
    try:
        config = loader.load_config()
    except (ValueError, TraitError, TraitletsConfigError) as exc:  # e.g. an option given twice
        raise ConfigError(f"{COMMAND_LINE}: {one_line(exc)}") from None
    return config, list(loader.extra_args)


def read_file(path: Path) -> Config:
    """One config file's contents (a .json file, or else a Python one)."""
    loader_class = JSONFileConfigLoader if path.suffix == ".json" else PyFileConfigLoader
    loader = loader_class(path.name, path=str(path.parent))
    try:
        config: Config = loader.load_config()
    except SyntaxError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except ValueError as exc:  # JSONDecodeError is a ValueError
        raise ConfigError(f"{path}: invalid config: {one_line(exc)}") from None
    except Exception as exc:
        raise ConfigError(f"{path}:{_failing_line(exc, path)}: {_describe(exc)}") from None
    return config


def _failing_line(exc: BaseException, path: Path) -> str:
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    return str(lines[-1]) if lines else "?"


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {one_line(exc)}"


def one_line(exc: BaseException) -> str:
    """An exception as one short line (traitlets' wording trimmed)."""
    text = " ".join(str(exc).split())
    # "The 'port' trait of a NotebookApp instance expected an int, ..." -> "expected an int, ..."
    return re.sub(r"^The '\w+' trait of an? \w+ instance ", "", text) or type(exc).__name__
