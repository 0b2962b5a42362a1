"""Turning a cell's iopub messages into nbformat outputs, as a notebook page would.

Used by the server to record executions nobody is watching, and to show a
reopened page what a running cell printed so far: the result must be what the
page would have (streams merged, clear_output and update_display_data applied).

Nothing is dropped: output is kept in memory up to `memory_limit` characters per
run, and past it in a scratch file (SpillFile), so a huge print is recorded
whole while the server's memory stays bounded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from carnet.protocol import Message
from carnet.server.kernels.spill import Span, SpillFile

JsonDict = dict[str, Any]

# Output kept in memory per run (characters of text and data); the rest goes to disk.
MEMORY_LIMIT = 16 * 1024 * 1024
# Stream chunks joined into one string every so many, so that a loop of tiny prints
# costs its characters in memory, not a Python object per message.
JOIN_EVERY = 256


@dataclass
class _Stream:
    name: str
    # Chunks of text in order: in memory (str) or spilled (a byte range of the file).
    parts: list[str | Span] = field(default_factory=list)
    # How many of the last parts are strings not joined yet.
    loose: int = 0


@dataclass
class _Rich:
    """display_data, execute_result or error: in memory, or spilled as JSON."""

    output: JsonDict | None
    span: Span | None = None
    display_id: str | None = None


def _rich_size(output: JsonDict) -> int:
    values = list(output.get("data", {}).values()) + list(output.get("traceback", []))
    return 64 + sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in values)


class CellRun:
    """One execution of one cell, as it accumulates."""

    def __init__(
        self, cell_id: str, memory_limit: int = MEMORY_LIMIT, spill_dir: str | None = None
    ) -> None:
        self.cell_id = cell_id
        self.execution_count: int | None = None
        self.memory_limit = memory_limit
        self._items: list[_Stream | _Rich] = []
        self._in_memory = 0
        self._spill = SpillFile(spill_dir)
        # Once stream text went to disk, the rest follows it (one growing byte range).
        self._spilling = False
        self._clear_pending = False

    @property
    def in_memory(self) -> int:
        """Characters of output held in memory."""
        return self._in_memory

    @property
    def spilled(self) -> int:
        """Bytes of output written to the scratch file."""
        return self._spill.size

    def close(self) -> None:
        """Deletes the scratch file; the run is written, followed by a page, or dropped."""
        self._spill.close()

    def apply(self, msg: Message) -> None:
        kind = msg.msg_type
        content = msg.content
        if kind == "execute_input":
            count = content.get("execution_count")
            self.execution_count = count if isinstance(count, int) else None
        elif kind == "clear_output":
            if content.get("wait"):
                self._clear_pending = True
            else:
                self._clear()
        elif kind == "update_display_data":
            self._update_display(content)
        elif kind in ("stream", "display_data", "execute_result", "error"):
            if self._clear_pending:
                self._clear()
            if kind == "stream":
                self._append_stream(
                    str(content.get("name", "stdout")), str(content.get("text", ""))
                )
            else:
                self._append_rich(kind, content)

    # --- reading -----------------------------------------------------------

    @property
    def outputs(self) -> list[JsonDict]:
        """The nbformat outputs so far (spilled text read back)."""
        return [self._materialize(item) for item in self._items]

    @property
    def display_ids(self) -> list[str | None]:
        """The display_id of each output (update_display_data targets), parallel to outputs."""
        return [item.display_id if isinstance(item, _Rich) else None for item in self._items]

    def _materialize(self, item: _Stream | _Rich) -> JsonDict:
        if isinstance(item, _Stream):
            text = "".join(
                p if isinstance(p, str) else self._spill.read(p).decode("utf-8") for p in item.parts
            )
            return {"output_type": "stream", "name": item.name, "text": text}
        if item.output is not None:
            return item.output
        assert item.span is not None
        loaded: JsonDict = json.loads(self._spill.read(item.span))
        return loaded

    # --- writing -----------------------------------------------------------

    def _clear(self) -> None:
        self._items.clear()
        self._in_memory = 0
        self._spill.reset()
        self._spilling = False
        self._clear_pending = False

    def _append_stream(self, name: str, text: str) -> None:
        last = self._items[-1] if self._items else None
        if not isinstance(last, _Stream) or last.name != name:
            last = _Stream(name)
            self._items.append(last)
        if not self._spilling and self._in_memory + len(text) <= self.memory_limit:
            last.parts.append(text)
            self._in_memory += len(text)
            last.loose += 1
            if last.loose == JOIN_EVERY:
                joined = "".join(p for p in last.parts[-JOIN_EVERY:] if isinstance(p, str))
                last.parts[-JOIN_EVERY:] = [joined]
                last.loose = 0
            return
        self._spilling = True
        last.loose = 0
        offset, length = self._spill.append(text.encode("utf-8"))
        previous = last.parts[-1] if last.parts else None
        if isinstance(previous, tuple) and previous[0] + previous[1] == offset:
            last.parts[-1] = (previous[0], previous[1] + length)  # one range, not one per message
        else:
            last.parts.append((offset, length))

    def _append_rich(self, kind: str, content: JsonDict) -> None:
        output: JsonDict
        if kind == "error":
            output = {
                "output_type": "error",
                "ename": str(content.get("ename", "")),
                "evalue": str(content.get("evalue", "")),
                "traceback": list(content.get("traceback", [])),
            }
        else:
            output = {
                "output_type": kind,
                "data": dict(content.get("data", {})),
                "metadata": dict(content.get("metadata", {})),
            }
            if kind == "execute_result":
                output["execution_count"] = content.get("execution_count", self.execution_count)
        display_id = (content.get("transient") or {}).get("display_id")
        item = _Rich(None, display_id=display_id if isinstance(display_id, str) else None)
        self._store(item, output)
        self._items.append(item)

    def _store(self, item: _Rich, output: JsonDict) -> None:
        """Keeps `output` in memory if it fits, else in the scratch file."""
        if item.output is not None:
            self._in_memory -= _rich_size(item.output)
        size = _rich_size(output)
        if self._in_memory + size <= self.memory_limit:
            item.output, item.span = output, None
            self._in_memory += size
        else:
            item.output = None
            item.span = self._spill.append(json.dumps(output).encode("utf-8"))

    def _update_display(self, content: JsonDict) -> None:
        display_id = (content.get("transient") or {}).get("display_id")
        if not isinstance(display_id, str):
            return
        for item in self._items:
            if isinstance(item, _Rich) and item.display_id == display_id:
                output = dict(self._materialize(item))
                output["data"] = dict(content.get("data", {}))
                output["metadata"] = dict(content.get("metadata", {}))
                self._store(item, output)
