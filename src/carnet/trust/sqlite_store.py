"""Signatures in SQLite, in the very table Jupyter uses (nbsignatures.db, table nbsignatures).

Same columns, same index and the same culling (beyond `cache_size` rows, only the most
recently seen three quarters are kept), so Jupyter and Carnet share one database. The
connection uses a short busy timeout: a database another process holds locked makes
an operation fail fast instead of hanging a request.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

CACHE_SIZE = 65535
BUSY_TIMEOUT = 0.25
# last_seen is written at most this often per signature: it only orders the culling.
TOUCH_INTERVAL = 60.0

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS nbsignatures (
        id integer PRIMARY KEY AUTOINCREMENT,
        algorithm text,
        signature text,
        path text,
        last_seen timestamp
    )""",
    "CREATE INDEX IF NOT EXISTS algosig ON nbsignatures(algorithm, signature)",
)
_FIND = "SELECT id FROM nbsignatures WHERE algorithm = ? AND signature = ? LIMIT 1"
_TOUCH = "UPDATE nbsignatures SET last_seen = ? WHERE id = ?"
_INSERT = "INSERT INTO nbsignatures (algorithm, signature, last_seen) VALUES (?, ?, ?)"
_DELETE = "DELETE FROM nbsignatures WHERE algorithm = ? AND signature = ?"
_COUNT = "SELECT count(*) FROM nbsignatures"
_CULL = (
    "DELETE FROM nbsignatures WHERE id IN "
    "(SELECT id FROM nbsignatures ORDER BY last_seen DESC LIMIT -1 OFFSET ?)"
)


def is_read_only(error: sqlite3.Error) -> bool:
    """Whether the database refused a write because it (or its file system) is read-only."""
    return str(getattr(error, "sqlite_errorname", "")).startswith("SQLITE_READONLY")


def _now() -> str:
    # The ISO text nbformat's sqlite adapter writes, so both sort alike in ORDER BY.
    return datetime.now(UTC).isoformat()


class SQLiteSignatures:
    """One open nbsignatures database; not thread-safe (SignatureStore serializes calls).

    Raises sqlite3 errors as they come: the caller decides between recovering a
    corrupted file and falling back to memory.
    """

    def __init__(
        self, db_file: Path, cache_size: int = CACHE_SIZE, busy_timeout: float = BUSY_TIMEOUT
    ) -> None:
        self.db_file = db_file
        self.cache_size = cache_size
        # row id -> when its last_seen was last written (only culling reads it)
        self._touched: dict[int, float] = {}
        # Imported here: a server that never opens the database does not load SQLite.
        import sqlite3

        self._db = sqlite3.connect(
            db_file, timeout=busy_timeout, isolation_level=None, check_same_thread=False
        )
        try:
            # Losing the last few last_seen updates in a power cut is harmless; an fsync
            # on every notebook opened is not.
            self._db.execute("PRAGMA synchronous = NORMAL")
            for statement in _SCHEMA:
                self._db.execute(statement)
        except BaseException:
            self._db.close()
            raise

    def check(self, digest: str, algorithm: str) -> bool:
        import sqlite3

        row = self._db.execute(_FIND, (algorithm, digest)).fetchone()
        if row is None:
            return False
        now = time.monotonic()
        if now - self._touched.get(row[0], -TOUCH_INTERVAL) < TOUCH_INTERVAL:
            return True  # seen a moment ago: no write (and fsync) for every reopening
        if len(self._touched) > 1024:
            self._touched.clear()
        self._touched[row[0]] = now
        try:
            self._db.execute(_TOUCH, (_now(), row[0]))
        except sqlite3.OperationalError as exc:
            if not is_read_only(exc):
                raise
            # A read-only database still answers: only "last seen" goes unrecorded.
        return True

    def store(self, digest: str, algorithm: str) -> None:
        if self.check(digest, algorithm):
            return
        self._db.execute(_INSERT, (algorithm, digest, _now()))
        (count,) = self._db.execute(_COUNT).fetchone()
        if count > self.cache_size:
            self._db.execute(_CULL, (max(int(0.75 * self.cache_size), 1),))

    def remove(self, digest: str, algorithm: str) -> None:
        self._db.execute(_DELETE, (algorithm, digest))

    def close(self) -> None:
        self._db.close()
