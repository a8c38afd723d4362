"""Helpers for the data-safety tests: fresh databases of a chosen kind, independent of FRAMSTEG_TEST_DB."""

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from app.core.db import make_engine
from tests.support.databases import migrated_engine
from tests.support.pg_available import available, postgres_url


def require_postgres() -> None:
    """Skip when PostgreSQL does not answer; under CI=true that is a failure instead."""
    if available(postgres_url()):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"PostgreSQL is required under CI but not reachable at {postgres_url()}")
    pytest.skip(f"PostgreSQL not reachable at {postgres_url()}")


def create_postgres_database(label: str) -> str:
    base = make_url(postgres_url())
    name = f"framsteg_{label}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    admin = create_engine(make_url(postgres_url()), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


NewDatabase = Callable[..., Engine]


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[NewDatabase]:
    """new_database("sqlite" | "postgres", migrate=True): an empty database, dropped after the test."""
    engines: list[Engine] = []
    pg_urls: list[str] = []

    def make(kind: str, *, migrate: bool = True) -> Engine:
        if kind == "postgres":
            require_postgres()
            url = create_postgres_database("safety")
            pg_urls.append(url)
        else:
            url = f"sqlite:///{tmp_path / f'{uuid.uuid4().hex[:8]}.db'}"
        engine = migrated_engine(url) if migrate else make_engine(url)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()
    for url in pg_urls:
        drop_postgres_database(url)
