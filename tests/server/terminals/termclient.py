"""A terminado-protocol websocket client for tests: sends keys, waits for screen text."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from websockets.sync.client import ClientConnection, connect

from tests.server.conftest import RunningServer
from tests.support.wsclose import close_reading


def terminal_url(server: RunningServer, name: str) -> str:
    return server.url.replace("http", "ws", 1) + f"terminals/websocket/{name}"


class TermSocket:
    """One terminal websocket; `output` is everything the server sent as stdout."""

    def __init__(self, server: RunningServer, name: str, **kwargs: Any) -> None:
        headers = kwargs.pop("additional_headers", server.auth_headers)
        self.ws: ClientConnection = connect(
            terminal_url(server, name), additional_headers=headers, **kwargs
        ).__enter__()  # websockets >= 17.1 wants the context-manager protocol
        self.output = ""
        self.messages: list[list[Any]] = []

    def __enter__(self) -> TermSocket:
        return self

    def __exit__(self, *exc: object) -> None:
        close_reading(self.ws)

    def send(self, *message: Any) -> None:
        self.ws.send(json.dumps(list(message)))

    def type(self, text: str) -> None:
        self.send("stdin", text)

    def _receive(self, timeout: float) -> None:
        message = json.loads(self.ws.recv(timeout=timeout))
        self.messages.append(message)
        if message[0] == "stdout":
            self.output += message[1]

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Read until `text` appears in the output; the output so far."""
        deadline = time.monotonic() + timeout
        while text not in self.output:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{text!r} never appeared; output was:\n{self.output}")
            self._receive(remaining)
        return self.output

    def wait_for_match(self, pattern: str, timeout: float = 15.0) -> re.Match[str]:
        """Read until the regular expression matches the output; the match."""
        deadline = time.monotonic() + timeout
        while (found := re.search(pattern, self.output)) is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{pattern!r} never matched; output was:\n{self.output}")
            self._receive(remaining)
        return found

    def wait_for_message(self, kind: str, timeout: float = 15.0) -> list[Any]:
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages:
                if message[0] == kind:
                    return message
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {kind!r} message; got {self.messages}")
            self._receive(remaining)
