"""ServerSettings: the immutable object the app and runner read, derived from the options.

Every declared option (options.py: the server's, the contents manager's, the kernel
manager's) is a field of the same name, default and Python type, unless it is listed
in NOT_SETTINGS (it becomes something else when resolved) or the class declares the
field itself (its resolved form has another type, or it is not an option at all).
The fields are added when the class is made, so a new option needs no line here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from traitlets import TraitType
from traitlets.config import Config, Configurable

from carnet.server.config.options import ContentsManager, MappingKernelManager, ServerOptions
from carnet.server.gateway.config import GatewayConfig

# Where a setting's value comes from: which section's instance (see load.LoadedConfig).
SECTIONS: dict[str, type[Configurable]] = {
    "app": ServerOptions,
    "contents": ContentsManager,
    "kernel_manager": MappingKernelManager,
}
# Options whose resolved value is a field of another name, or none at all.
NOT_SETTINGS = frozenset(
    {
        "notebook_dir",  # root_dir, with the command line's PATH
        "tornado_settings",  # its 'headers' merge into headers
        "websocket_compression_options",  # websocket_compression
        "allow_root",  # accepted, never used
    }
)
# Kept out of the repr, which may reach a log.
SECRETS = frozenset({"cookie_secret"})
_PYTHON_TYPES = {
    "Bool": bool,
    "Integer": int,
    "Int": int,
    "Float": float,
    "Unicode": str,
    "Bytes": bytes,
    "Dict": dict,
}


def option_traits() -> dict[str, tuple[str, TraitType[Any, Any]]]:
    """Every option that is a setting: name -> (the section it is read from, its trait)."""
    found: dict[str, tuple[str, TraitType[Any, Any]]] = {}
    for section, cls in SECTIONS.items():
        for name, trait in cls.class_traits(config=True).items():
            if name not in NOT_SETTINGS:
                found.setdefault(name, (section, trait))
    return found


def _with_option_fields(cls: type[Any]) -> type[Any]:
    """Add a field for each option the class does not declare (before @dataclass runs)."""
    annotations: dict[str, Any] = cls.__annotations__  # the class's own: it declares some
    for name, (_, trait) in option_traits().items():
        if name in annotations:
            continue
        # A KeyError here: declare the option's field in ServerSettings, with the type
        # its resolved value has (a List option's, say, as a tuple).
        python_type = _PYTHON_TYPES[type(trait).__name__]
        annotations[name] = python_type
        if python_type is dict:
            setattr(cls, name, field(default_factory=dict, repr=name not in SECRETS))
        else:  # the static default: a dynamic one (the port's) is resolved with the rest
            setattr(cls, name, field(default=trait.default_value, repr=name not in SECRETS))
    return cls


if TYPE_CHECKING:
    # What mypy sees of the option fields added at run time: the options' own types
    # (traitlets' typed descriptors), from the same declarations. It also shows the
    # few NOT_SETTINGS, which the settings lack.
    class _OptionFields(ServerOptions, MappingKernelManager, ContentsManager):
        pass
else:
    _OptionFields = object


@dataclass(frozen=True)
@_with_option_fields
class ServerSettings(_OptionFields):
    """Everything the server needs to know, resolved and checked.

    Declared here: the fields without a default, what is not an option, and options
    resolved to another type. The other option fields come from options.py."""

    root_dir: Path
    token: str
    token_generated: bool = False
    # Resolved to another type than the option's (mypy sees the option's).
    sock_mode: int = 0o600  # type: ignore[assignment]  # the octal string as a number
    local_hostnames: tuple[str, ...] = ("localhost",)  # type: ignore[assignment]  # immutable
    websocket_compression: bool = False
    # Gateway mode: where kernels and kernelspecs live (None: local kernels).
    gateway: GatewayConfig | None = None
    # The whole traitlets config, as read: for the record (nothing reads options from it).
    config: Config = field(default_factory=Config, compare=False, repr=False)

    @property
    def secure(self) -> bool:
        """Whether the server speaks TLS."""
        return bool(self.certfile)

    @property
    def auth_enabled(self) -> bool:
        """False only when both token and password are explicitly empty."""
        return bool(self.token or self.password)

    def with_changes(self, **changes: Any) -> ServerSettings:
        """A copy with some fields replaced (the runner records the port it got)."""
        return replace(self, **changes)


def configured_values(instances: dict[str, Configurable]) -> dict[str, Any]:
    """Each option field's configured value, read from its section's instance."""
    names = {f.name for f in fields(ServerSettings)}
    values: dict[str, Any] = {}
    for name, (section, _) in option_traits().items():
        if name in names:
            value = getattr(instances[section], name)
            values[name] = tuple(value) if isinstance(value, list) else value
    return values
