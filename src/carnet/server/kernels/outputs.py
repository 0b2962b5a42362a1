"""Turning a cell's iopub messages into nbformat outputs, as a notebook page would.

Used by the server to record executions nobody is watching: the result must be
what the page would have saved (streams merged, clear_output and
update_display_data applied), so a reopened notebook looks as if it had stayed open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from carnet.protocol import Message

JsonDict = dict[str, Any]


@dataclass
class CellRun:
    """One execution of one cell, as it accumulates."""

    cell_id: str
    execution_count: int | None = None
    outputs: list[JsonDict] = field(default_factory=list)
    _clear_pending: bool = False
    # display_id -> the outputs showing it (update_display_data changes them all)
    _displays: dict[str, list[JsonDict]] = field(default_factory=dict)

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
            self._append(kind, content)

    def _clear(self) -> None:
        self.outputs.clear()
        self._displays.clear()
        self._clear_pending = False

    def _append(self, kind: str, content: JsonDict) -> None:
        if kind == "stream":
            name = content.get("name", "stdout")
            text = str(content.get("text", ""))
            last = self.outputs[-1] if self.outputs else None
            if last is not None and last["output_type"] == "stream" and last["name"] == name:
                last["text"] += text
            else:
                self.outputs.append({"output_type": "stream", "name": name, "text": text})
            return
        if kind == "error":
            self.outputs.append(
                {
                    "output_type": "error",
                    "ename": str(content.get("ename", "")),
                    "evalue": str(content.get("evalue", "")),
                    "traceback": list(content.get("traceback", [])),
                }
            )
            return
        output: JsonDict = {
            "output_type": kind,
            "data": dict(content.get("data", {})),
            "metadata": dict(content.get("metadata", {})),
        }
        if kind == "execute_result":
            output["execution_count"] = content.get("execution_count", self.execution_count)
        self.outputs.append(output)
        display_id = (content.get("transient") or {}).get("display_id")
        if isinstance(display_id, str):
            self._displays.setdefault(display_id, []).append(output)

    def _update_display(self, content: JsonDict) -> None:
        display_id = (content.get("transient") or {}).get("display_id")
        for output in self._displays.get(str(display_id), []):
            output["data"] = dict(content.get("data", {}))
            output["metadata"] = dict(content.get("metadata", {}))
