"""A cell's printed text in IPython 9's output history, without wrapping write().

IPython 9 records what a cell writes to stdout and stderr (for %notebook) by
replacing the stream's write() with a closure for the length of run_cell; that
closure costs more than the kernel's whole write. The kernel runs cells without
that wrapper (runcell.py) and hands the same recording to its own OutStream,
which calls it after each write: same entries, same rules (nothing while a
display is published, the display hook is active or a traceback is shown;
consecutive writes to one stream extend one entry).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from typing import Any, Literal

from carnet.kernel.streams import OutStream


@contextlib.contextmanager
def recording(shell: Any) -> Iterator[None]:
    """Record what the kernel's stdout and stderr are given while a cell runs.

    IPython 8 keeps no output history. A stream the user put in place of the
    kernel's is not recorded.
    """
    if not hasattr(shell.history_manager, "outputs"):
        yield
        return
    recorded = []
    for channel in ("stdout", "stderr"):
        stream = getattr(sys, channel)
        if isinstance(stream, OutStream) and stream.history is None:
            stream.history = StreamHistory(shell, channel).record
            recorded.append(stream)
    try:
        yield
    finally:
        for stream in recorded:
            stream.history = None


class StreamHistory:
    """Records one stream's writes during one cell, as IPython's _tee does.

    Called on every write, so it does per call only what can change during a cell.
    """

    def __init__(self, shell: Any, channel: Literal["stdout", "stderr"]) -> None:
        from IPython.core.history import HistoryOutput

        from carnet.kernel.display import CarnetDisplayHook, CarnetDisplayPublisher

        self._output_class = HistoryOutput
        self._shell = shell
        self._publisher = shell.display_pub
        self._hook = shell.displayhook
        # IPython sets these flags in the publish() and start/finish_displayhook() that
        # the kernel's own classes replace, so they never change for those.
        self._watch_display = not (
            isinstance(self._publisher, CarnetDisplayPublisher)
            and isinstance(self._hook, CarnetDisplayHook)
        )
        # HistoryManager.reset() clears this dict in place, so holding it is safe.
        self._outputs = shell.history_manager.outputs
        self._count = shell.execution_count
        self._type: Literal["out_stream", "err_stream"] = (
            "out_stream" if channel == "stdout" else "err_stream"
        )
        self._entry: Any = None
        self._chunks: list[str] = []

    def record(self, data: str) -> None:
        # OutStream.write() never passes empty text.
        if self._shell.showing_traceback:
            return
        if self._watch_display and (self._publisher.is_publishing or self._hook.is_active):
            return
        entries = self._outputs[self._count]
        if entries and entries[-1] is self._entry:
            self._chunks.append(data)
            return
        last: Any = entries[-1] if entries else None
        if last is None or last.output_type != self._type:
            last = self._output_class(output_type=self._type, bundle={"stream": []})
            entries.append(last)
        self._entry = last
        self._chunks = last.bundle["stream"]
        self._chunks.append(data)
