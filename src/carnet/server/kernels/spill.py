"""An append-only scratch file for output that does not fit in memory.

A run's stream text past its memory bound goes here, as (offset, length) byte
ranges, so a cell printing a million lines is kept whole without the server's
memory growing with it. The file is anonymous (unlinked at creation on Linux)
and disappears when closed, or when the server dies.
"""

from __future__ import annotations

import tempfile
from typing import IO

Span = tuple[int, int]


class SpillFile:
    def __init__(self, directory: str | None = None) -> None:
        self._directory = directory
        self._file: IO[bytes] | None = None
        self._end = 0

    @property
    def size(self) -> int:
        return self._end

    def append(self, data: bytes) -> Span:
        """Writes `data` at the end; where it is."""
        if self._file is None:
            # Kept open across calls and closed by close(): not a with-block's lifetime.
            self._file = tempfile.TemporaryFile(prefix="carnet-output-", dir=self._directory)  # noqa: SIM115
        self._file.seek(self._end)
        self._file.write(data)
        span = (self._end, len(data))
        self._end += len(data)
        return span

    def read(self, span: Span) -> bytes:
        offset, length = span
        if self._file is None or length == 0:
            return b""
        self._file.flush()
        self._file.seek(offset)
        return self._file.read(length)

    def reset(self) -> None:
        """Forgets everything written (clear_output), keeping the file for reuse."""
        if self._file is not None:
            self._file.seek(0)
            self._file.truncate()
        self._end = 0

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
        self._end = 0
