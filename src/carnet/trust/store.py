"""SignatureStore: the signatures database, with recovery and an in-memory fallback.

Trust must never make a notebook fail to open or a request hang. So:
* a corrupted database file is moved aside (nbsignatures.db.corrupt-<time>) and a new
  one created, with a warning (notebooks trusted before must be trusted again);
* a database that cannot be used (read-only or missing home, a lock held by another
  process, an NFS mount without working locks) is given up for the rest of the
  process: new signatures are kept in memory, and one warning says so; a read-only
  database is still consulted, so notebooks trusted before stay trusted.
Every call is serialized by a lock: the contents service calls from worker threads.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from carnet.trust.memory_store import MemorySignatures
from carnet.trust.sqlite_store import BUSY_TIMEOUT, CACHE_SIZE, SQLiteSignatures, is_read_only

if TYPE_CHECKING:
    import sqlite3  # imported where used: SQLite is loaded only once a database is opened

DB_NAME = "nbsignatures.db"
_CORRUPT = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
T = TypeVar("T")


def _is_corruption(error: sqlite3.Error) -> bool:
    name = str(getattr(error, "sqlite_errorname", ""))
    return any(name.startswith(kind) for kind in _CORRUPT)


def _move_aside(db_file: Path) -> Path:
    """Rename a corrupted database (and its journal) out of the way; the new name."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    target = db_file.with_name(f"{db_file.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = db_file.with_name(f"{db_file.name}.corrupt-{stamp}-{n}")
    db_file.rename(target)
    journal = db_file.with_name(db_file.name + "-journal")
    if journal.exists():
        journal.rename(target.with_name(target.name + "-journal"))
    return target


class SignatureStore:
    """Notebook signatures, in `db_file` when it can be used, else in memory.

    `db_file=None` keeps them in memory from the start (as Jupyter's ':memory:').
    """

    def __init__(
        self,
        db_file: Path | None,
        *,
        cache_size: int = CACHE_SIZE,
        busy_timeout: float = BUSY_TIMEOUT,
        log: logging.Logger | None = None,
    ) -> None:
        self.db_file = db_file
        self._cache_size = cache_size
        self._busy_timeout = busy_timeout
        self._log = log or logging.getLogger("carnet.trust")
        self._lock = threading.Lock()
        self._db: SQLiteSignatures | None = None
        self._reader: SQLiteSignatures | None = None  # a read-only database, after giving up
        self._memory = MemorySignatures(cache_size)
        self._in_memory = db_file is None

    @property
    def in_memory(self) -> bool:
        """Whether signatures are (now) kept in memory only."""
        return self._in_memory

    def check(self, digest: str, algorithm: str) -> bool:
        return self._call(
            lambda s: s.check(digest, algorithm), self._check_fallback, digest, algorithm
        )

    def store(self, digest: str, algorithm: str) -> None:
        self._call(lambda s: s.store(digest, algorithm), self._memory.store, digest, algorithm)

    def remove(self, digest: str, algorithm: str) -> None:
        self._call(lambda s: s.remove(digest, algorithm), self._memory.remove, digest, algorithm)

    def fall_back(self, reason: str) -> None:
        """Keep signatures in memory from now on, warning once why."""
        with self._lock:
            self._give_up(reason)

    def close(self) -> None:
        with self._lock:
            for db in (self._db, self._reader):
                if db is not None:
                    db.close()
            self._db = self._reader = None

    # -- internals (called with the lock held) --------------------------------------

    def _call(
        self,
        on_db: Callable[[SQLiteSignatures], T],
        on_memory: Callable[[str, str], T],
        digest: str,
        algorithm: str,
    ) -> T:
        import sqlite3

        with self._lock:
            if not self._in_memory:
                try:
                    return self._with_recovery(on_db)
                except (sqlite3.Error, OSError) as exc:
                    read_only = isinstance(exc, sqlite3.Error) and is_read_only(exc)
                    self._give_up(f"{type(exc).__name__}: {exc}", keep_reader=read_only)
            return on_memory(digest, algorithm)

    def _check_fallback(self, digest: str, algorithm: str) -> bool:
        import sqlite3

        if self._memory.check(digest, algorithm):
            return True
        if self._reader is None:
            return False
        try:
            return self._reader.check(digest, algorithm)
        except sqlite3.Error:
            return False

    def _with_recovery(self, on_db: Callable[[SQLiteSignatures], T]) -> T:
        import sqlite3

        try:
            return on_db(self._open())
        except sqlite3.Error as exc:
            if not _is_corruption(exc):
                raise
            self._recover(exc)
            return on_db(self._open())

    def _open(self) -> SQLiteSignatures:
        if self._db is None:
            assert self.db_file is not None
            self.db_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._db = SQLiteSignatures(self.db_file, self._cache_size, self._busy_timeout)
        return self._db

    def _recover(self, error: sqlite3.Error) -> None:
        assert self.db_file is not None
        if self._db is not None:
            self._db.close()
            self._db = None
        moved = _move_aside(self.db_file)
        self._log.warning(
            "Notebook trust: the signatures database %s is corrupted (%s); it was moved to %s "
            "and a new one started, so notebooks trusted before must be trusted again.",
            self.db_file,
            error,
            moved,
        )

    def _give_up(self, reason: str, keep_reader: bool = False) -> None:
        import sqlite3

        if self._in_memory:
            return
        self._in_memory = True
        if keep_reader:
            self._reader = self._db
        elif self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        kept = "notebooks trusted before stay trusted; " if self._reader is not None else ""
        self._log.warning(
            "Notebook trust: cannot use the signatures database %s (%s); %snotebooks trusted "
            "from now on are remembered in memory only, until this process exits.",
            self.db_file,
            reason,
            kept,
        )
