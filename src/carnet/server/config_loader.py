"""Load and check `carnet notebook`'s configuration: files, then the command line.

Precedence, lowest first: config files along the Jupyter config path (the most
general directory first, the user's last), in each directory the .py file then the
.json one, then `--config FILE`, then the command line. Within each of those two
layers (files, command line) the `NotebookApp` section wins over `ServerApp`, which
wins over `MappingKernelManager` for the culling options.

Every option of a section Carnet knows is checked before use: an unknown option, a
value of the wrong type or a broken file raises ConfigError with a one-line message
naming the file and the option. Sections Carnet does not know are kept untouched
for other components.
"""

from __future__ import annotations

import re
import traceback
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from traitlets import TraitError
from traitlets.config import Config, Configurable
from traitlets.config.loader import ConfigError as TraitletsConfigError
from traitlets.config.loader import (
    DeferredConfig,
    JSONFileConfigLoader,
    KVArgParseConfigLoader,
    LazyConfigValue,
    PyFileConfigLoader,
)

from carnet import paths
from carnet.errors import ConfigError
from carnet.server import compat
from carnet.server.config import CONFIG_FILE_NAME, NotebookApp
from carnet.server.options import FileContentsManager, MappingKernelManager, TerminalManager

COMMAND_LINE = "command line"
_CULL_OPTIONS = ("cull_idle_timeout", "cull_interval", "cull_connected", "cull_busy")
_SECTION_CLASSES: dict[str, type[Configurable]] = {
    "Application": NotebookApp,
    "NotebookApp": NotebookApp,
    "ServerApp": NotebookApp,
    "ContentsManager": FileContentsManager,
    "FileContentsManager": FileContentsManager,
    "MappingKernelManager": MappingKernelManager,
    "TerminalManager": TerminalManager,
}
_RENAMED = {("ServerApp", "root_dir"): "notebook_dir"}


@dataclass
class LoadedConfig:
    """The configured application, what was read, and what deserves a warning."""

    app: NotebookApp
    config: Config
    extra_args: list[str]
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def config_files(extra: str = "") -> list[Path]:
    """Candidate config files in loading order (later ones win), existing or not."""
    found: list[Path] = []
    for directory in reversed(paths.config_path()):
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
        raise ConfigError(f"{COMMAND_LINE}: {_one_line(exc)}") from None
    return config, list(loader.extra_args)


def load(argv: list[str]) -> LoadedConfig:
    """Parse argv and the config files into a configured NotebookApp, or raise ConfigError."""
    with warnings.catch_warnings():
        # `--NotebookApp.headers={...}` is how Jupyter users write dicts; traitlets
        # deprecates the form but still parses it, and so do we, quietly.
        warnings.filterwarnings("ignore", "--.*for dict-traits is deprecated", DeprecationWarning)
        return _load(argv)


def _load(argv: list[str]) -> LoadedConfig:
    cli, extra_args = parse_command_line(argv)
    warnings: list[str] = []
    _check(cli, COMMAND_LINE, warnings)
    extra_file = _string_option(cli, "config_file")
    files_config = Config()
    loaded: list[Path] = []
    for path in config_files(extra_file):
        if not path.is_file():
            if extra_file and path == config_files(extra_file)[-1]:
                raise ConfigError(f"{path}: config file not found (from --config)")
            continue
        file_config = _read_file(path)
        _check(file_config, str(path), warnings)
        files_config.merge(file_config)
        loaded.append(path)
    final = _combine(files_config, cli)
    try:
        app = NotebookApp(config=final)
    except (TraitError, ValueError, TypeError) as exc:  # checked above; a last resort
        raise ConfigError(f"configuration: {_one_line(exc)}") from None
    return LoadedConfig(app, final, extra_args, loaded, warnings)


def _string_option(cli: Config, name: str) -> str:
    for section in ("NotebookApp", "ServerApp"):
        if section in cli and name in cli[section]:
            value = cli[section][name]
            return str(value)  # a DeferredConfigString is a str
    return ""


def _read_file(path: Path) -> Config:
    loader_class = JSONFileConfigLoader if path.suffix == ".json" else PyFileConfigLoader
    loader = loader_class(path.name, path=str(path.parent))
    try:
        config: Config = loader.load_config()
    except SyntaxError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: syntax error: {exc.msg}") from None
    except ValueError as exc:  # JSONDecodeError is a ValueError
        raise ConfigError(f"{path}: invalid config: {_one_line(exc)}") from None
    except Exception as exc:
        raise ConfigError(f"{path}:{_failing_line(exc, path)}: {_describe(exc)}") from None
    return config


def _failing_line(exc: BaseException, path: Path) -> str:
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__) if f.filename == str(path)]
    return str(lines[-1]) if lines else "?"


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {_one_line(exc)}"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    # "The 'port' trait of a NotebookApp instance expected an int, ..." -> "expected an int, ..."
    return re.sub(r"^The '\w+' trait of an? \w+ instance ", "", text) or type(exc).__name__


def _check(config: Config, origin: str, warnings: list[str]) -> None:
    """Raise ConfigError for the first unknown option or bad value of a known section."""
    dummies: dict[type[Configurable], Configurable] = {}
    for section, values in config.items():
        if not isinstance(values, dict):
            raise ConfigError(
                f"{origin}: unknown option {section!r} (options are set as "
                f"c.NotebookApp.{section} = ...)"
            )
        cls = _SECTION_CLASSES.get(section)
        if cls is None:
            continue
        traits = cls.class_traits(config=True)
        if section == "Application":
            traits = {k: v for k, v in traits.items() if k.startswith("log")}
        for key, raw in values.items():
            name = _RENAMED.get((section, str(key)), str(key))
            if compat.is_ignored(section, name):
                warnings.append(f"{origin}: {section}.{key} is not used by Carnet; ignored")
                continue
            if name not in traits:
                raise ConfigError(f"{origin}: unknown option {section}.{key}")
            dummy = dummies.setdefault(cls, cls())
            _validate(dummy, traits[name], name, raw, f"{origin}: {section}.{key}")


def _validate(dummy: Configurable, trait: Any, name: str, raw: Any, where: str) -> None:
    try:
        value = raw
        if isinstance(value, DeferredConfig):
            value = value.get_value(trait)
        if isinstance(value, LazyConfigValue):
            value = value.get_value(getattr(dummy, name))
        trait._validate(dummy, value)
    except (TraitError, ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: {_one_line(exc)}") from None


def _server_section(layer: Config) -> dict[str, Any]:
    """One layer's effective NotebookApp options: NotebookApp > ServerApp > kernel manager."""
    merged: dict[str, Any] = {}
    kernel_manager = layer.get("MappingKernelManager", {})
    merged.update({k: v for k, v in kernel_manager.items() if k in _CULL_OPTIONS})
    for section in ("ServerApp", "NotebookApp"):
        for key, value in layer.get(section, {}).items():
            name = _RENAMED.get((section, str(key)), str(key))
            if not compat.is_ignored(section, name):
                merged[name] = value
    return merged


def _combine(files: Config, cli: Config) -> Config:
    everything = Config()
    everything.merge(files)
    everything.merge(cli)
    server = _server_section(files)
    server.update(_server_section(cli))
    final = Config({k: v for k, v in everything.items() if k not in ("NotebookApp", "ServerApp")})
    final["NotebookApp"] = Config(server)
    for section in ("ContentsManager", "FileContentsManager"):
        if section in final:
            final[section] = Config(_without_ignored(section, final[section].items()))
    return final


def _without_ignored(section: str, items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    return {k: v for k, v in items if not compat.is_ignored(section, k)}
