"""Chunked uploads, numbered as Jupyter clients send them: 1, 2, ..., and -1 for the last.

Chunks accumulate in a hidden staging file next to the target; only the last chunk
moves it over the target, atomically. So an interrupted upload never leaves a
truncated file, and an existing file stays intact until the new one is complete.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from carnet.errors import InvalidContents
from carnet.server.contents import atomic


def staging_path(real: Path) -> Path:
    return real.parent / f".~{real.name}.upload"


class ChunkedUploads:
    """The uploads in progress: which chunk each target expects next."""

    def __init__(self) -> None:
        self._expected: dict[Path, int] = {}
        self._lock = threading.Lock()

    def write(self, real: Path, api_path: str, chunk: int, data: bytes) -> Path:
        """Store one chunk; returns the file that holds the data so far (the target once done)."""
        with self._lock:
            if chunk == 1 or (chunk == -1 and real not in self._expected):
                self._start(real, api_path, data)
            elif chunk == -1 or chunk == self._expected.get(real):
                self._append(real, api_path, data)
            else:
                # The client and server disagree on what was sent: start over cleanly.
                expected = self._expected.pop(real, None)
                staging_path(real).unlink(missing_ok=True)
                wanted = "chunk 1" if expected is None else f"chunk {expected} or -1"
                raise InvalidContents(
                    f"Out-of-order upload chunk {chunk} for {api_path!r}: expected {wanted};"
                    " the upload is abandoned, start again from chunk 1",
                    "bad chunk",
                )
            if chunk != -1:
                self._expected[real] = 2 if chunk == 1 else chunk + 1
                return staging_path(real)
            self._expected.pop(real, None)
            try:
                atomic.commit_staged(staging_path(real), real, api_path)
            except BaseException:
                staging_path(real).unlink(missing_ok=True)
                raise
            return real

    def _start(self, real: Path, api_path: str, data: bytes) -> None:
        self._write(real, api_path, data, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)

    def _append(self, real: Path, api_path: str, data: bytes) -> None:
        self._write(real, api_path, data, os.O_WRONLY | os.O_APPEND)

    def _write(self, real: Path, api_path: str, data: bytes, flags: int) -> None:
        staged = staging_path(real)
        try:
            # O_NOFOLLOW: a symlink planted at the staging name must not redirect the write.
            fd = os.open(staged, flags | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except OSError as exc:
            self._expected.pop(real, None)
            staged.unlink(missing_ok=True)
            raise atomic.write_error(api_path, exc) from exc
