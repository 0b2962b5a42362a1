"""`NotebookApp`: the traitlets Application behind `carnet notebook`.

It carries every server option (from ServerOptions), the command-line aliases and
flags Jupyter users type, the logging set-up and the help. Reading config files is
sources' job, merging the NotebookApp and ServerApp sections load's.
"""

from __future__ import annotations

from typing import Any

from traitlets import Bool, Unicode, default
from traitlets.config import Application

from carnet import __version__
from carnet.server import logs
from carnet.server.config.generate import help_all_text
from carnet.server.config.options import (
    ContentsManager,
    FileContentsManager,
    MappingKernelManager,
    ServerOptions,
    TerminalManager,
)
from carnet.server.gateway.options import GatewayClient

ALIASES: dict[str, Any] = {
    "ip": "NotebookApp.ip",
    "port": "NotebookApp.port",
    "port-retries": "NotebookApp.port_retries",
    "sock": "NotebookApp.sock",
    "sock-mode": "NotebookApp.sock_mode",
    "notebook-dir": "NotebookApp.notebook_dir",
    "root-dir": "NotebookApp.notebook_dir",
    "base-url": "NotebookApp.base_url",
    "browser": "NotebookApp.browser",
    "certfile": "NotebookApp.certfile",
    "keyfile": "NotebookApp.keyfile",
    "client-ca": "NotebookApp.client_ca",
    "token": "NotebookApp.token",
    "config": "NotebookApp.config_file",
    "log-level": "Application.log_level",
    "gateway-url": "GatewayClient.url",
}

FLAGS: dict[str, Any] = {
    "no-browser": ({"NotebookApp": {"open_browser": False}}, "Do not open a browser at start."),
    "debug": ({"Application": {"log_level": 10}}, "Log at DEBUG level."),
    "allow-root": ({"NotebookApp": {"allow_root": True}}, "Accepted for compatibility."),
    "generate-config": (
        {"NotebookApp": {"generate_config": True}},
        "Write a default config file into the Jupyter config directory and exit.",
    ),
    "y": ({"NotebookApp": {"answer_yes": True}}, "Answer yes to any question (overwrites)."),
    "show-hidden": (
        {"ContentsManager": {"allow_hidden": True}},
        "Allow hidden files and directories to be read and written.",
    ),
}


class NotebookApp(Application, ServerOptions):
    """Carnet's notebook server: a drop-in for the classic Jupyter Notebook."""

    name = Unicode("carnet-notebook")
    version = Unicode(__version__)
    description = Unicode(
        "Serve notebooks from a directory: the Jupyter Notebook web application and "
        "REST API.\n\n`carnet notebook [PATH]` serves PATH (a directory, or a notebook's "
        "directory, opening that notebook). Subcommands: `carnet notebook list [--json]`, "
        "`carnet notebook stop [PORT]`."
    )
    examples = Unicode(
        "carnet notebook --no-browser --port=8890\n"
        "carnet notebook work/analysis.ipynb\n"
        "carnet notebook --NotebookApp.base_url=/lab/ --ip=*\n"
        "carnet notebook --generate-config -y"
    )
    aliases = ALIASES
    flags = FLAGS
    classes = [
        ContentsManager,
        FileContentsManager,
        MappingKernelManager,
        TerminalManager,
        GatewayClient,
    ]

    _log_formatter_cls = logs.LineFormatter

    config_file = Unicode("", config=True, help="Load this config file after the standard ones.")
    generate_config = Bool(False, config=True, help="Write a default config file and exit.")
    answer_yes = Bool(False, config=True, help="Answer yes to any question.")

    @default("log_level")
    def _default_log_level(self) -> int:
        return 20

    @default("log_format")
    def _default_log_format(self) -> str:
        return logs.DEFAULT_FORMAT

    @default("log_datefmt")
    def _default_log_datefmt(self) -> str:
        return logs.DEFAULT_DATEFMT

    def get_default_logging_config(self) -> dict[str, Any]:
        """Traitlets' logging set-up, extended to the web server's and Carnet's loggers."""
        config: dict[str, Any] = super().get_default_logging_config()
        handlers = config.get("handlers", {})
        if "console" not in handlers:
            return config
        config.setdefault("filters", {})["redact"] = {"()": logs.RedactSecrets}
        handlers["console"]["filters"] = ["redact"]
        # uvicorn's start/stop chatter stays out of Jupyter-style logs; its problems do not.
        levels = {logs.SERVER_LOGGER: "DEBUG", "carnet": "DEBUG", "uvicorn.error": "WARNING"}
        for name, level in levels.items():
            config["loggers"][name] = {"level": level, "handlers": ["console"], "propagate": False}
        return config

    def emit_help(self, classes: bool = False) -> Any:
        """Traitlets' help, with every option listed under the sections users write."""
        epilogue = list(self.emit_help_epilogue(False))
        for line in super().emit_help(False):
            if not (classes and line in epilogue):
                yield line
        if classes:
            yield from help_all_text(type(self))

    def emit_help_epilogue(self, classes: bool) -> Any:
        if not classes:
            yield "`--help-all` lists every option, `--Class.option=value` sets any of them."
            yield ""
