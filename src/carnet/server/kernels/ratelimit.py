"""Jupyter's iopub rate limits, for users who configure them.

Off by default in Carnet: the kernel coalesces output and the page renders it
incrementally, so nothing needs dropping. When `iopub_data_rate_limit` or
`iopub_msg_rate_limit` is set, output beyond the rate over `rate_limit_window`
is withheld from that websocket, with one notice when it starts and one when
it ends, as in Jupyter. Status and comm messages always pass. Output is counted
in bytes of the message's content as the kernel encoded it (Jupyter counts the
bytes of the frames), so the limiter reads no message.
"""

from __future__ import annotations

from collections import deque

from carnet.protocol import PackedMessage, Session

LIMITED_TYPES = frozenset(
    {"stream", "display_data", "execute_result", "update_display_data", "error"}
)

_NOTICE = (
    "IOPub {what} rate exceeded.\n"
    "The server will temporarily stop sending output to this client to avoid crashing it.\n"
    "To change this limit, set the config variable `--NotebookApp.iopub_{what}_rate_limit`.\n"
    "\nCurrent values:\nNotebookApp.iopub_{what}_rate_limit={limit} ({unit}/sec)\n"
    "NotebookApp.rate_limit_window={window} (secs)\n"
)


class IOPubRateLimiter:
    def __init__(self, data_rate: float, msg_rate: float, window: float) -> None:
        self.data_rate = data_rate
        self.msg_rate = msg_rate
        self.window = window if window > 0 else 3.0
        self._recent: deque[tuple[float, int]] = deque()
        self._bytes = 0
        self.limiting: str | None = None  # "data" or "msg" while output is withheld
        self._session = Session()

    @property
    def enabled(self) -> bool:
        return self.data_rate > 0 or self.msg_rate > 0

    def filter(self, msg: PackedMessage, now: float) -> list[PackedMessage]:
        """What to send for `msg`: nothing, the message, and/or a notice."""
        if msg.msg_type not in LIMITED_TYPES:
            return [msg]
        size = len(msg.parts[3])
        self._recent.append((now, size))
        self._bytes += size
        while self._recent and self._recent[0][0] < now - self.window:
            self._bytes -= self._recent.popleft()[1]
        exceeded = self._exceeded()
        if exceeded:
            if self.limiting is None:
                self.limiting = exceeded
                return [self._notice(msg, exceeded)]
            return []
        if self.limiting is not None:
            self.limiting = None
            resumed = self._stderr(msg, "IOPub output resumed.\n")
            return [resumed, msg]
        return [msg]

    def _exceeded(self) -> str | None:
        if self.data_rate > 0 and self._bytes / self.window > self.data_rate:
            return "data"
        if self.msg_rate > 0 and len(self._recent) / self.window > self.msg_rate:
            return "msg"
        return None

    def _notice(self, parent: PackedMessage, what: str) -> PackedMessage:
        limit = self.data_rate if what == "data" else self.msg_rate
        unit = "bytes" if what == "data" else "msgs"
        text = _NOTICE.format(what=what, limit=limit, unit=unit, window=self.window)
        return self._stderr(parent, text)

    def _stderr(self, parent: PackedMessage, text: str) -> PackedMessage:
        stream = self._session.msg(
            "stream", {"name": "stderr", "text": text}, parent={"header": parent.parent_header}
        )
        return PackedMessage.from_message(stream)
