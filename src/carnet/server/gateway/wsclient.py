"""Websocket connections to the gateway, through the websockets library's asyncio client,
reduced here to connect(), subprotocol(), and two errors: Refused (the gateway answered
the handshake with an HTTP status) and Unreachable (no handshake at all).
"""

from __future__ import annotations

import ssl
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidHandshake

__all__ = ["ConnectionClosed", "Refused", "Unreachable", "connect", "subprotocol"]


class Unreachable(Exception):
    """No websocket handshake with the gateway (refused, reset, timed out)."""


class Refused(Unreachable):
    """The gateway answered the handshake with an HTTP error status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _status(exc: BaseException) -> int | None:
    response = getattr(exc, "response", None)  # InvalidStatus
    status = getattr(response, "status_code", None)
    return int(status) if status else None


async def connect(
    url: str,
    *,
    headers: dict[str, str],
    subprotocols: list[str],
    ssl_context: ssl.SSLContext | None,
    timeout: float,
) -> Any:
    options: dict[str, Any] = {
        "subprotocols": subprotocols or None,
        "open_timeout": timeout,
        "max_size": None,  # kernel messages are as big as their outputs
        "compression": None,
    }
    if ssl_context is not None:
        options["ssl"] = ssl_context
    from websockets.asyncio.client import connect as open_websocket

    try:
        return await open_websocket(url, additional_headers=headers, **options)
    except InvalidHandshake as exc:
        status = _status(exc)
        if status is not None:
            raise Refused(f"the gateway answered HTTP {status}", status) from None
        raise Unreachable(str(exc) or type(exc).__name__) from None
    except (OSError, TimeoutError) as exc:
        raise Unreachable(str(exc) or type(exc).__name__) from None


def subprotocol(connection: Any) -> str | None:
    value = getattr(connection, "subprotocol", None)
    return str(value) if value else None
