"""SQLite with several writer processes: no "database is locked", every row stored.

Each transaction reads before it writes, like every service does. With a deferred BEGIN such a
transaction fails at once when another process committed after its read (a stale WAL snapshot cannot
be upgraded to a write lock); app.core.db therefore starts SQLite transactions with BEGIN IMMEDIATE.
"""

import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from app.core.db import make_engine, session_scope
from app.models import AuditEvent
from tests.support.databases import migrated_engine

PROCESSES = 4
TRANSACTIONS = 50


def _writer(url: str, worker: int, count: int, begin: str) -> tuple[int, list[str]]:
    engine = make_engine(url).execution_options(sqlite_begin=begin)
    errors: list[str] = []
    for i in range(count):
        try:
            with session_scope(engine) as db:
                seen = db.scalar(select(func.count()).where(AuditEvent.entity_id == worker)) or 0
                db.add(AuditEvent(action="create", entity="writer", entity_id=worker, after={"i": i, "seen": seen}))
        except Exception as exc:
            errors.append(str(exc).splitlines()[0])
    engine.dispose()
    return worker, errors


def _run(url: str, begin: str) -> list[str]:
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        results = pool.starmap(_writer, [(url, w, TRANSACTIONS, begin) for w in range(PROCESSES)])
    return [e for _, errors in results for e in errors]


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'writers.db'}"
    migrated_engine(url).dispose()
    return url


def _rows(url: str) -> list[tuple[int, int]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AuditEvent.entity_id, func.count())
            .where(AuditEvent.entity == "writer")
            .group_by(AuditEvent.entity_id)
        ).all()
    engine.dispose()
    return sorted((worker, n) for worker, n in rows if worker is not None)


def test_parallel_writers_never_see_a_locked_database(sqlite_url: str) -> None:
    started = time.perf_counter()
    errors = _run(sqlite_url, "IMMEDIATE")
    seconds = time.perf_counter() - started
    print(f"\n{PROCESSES} processes x {TRANSACTIONS} transactions in {seconds:.1f} s, {len(errors)} errors")
    assert errors == []
    assert _rows(sqlite_url) == [(w, TRANSACTIONS) for w in range(PROCESSES)]


def test_sqlite_uses_wal_and_begin_immediate(sqlite_url: str) -> None:
    engine: Engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.scalar(text("PRAGMA journal_mode")) == "wal"
        assert conn.scalar(text("PRAGMA busy_timeout")) == 30000
        assert conn.scalar(text("PRAGMA foreign_keys")) == 1
    # A transaction holds the write lock from its start, so a second writer waits for it (here: 50 ms).
    path = sqlite_url.removeprefix("sqlite:///")
    with engine.begin() as first:
        first.execute(text("SELECT 1"))
        second = sqlite3.connect(path, timeout=0.05, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            second.execute("BEGIN IMMEDIATE")
        second.close()
    # A deferred read (the backup's snapshot) takes no lock: a writer goes ahead meanwhile.
    other = make_engine(sqlite_url)
    with engine.execution_options(sqlite_begin="DEFERRED").begin() as reader, other.begin() as writer:
        reader.execute(select(func.count()).select_from(AuditEvent))
        writer.execute(text("INSERT INTO audit_events (action, entity, at) VALUES ('create', 'writer', '2024-01-01')"))
    engine.dispose()
    other.dispose()
