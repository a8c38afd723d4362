"""The page cache's check runs on the event loop (app.web.page_cache), so its engine must never let a
statement or a lock wait hold a worker for long, and must not open connections on demand."""

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, QueuePool, text

from app.core import config, db


@pytest.fixture
def check_engine(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    monkeypatch.setenv("FRAMSTEG_DATABASE_URL", database_url)
    config.get_settings.cache_clear()
    db.single_read_engine.cache_clear()
    engine = db.single_read_engine()
    yield engine
    engine.dispose()
    db.single_read_engine.cache_clear()
    config.get_settings.cache_clear()


def test_waits_are_bounded_by_the_check_timeout(check_engine: Engine) -> None:
    limit_ms = db.SINGLE_READ_TIMEOUT_SECONDS * 1000
    with check_engine.connect() as conn:
        if check_engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == limit_ms
            # The other pragmas of make_engine still apply.
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        else:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == f"{db.SINGLE_READ_TIMEOUT_SECONDS}s"


def test_no_connections_are_opened_beyond_the_pool(check_engine: Engine) -> None:
    if check_engine.dialect.name == "sqlite":
        pytest.skip("SQLite connections are files, not server processes")
    pool = check_engine.pool
    assert isinstance(pool, QueuePool)
    assert pool._max_overflow == 0
    assert pool.timeout() == db.SINGLE_READ_TIMEOUT_SECONDS
