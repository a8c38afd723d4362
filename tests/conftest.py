"""Shared fixtures: one migrated database per run, one rolled-back transaction per test."""

import os
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session

os.environ.setdefault("FRAMSTEG_ENVIRONMENT", "test")
os.environ.setdefault("FRAMSTEG_SECRET_KEY", "test-secret-key-that-is-long-enough-123456")

from app.core.config import Settings, get_settings
from app.main import create_app
from app.web.deps import get_db
from tests.support.databases import drop_database, migrated_engine, new_database_url
from tests.support.web import WebClient, cache_reader


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = new_database_url("unit")
    yield url
    drop_database(url)


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = migrated_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test; commits become savepoints."""
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    yield session
    session.close()
    transaction.rollback()
    connection.close()


@pytest.fixture
def settings() -> Settings:
    return get_settings()


@pytest.fixture
def app(db: Session, settings: Settings) -> FastAPI:
    application = create_app(settings, cache_reader=cache_reader(lambda: db))

    def override_db() -> Iterator[Session]:
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise

    application.dependency_overrides[get_db] = override_db
    return application


@pytest.fixture
def client(app: FastAPI, settings: Settings) -> Iterator[WebClient]:
    with WebClient(app, settings) as c:
        yield c


@pytest.fixture
def make(db: Session) -> Any:
    """Factories bound to the test session: make.user(...), make.initiative(...), ..."""
    from tests.support.factories import Factories

    return Factories(db)
