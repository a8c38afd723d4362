"""Engine and session handling shared by the web app, the CLI and the tests."""

from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Dialect, Engine, Select, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from app.core import data_version  # noqa: F401  (installs the listeners that move the data version)
from app.core.config import get_settings


def make_engine(url: str, *, echo: bool = False, pool_size: int = 5) -> Engine:
    if url.startswith("sqlite"):
        db_path = url.split("///", 1)[-1]
        if db_path and db_path != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own BEGIN handling is disabled (isolation_level=None); we emit BEGIN ourselves.
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    # pool_pre_ping: a connection that died with a database restart is replaced before use, not
    # handed to a request; connect_timeout keeps a request from hanging on an unreachable server.
    return create_engine(
        url,
        echo=echo,
        pool_pre_ping=True,
        pool_size=pool_size,
        max_overflow=10,
        connect_args={"connect_timeout": 10},
    )


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


SQLITE_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})


def _sqlite_begin(conn: Connection) -> None:
    """Start every SQLite transaction with BEGIN IMMEDIATE: take the write lock first (waiting up to
    busy_timeout for it), so concurrent writers queue instead of failing.

    A deferred transaction that reads and then writes fails at once with "database is locked"
    (SQLITE_BUSY_SNAPSHOT) when another process committed in between: its snapshot is stale and
    busy_timeout cannot help. Measured with 4 processes x 200 read-then-write transactions on one file:
    deferred BEGIN lost 364-423 of 800, BEGIN IMMEDIATE none (tests/safety/test_sqlite_writers.py).
    The price: transactions run one at a time, reads included. Work that only reads and may take long
    (the backup's snapshot; read-only requests such as exports) can ask for
    `execution_options(sqlite_begin="DEFERRED")`: in WAL mode it then reads one snapshot without a lock.
    """
    mode = str(conn.get_execution_options().get("sqlite_begin", "IMMEDIATE")).upper()
    if mode not in SQLITE_BEGIN_MODES:
        raise ValueError(f"sqlite_begin must be one of {sorted(SQLITE_BEGIN_MODES)}")
    conn.exec_driver_sql(f"BEGIN {mode}")


def read_only_from_here(session: Session) -> None:
    """Commit what the request wrote so far (e.g. the session's last-seen time) and continue in a
    transaction that only reads.

    For long reads such as exports: on SQLite the new transaction begins DEFERRED, so it reads one WAL
    snapshot without holding the write lock and writers are not kept waiting for a PDF to render. On
    PostgreSQL it is simply a new transaction. Nothing may be written after this call.
    """
    session.commit()
    session.connection(execution_options={"sqlite_begin": "DEFERRED"})


# The longest a page-cache check may take before the request goes the full way instead.
SINGLE_READ_TIMEOUT_SECONDS = 2


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return make_engine(settings.database_url, echo=settings.sql_echo, pool_size=settings.db_pool_size)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return _sessionmaker_for(engine or get_engine())


@lru_cache(maxsize=64)
def _sessionmaker_for(engine: Engine) -> sessionmaker[Session]:
    # One per engine: each sessionmaker makes a Session subclass whose event setup cost ~0.5 ms per request.
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@lru_cache
def single_read_engine() -> Engine:
    """A small second pool for one-statement reads on the hot path (the page cache's check of credential and
    data version, app.web.page_cache), which run on the event loop: on PostgreSQL in autocommit, so no BEGIN
    and ROLLBACK round trips, and without a liveness ping per checkout; a statement that meets a dead
    connection fails, the pool drops that connection, and the caller falls back to the full request (which
    pings). Short connect and statement timeouts bound how long a worker's loop can wait for the database.
    On SQLite a DEFERRED transaction, so the check never waits for the write lock.

    No overflow connections: checks on one loop run one at a time, and opening connections on demand was
    the cause of p95s of seconds at 8 clients (20 new PostgreSQL backends a second; bench/results.md)."""
    settings = get_settings()
    if settings.is_sqlite:
        engine = make_engine(settings.database_url)
        event.listen(engine, "connect", _short_busy_timeout)  # after make_engine's pragmas
        return engine.execution_options(sqlite_begin="DEFERRED")
    return create_engine(
        settings.database_url,
        isolation_level="AUTOCOMMIT",
        pool_size=2,
        max_overflow=0,
        pool_timeout=SINGLE_READ_TIMEOUT_SECONDS,
        pool_reset_on_return=None,
        connect_args={
            "connect_timeout": SINGLE_READ_TIMEOUT_SECONDS,
            "options": f"-c statement_timeout={SINGLE_READ_TIMEOUT_SECONDS * 1000}",
        },
    )


@dataclass(frozen=True)
class _Plain:
    """A select compiled once for one dialect, for `fetch_first`."""

    sql: str
    positions: tuple[str, ...] | None  # parameter names in order for a positional driver (SQLite)
    processors: tuple[Callable[[Any], Any] | None, ...]
    row: Callable[..., Any]  # a namedtuple class


_PLAIN: dict[tuple[Select[Any], str], _Plain] = {}


def _plain(statement: Select[Any], dialect: Dialect) -> _Plain:
    key = (statement, dialect.name)
    if key not in _PLAIN:
        compiled = statement.compile(dialect=dialect)
        if any(bind.type.bind_processor(dialect) is not None for bind in compiled.binds.values()):
            raise ValueError("fetch_first takes only parameters the driver accepts as they are")
        columns = statement.selected_columns
        _PLAIN[key] = _Plain(
            sql=str(compiled),
            positions=tuple(compiled.positiontup or ()) if compiled.positional else None,
            processors=tuple(column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns),
            row=namedtuple("PlainRow", columns.keys()),
        )
    return _PLAIN[key]


def fetch_first(db: Session | Connection, statement: Select[Any], params: Mapping[str, Any]) -> Any:
    """The first row of `statement` (attributes named as its columns, values as SQLAlchemy gives them), or
    None: run on the driver's cursor, without SQLAlchemy's execution and result layers. For the one
    statement on the hot path (the page cache's check: 80 µs instead of 170 µs on PostgreSQL here);
    compiled once per statement object and dialect, so pass a module-level constant. Driver errors are
    raised as SQLAlchemy's DBAPIError; a connection the database dropped is invalidated, as `execute` does."""
    if isinstance(db, Session):
        if db.autoflush:  # as Session.execute would: pending changes are part of what it reads
            db.flush()
        connection = db.connection()
    else:
        connection = db
    dialect = connection.dialect
    plain = _plain(statement, dialect)
    args: Any = params if plain.positions is None else tuple(params[name] for name in plain.positions)
    driver = connection.connection
    cursor = driver.cursor()
    try:
        cursor.execute(plain.sql, args)
        values = cursor.fetchone()
    except dialect.loaded_dbapi.Error as error:
        if dialect.is_disconnect(error, driver, cursor):
            connection.invalidate()
        raise DBAPIError.instance(plain.sql, args, error, dialect.loaded_dbapi.Error) from error
    finally:
        cursor.close()
    if values is None:
        return None
    return plain.row(*(value if to is None else to(value) for value, to in zip(values, plain.processors, strict=True)))


def _short_busy_timeout(dbapi_conn: Any, _record: Any) -> None:
    # A check's touch of the last-seen time waits at most this long for the write lock.
    dbapi_conn.execute(f"PRAGMA busy_timeout={SINGLE_READ_TIMEOUT_SECONDS * 1000}")


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
