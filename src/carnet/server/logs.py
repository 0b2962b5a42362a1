"""Server logging: Jupyter's `[I 2026-01-01 12:00:00.000 NotebookApp] ...` lines, secrets redacted.

The traitlets Application configures logging from `c.Application.log_*`; this module
supplies its formatter and a filter that keeps tokens, passwords and cookies out of
every log line, including the web server's own loggers.
"""

from __future__ import annotations

import logging
import re

from traitlets.config.application import LevelFormatter

SERVER_LOGGER = "NotebookApp"
DEFAULT_FORMAT = (
    "%(color)s[%(levelname)1.1s %(asctime)s.%(msecs).03d %(name)s]%(end_color)s %(message)s"
)
DEFAULT_DATEFMT = "%Y-%m-%d %H:%M:%S"

# token=..., password=..., _xsrf=... in URLs, and secrets in headers or cookies.
_SECRET_PARAM = re.compile(r"(?i)\b(token|password|_xsrf|access_token)=[^&\s\"'#]*")
_SECRET_HEADER = re.compile(r"(?i)\b(authorization:\s*token|cookie:)\s*\S+")
REDACTED = "[secret]"
# `extra={SHOWS_SECRET: True}` marks the one deliberate exception: the startup URLs.
SHOWS_SECRET = "carnet_shows_secret"


def redact(text: str) -> str:
    """The text with every secret URL parameter and header value replaced."""
    text = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}={REDACTED}", text)
    return _SECRET_HEADER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)


def server_log() -> logging.Logger:
    """The logger the server writes its own lines to."""
    return logging.getLogger(SERVER_LOGGER)


class RedactSecrets(logging.Filter):
    """Rewrites a record's message so no secret reaches any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, SHOWS_SECRET, False):
            return True
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


class LineFormatter(LevelFormatter):
    """Accepts Jupyter's format fields (%(color)s, %(end_color)s) besides traitlets' ones.

    Colour codes are left empty: logs usually end up in files and terminals alike.
    """

    def format(self, record: logging.LogRecord) -> str:
        record.color = ""
        record.end_color = ""
        text: str = super().format(record)
        return text
