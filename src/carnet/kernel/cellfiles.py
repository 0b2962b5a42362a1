"""Each cell's code as a real file, as ipykernel has it.

IPython names a cell `<ipython-input-N-hash>` and keeps its lines in
linecache only. Debuggers, `inspect.getfile`, `traceback` and anything that
reads the source back from disk want a path: like ipykernel, the cell is
compiled under a file named from a hash of its source, in a directory of
this process's own, and the file is written so that it can be read. IPython
still labels the frames `Cell In[n]` in its tracebacks (the name is in the
compiler's map). Only imported once IPython is loaded (shell.py imports it).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import threading

from IPython.core.compilerop import CachingCompiler  # noqa: TID253

_lock = threading.Lock()
# One directory per kernel process, made on first use; a new compiler instance
# (IPython makes one per cell run without shell futures) shares it.
_directory: str | None = None
_written: set[str] = set()


def cell_directory() -> str:
    """This kernel's directory of cell files (private: mkdtemp makes it 0700)."""
    global _directory
    with _lock:
        if _directory is None:
            _directory = tempfile.mkdtemp(prefix=f"carnet_{os.getpid()}_")
        return _directory


def cell_file_name(raw_code: str) -> str:
    """The file a cell's code is compiled under: the same code, the same file."""
    digest = hashlib.blake2b(raw_code.encode("utf-8", "surrogatepass"), digest_size=6)
    return os.path.join(cell_directory(), f"{digest.hexdigest()}.py")


def remove_cell_files() -> None:
    """At shutdown: nothing is left in the temporary directory."""
    global _directory
    with _lock:
        directory, _directory = _directory, None
        _written.clear()
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)


class CellCompiler(CachingCompiler):
    """IPython's caching compiler, with cells named and written as files."""

    def get_code_name(self, raw_code: str, transformed_code: str, number: int) -> str:
        return cell_file_name(raw_code)

    def cache(self, transformed_code: str, number: int = 0, raw_code: str | None = None) -> str:
        name: str = super().cache(transformed_code, number, raw_code)  # type: ignore[no-untyped-call,unused-ignore]
        if name not in _written:
            # The code that was compiled, so that line numbers match the file's.
            with (
                contextlib.suppress(OSError, UnicodeError),
                open(name, "w", encoding="utf-8") as file,
            ):
                file.write(transformed_code)
                _written.add(name)
        return name
