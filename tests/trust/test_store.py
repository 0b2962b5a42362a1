"""The signatures store: culling, a corrupted database, a locked one, an unusable directory."""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

import pytest

from carnet.trust import Notary, SignatureStore
from tests.trust.conftest import rich_notebook

ALGO = "sha256"


def digests(n: int) -> list[str]:
    return [f"{i:064x}" for i in range(n)]


@pytest.mark.parametrize("in_memory", [False, True])
def test_store_check_remove(tmp_path: Path, in_memory: bool) -> None:
    store = SignatureStore(None if in_memory else tmp_path / "nbsignatures.db")
    a, b = digests(2)
    assert not store.check(a, ALGO)
    store.store(a, ALGO)
    store.store(a, ALGO)  # twice: still one row
    assert store.check(a, ALGO) and not store.check(b, ALGO) and not store.check(a, "md5")
    store.remove(a, ALGO)
    assert not store.check(a, ALGO)
    assert store.in_memory is in_memory
    store.close()


@pytest.mark.parametrize("in_memory", [False, True])
def test_the_oldest_quarter_is_culled_past_the_size_limit(tmp_path: Path, in_memory: bool) -> None:
    store = SignatureStore(None if in_memory else tmp_path / "nbsignatures.db", cache_size=8)
    keys = digests(9)
    for key in keys[:8]:
        store.store(key, ALGO)
    assert store.check(keys[0], ALGO)  # seen again: now the most recent
    store.store(keys[8], ALGO)  # the ninth passes the limit: 6 of 9 are kept
    kept = [key for key in keys if store.check(key, ALGO)]
    assert kept == [keys[0], *keys[4:9]]
    store.close()


def test_a_corrupted_database_is_moved_aside_and_recreated(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_file = tmp_path / "nbsignatures.db"
    db_file.write_bytes(b"this is not a database\n" * 500)
    store = SignatureStore(db_file)
    (a,) = digests(1)
    with caplog.at_level(logging.WARNING, "carnet.trust"):
        assert not store.check(a, ALGO)
        store.store(a, ALGO)
    assert store.check(a, ALGO) and not store.in_memory
    moved = list(tmp_path.glob("nbsignatures.db.corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes().startswith(b"this is not a database")
    with sqlite3.connect(db_file) as db:  # a real database again, with the signature in it
        assert db.execute("SELECT signature FROM nbsignatures").fetchall() == [(a,)]
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert "corrupted" in caplog.records[0].getMessage()
    store.close()


def test_a_database_corrupted_while_open_is_recovered(tmp_path: Path) -> None:
    db_file = tmp_path / "nbsignatures.db"
    store = SignatureStore(db_file)
    a, b = digests(2)
    store.store(a, ALGO)
    store.close()
    with open(db_file, "r+b") as f:  # wreck the header of the file now closed
        f.write(b"garbage" * 20)
    store.store(b, ALGO)
    assert store.check(b, ALGO) and not store.check(a, ALGO) and not store.in_memory
    assert len(list(tmp_path.glob("nbsignatures.db.corrupt-*"))) == 1
    store.close()


def test_a_locked_database_falls_back_to_memory_and_warns_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db_file = tmp_path / "nbsignatures.db"
    creator = SignatureStore(db_file)
    assert not creator.check(digests(1)[0], ALGO)  # creates the database
    creator.close()
    holder = sqlite3.connect(db_file, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # as another process stuck mid-write, or NFS
    try:
        store = SignatureStore(db_file)
        a, b = digests(2)
        with caplog.at_level(logging.WARNING, "carnet.trust"):
            # How long the fallback takes is bench/run.py's trust figure locked_db_fallback_s.
            assert not store.check(a, ALGO)
            store.store(a, ALGO)
            store.store(b, ALGO)
            assert store.check(a, ALGO) and store.check(b, ALGO)
        assert store.in_memory
        assert len(caplog.records) == 1 and "memory" in caplog.records[0].getMessage()
        assert not list(tmp_path.glob("*.corrupt-*")), "a locked database is not corrupted"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with sqlite3.connect(db_file) as db:  # nothing was written to it meanwhile
        assert db.execute("SELECT count(*) FROM nbsignatures").fetchone() == (0,)


def test_a_data_dir_that_cannot_be_created_falls_back_to_memory(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "home"
    blocker.write_text("a file where the home directory should be")
    notary = Notary(blocker / ".local" / "share" / "jupyter")
    nb = rich_notebook()
    with caplog.at_level(logging.WARNING, "carnet.trust"):
        assert not notary.is_signed(nb)
        assert notary.trust(nb)
        assert notary.is_signed(rich_notebook())
    assert notary.store.in_memory
    assert len(caplog.records) == 1, [r.getMessage() for r in caplog.records]
    notary.close()


def test_concurrent_use_from_threads(tmp_path: Path) -> None:
    store = SignatureStore(tmp_path / "nbsignatures.db")
    keys = digests(200)
    errors: list[BaseException] = []

    def work(part: list[str]) -> None:
        try:
            for key in part:
                store.store(key, ALGO)
                assert store.check(key, ALGO)
        except BaseException as exc:  # collected: assertion errors in threads are lost
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(keys[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and not store.in_memory
    assert all(store.check(key, ALGO) for key in keys)
    store.close()
