"""fetch_first (app.core.db): the page cache's check on the driver's cursor must read exactly what
SQLAlchemy's own execution would, on both databases, and fail the same way."""

from typing import Any

import pytest
from sqlalchemy import Engine, bindparam, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token, open_session, token_digest
from app.core.config import Settings
from app.core.db import fetch_first
from app.models import DataVersion, UserSession
from app.models.base import UTCDateTime
from app.web.page_cache import _CHECKS

VERSION = select(DataVersion.epoch, DataVersion.version)


def _both(db: Session, api: bool, token: str) -> tuple[Any, Any]:
    params = {"hash": token_digest(token)}
    return fetch_first(db, _CHECKS[api], params), db.execute(_CHECKS[api], params).first()


def test_a_session_reads_as_sqlalchemy_reads_it(db: Session, make: Any, settings: Settings) -> None:
    token = open_session(db, settings, make.user())
    plain, full = _both(db, api=False, token=token)
    assert full is not None
    assert tuple(plain) == tuple(full)
    assert plain.expires_at == full.expires_at
    assert plain.expires_at.tzinfo is not None
    assert plain.is_active is True
    assert (plain.epoch, plain.version) == (full.epoch, full.version)


def test_an_api_token_reads_as_sqlalchemy_reads_it(db: Session, make: Any) -> None:
    _, token = create_api_token(db, make.user(), "test")
    plain, full = _both(db, api=True, token=token)
    assert tuple(plain) == tuple(full)
    assert plain.expires_at is None
    assert plain.last_used_at is None


def test_an_unknown_token_gives_none(db: Session) -> None:
    assert _both(db, api=False, token="nobody") == (None, None)


def test_a_connection_works_like_a_session(engine: Engine) -> None:
    with engine.connect() as conn:
        assert tuple(fetch_first(conn, VERSION, {})) == tuple(conn.execute(VERSION).one())


def test_parameters_that_need_conversion_are_refused(db: Session) -> None:
    since = select(UserSession.id).where(UserSession.expires_at > bindparam("t", type_=UTCDateTime))
    with pytest.raises(ValueError, match="as they are"):
        fetch_first(db, since, {"t": None})


def test_a_connection_the_server_closed_is_dropped_from_the_pool(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        pytest.skip("a SQLite connection cannot be closed by a server")
    with engine.connect() as victim, engine.connect() as killer:
        pid = victim.exec_driver_sql("SELECT pg_backend_pid()").scalar()
        victim.commit()
        killer.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid or 0)})")
        with pytest.raises(DBAPIError):
            fetch_first(victim, VERSION, {})
        assert victim.invalidated
