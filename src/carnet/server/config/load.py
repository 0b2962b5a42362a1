"""Check and merge the raw configuration into configured option instances.

Precedence, lowest first: the config files (see sources), then the command line.
Within each of those two layers the `NotebookApp` section wins over `ServerApp`,
which wins over `MappingKernelManager` for the culling options.

Every option of a section Carnet knows is checked before use: an unknown option, a
value of the wrong type or a broken file raises ConfigError with a one-line message
naming the file and the option. Sections Carnet does not know are kept untouched
for other components. The configured instances are built here, once: nothing after
this reads the raw config.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from traitlets import TraitError
from traitlets.config import Config, Configurable
from traitlets.config.loader import DeferredConfig, LazyConfigValue

from carnet.errors import ConfigError
from carnet.server.config import compat
from carnet.server.config.application import NotebookApp
from carnet.server.config.options import (
    FileContentsManager,
    MappingKernelManager,
    ServerOptions,
    TerminalManager,
)
from carnet.server.config.sources import (
    COMMAND_LINE,
    config_files,
    one_line,
    parse_command_line,
    read_file,
)
from carnet.server.gateway.options import GatewayClient

# The kernel manager's options the server section also declares (culling).
_SHARED_WITH_KERNEL_MANAGER = frozenset(MappingKernelManager.class_traits(config=True)) & set(
    ServerOptions.class_traits(config=True)
)
_SERVER_TRAITS = frozenset(NotebookApp.class_traits(config=True))
_SECTION_CLASSES: dict[str, type[Configurable]] = {
    "Application": NotebookApp,
    "NotebookApp": NotebookApp,
    "ServerApp": NotebookApp,
    "ContentsManager": FileContentsManager,
    "FileContentsManager": FileContentsManager,
    "MappingKernelManager": MappingKernelManager,
    "TerminalManager": TerminalManager,
    "GatewayClient": GatewayClient,
}


@dataclass
class LoadedConfig:
    """The configured options (one instance per section class), what was read, and what
    deserves a warning."""

    app: NotebookApp
    contents: FileContentsManager
    kernel_manager: MappingKernelManager
    config: Config
    extra_args: list[str]
    gateway: GatewayClient = field(default_factory=GatewayClient)
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load(argv: list[str], user_config: bool = True) -> LoadedConfig:
    """Parse argv and the config files into configured options, or raise ConfigError.

    `user_config=False`: skip the config directories under the user's home."""
    with warnings.catch_warnings():
        # `--NotebookApp.headers={...}` is how Jupyter users write dicts; traitlets
        # deprecates the form but still parses it, and so do we, quietly. (Its category is
        # FutureWarning before traitlets 5.10, DeprecationWarning after.)
        warnings.filterwarnings("ignore", "--.*for dict-traits is deprecated")
        return _load(argv, user_config)


def _load(argv: list[str], user_config: bool) -> LoadedConfig:
    cli, extra_args = parse_command_line(argv)
    warnings: list[str] = []
    _check(cli, COMMAND_LINE, warnings)
    extra_file = _string_option(cli, "config_file")
    files_config = Config()
    loaded: list[Path] = []
    candidates = config_files(extra_file, user_config)
    for path in candidates:
        if not path.is_file():
            if extra_file and path == candidates[-1]:
                raise ConfigError(f"{path}: config file not found (from --config)")
            continue
        file_config = read_file(path)
        _check(file_config, str(path), warnings)
        files_config.merge(file_config)
        loaded.append(path)
    final = _combine(files_config, cli)
    try:
        app = NotebookApp(config=final)
        contents = FileContentsManager(config=final)
        kernel_manager = MappingKernelManager(config=final)
        gateway = GatewayClient(config=final)
    except (TraitError, ValueError, TypeError) as exc:  # checked above; a last resort
        raise ConfigError(f"configuration: {one_line(exc)}") from None
    ours = compat.carnet_url(app.default_url)
    if ours != app.default_url:
        warnings.append(f"default_url {app.default_url} is another Jupyter UI's; using {ours}")
        app.default_url = ours
    return LoadedConfig(app, contents, kernel_manager, final, extra_args, gateway, loaded, warnings)


def _string_option(cli: Config, name: str) -> str:
    for section in ("NotebookApp", "ServerApp"):
        if section in cli and name in cli[section]:
            value = cli[section][name]
            return str(value)  # a DeferredConfigString is a str
    return ""


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
            name = compat.renamed(section, str(key))
            if compat.is_ignored(section, name):
                warnings.append(f"{origin}: {section}.{key} is not used by Carnet; ignored")
                continue
            if name not in traits and section == "ServerApp":
                # Jupyter Server has many options Carnet has no use for, and launchers
                # (BinderHub, repo2docker) pass them: a warning, not a failed start.
                warnings.append(f"{origin}: {section}.{key} is not a Carnet option; ignored")
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
        raise ConfigError(f"{where}: {one_line(exc)}") from None


def _server_section(layer: Config) -> dict[str, Any]:
    """One layer's effective NotebookApp options: NotebookApp > ServerApp > kernel manager."""
    merged: dict[str, Any] = {}
    kernel_manager = layer.get("MappingKernelManager", {})
    merged.update({k: v for k, v in kernel_manager.items() if k in _SHARED_WITH_KERNEL_MANAGER})
    for section in ("ServerApp", "NotebookApp"):
        for key, value in layer.get(section, {}).items():
            name = compat.renamed(section, str(key))
            if not compat.is_ignored(section, name) and name in _SERVER_TRAITS:
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
    for section in ("ContentsManager", "FileContentsManager", "GatewayClient"):
        if section in final:
            final[section] = Config(_without_ignored(section, final[section].items()))
    return final


def _without_ignored(section: str, items: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    return {k: v for k, v in items if not compat.is_ignored(section, k)}
