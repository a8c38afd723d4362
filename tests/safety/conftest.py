"""Helpers for the data-safety tests: fresh databases of a chosen kind, independent of FRAMSTEG_TEST_DB."""

import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, make_url, text

from app.auth.sessions import create_api_token
from app.core import db as core_db
from app.core.config import Settings
from app.core.db import make_engine, session_scope
from app.core.i18n import language
from app.main import create_app
from app.models import Initiative, Measure, Organisation
from app.models.enums import Role
from app.services.users import create_user, grant
from tests.support.databases import backend, migrated_engine
from tests.support.pg_available import available, postgres_url
from tests.support.web import PASSWORD, WebClient


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Service messages in English, whatever the catalogues translate (pages choose their own language)."""
    with language("en"):
        yield


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


@dataclass
class World:
    """The app with its real session dependency (commit before the response; rollback and close on error)
    on a database of its own: what a request really does, unlike the rolled-back `db` fixture."""

    engine: Engine
    app: FastAPI
    client: WebClient
    member_email: str
    token: str  # the member's API token
    leader_token: str
    initiative_id: int
    measure_id: int


@pytest.fixture
def world(new_database: NewDatabase, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    engine = new_database(backend())
    with session_scope(engine) as db:
        org = Organisation(name="Testkommun, Socialförvaltningen")
        db.add(org)
        db.flush()
        initiative = Initiative(title="Kortare väntetider", organisation_id=org.id, status="active")
        db.add(initiative)
        db.flush()
        member = create_user(db, email="member@example.se", name="Maja Medlem", password=PASSWORD)
        grant(db, member, Role.MEMBER, initiative_id=initiative.id)
        leader = create_user(db, email="leader@example.se", name="Lena Ledare", password=PASSWORD)
        grant(db, leader, Role.LEADER, organisation_id=org.id)
        measure = Measure(
            initiative_id=initiative.id,
            name="Väntetid",
            kind="outcome",
            data_type="value",
            definition="Dagar från ansökan till beslut.",
            direction="decrease",
            frequency="week",
        )
        db.add(measure)
        db.flush()
        _, token = create_api_token(db, member, "test")
        _, leader_token = create_api_token(db, leader, "test")
        ids = initiative.id, measure.id
    monkeypatch.setattr(core_db, "get_engine", lambda: engine)
    app = create_app(settings)
    with WebClient(app, settings) as client:
        yield World(engine, app, client, "member@example.se", token, leader_token, *ids)
