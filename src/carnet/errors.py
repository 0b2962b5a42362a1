"""Every error Carnet raises on purpose, in one tree.

    CarnetError
    ├── ProtocolError                  a message that cannot be trusted or parsed
    │   ├── MalformedMessage           wrong frame count, bad JSON, missing fields
    │   ├── InvalidSignature           HMAC missing or wrong
    │   └── ReplayedMessage            a signature seen before
    ├── ConnectionFileError            a connection file cannot be read or written
    │   └── KernelNotFound             no (or more than one) kernel matches a lookup
    ├── KernelSpecError                a kernelspec is missing or invalid
    ├── KernelError                    talking to a kernel process failed
    │   ├── KernelStartError           the process did not start or never answered
    │   ├── KernelTimeout              a request got no reply in time
    │   └── KernelDied                 the process exited while we waited on it
    ├── ConfigError                    a bad configuration file or option
    │   ├── BadConfigSection           an nbconfig section name that is not [A-Za-z0-9_-]+
    │   └── CorruptConfigFile          an nbconfig file that is not a JSON object
    ├── ContentsError                  a contents request that cannot be served (has a reason)
    │   ├── ContentsNotFound           no such file or directory, or a hidden one
    │   ├── ContentsForbidden          a path that leaves the root directory
    │   ├── ContentsConflict           the target exists, or changed on disk since it was read
    │   ├── InvalidContents            a malformed path, model, type, format or notebook
    │   └── ContentsWriteError         the disk refused a write; the old file is left intact
    ├── TerminalError                  a terminal cannot be started or used
    │   ├── TerminalNotFound           no terminal of that name
    │   └── TerminalsDisabled          terminals_enabled is False
    ├── ExportError                    a notebook cannot be converted (has a reason)
    │   └── UnknownExportFormat        no exporter of that name
    └── GatewayError                   the kernel gateway answered with an error
        ├── GatewayUnreachable         no answer from the gateway (refused, reset, timed out)
        └── NotWithGateway             a feature that needs local kernels, in gateway mode

Remote faults (what a peer sent) are ProtocolError; local faults are the others.
Callers at I/O boundaries log and drop ProtocolError instead of crashing.
"""

from __future__ import annotations


class CarnetError(Exception):
    """Base of every error Carnet raises on purpose."""


class ProtocolError(CarnetError):
    """A message from a peer cannot be trusted or parsed."""


class MalformedMessage(ProtocolError):
    """Frames that do not form a Jupyter message."""


class InvalidSignature(ProtocolError):
    """A message whose HMAC signature is missing or does not match."""


class ReplayedMessage(ProtocolError):
    """A message whose signature was already seen: a replay."""


class ConnectionFileError(CarnetError):
    """A connection file cannot be read, parsed or written."""


class KernelNotFound(ConnectionFileError):
    """No kernel, or more than one, matches a lookup; the message lists candidates."""

    def __init__(self, message: str, candidates: list[str] | None = None) -> None:
        super().__init__(message)
        self.candidates = candidates or []


class KernelSpecError(CarnetError):
    """A kernelspec is missing or invalid."""


class KernelError(CarnetError):
    """Talking to a kernel process failed."""


class KernelStartError(KernelError):
    """The kernel process failed to start or never answered kernel_info."""


class KernelTimeout(KernelError):
    """A request to the kernel got no reply in time."""


class KernelDied(KernelError):
    """The kernel process exited while we were waiting on it."""


class ConfigError(CarnetError):
    """A bad configuration file or option; the message names the file and the option."""


class BadConfigSection(ConfigError):
    """A front-end config section name that could leave nbconfig/ (not [A-Za-z0-9_-]+)."""


class CorruptConfigFile(ConfigError):
    """A front-end config file that cannot be read as a JSON object; the message names it."""


class ContentsError(CarnetError):
    """A contents request that cannot be served; `reason` is a short machine-readable tag."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ContentsNotFound(ContentsError):
    """No such file or directory, or a hidden one (which must look absent)."""


class ContentsForbidden(ContentsError):
    """A path that leaves the root directory (`..`, or a symlink pointing outside)."""


class ContentsConflict(ContentsError):
    """The target already exists, or the file changed on disk since the client read it."""


class InvalidContents(ContentsError):
    """A malformed path, model, type, format, or an unreadable notebook."""


class ContentsWriteError(ContentsError):
    """The disk refused a write (full, read-only, too large); the previous file is intact."""


class TerminalError(CarnetError):
    """A terminal cannot be started or used (terminals disabled, the shell failed to start)."""


class TerminalNotFound(TerminalError):
    """No terminal of that name (never created, shut down, or its shell exited)."""


class TerminalsDisabled(TerminalError):
    """The server was configured without terminals (terminals_enabled = False)."""


class ExportError(CarnetError):
    """A notebook cannot be converted; `reason` is a short machine-readable tag."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class UnknownExportFormat(ExportError):
    """No exporter of that name."""


class GatewayError(CarnetError):
    """The kernel gateway answered a request with an error (its status is kept)."""

    def __init__(self, message: str, status: int = 502) -> None:
        super().__init__(message)
        self.status = status


class GatewayUnreachable(GatewayError):
    """No answer from the kernel gateway: refused, reset, or past the timeout."""

    def __init__(self, message: str, timed_out: bool = False) -> None:
        super().__init__(message, 504 if timed_out else 503)
        self.timed_out = timed_out


class NotWithGateway(GatewayError):
    """A server-side feature that needs local kernels, asked for in gateway mode."""

    def __init__(self, message: str) -> None:
        super().__init__(message, 501)
