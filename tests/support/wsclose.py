"""Closing a test's websocket promptly, whatever it left unread."""

from __future__ import annotations

import threading

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection


def close_reading(ws: ClientConnection) -> None:
    """Close, reading what the server still sends until its close frame arrives.

    websockets 12's sync client holds one unread message and reads no further frame
    until it is taken: the server's close frame then waits behind it, and close()
    waits out its whole close_timeout (10 s) before dropping the connection.
    """

    def read_until_closed() -> None:
        try:
            while True:
                ws.recv()
        except (ConnectionClosed, TimeoutError):
            return

    reader = threading.Thread(target=read_until_closed, daemon=True)
    reader.start()
    ws.close()
    reader.join(ws.close_timeout or 10)
