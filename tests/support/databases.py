"""Fresh, migrated test databases on SQLite or PostgreSQL."""

import os
import tempfile
import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from app.cli import alembic_config
from app.core.db import make_engine
from tests.support.pg_available import postgres_url


def backend() -> str:
    return os.environ.get("FRAMSTEG_TEST_DB", "sqlite")


def new_database_url(label: str = "t") -> str:
    """Create an empty database of the selected backend and return its URL."""
    if backend() == "postgres":
        base = make_url(postgres_url())
        name = f"framsteg_{label}_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return base.set(database=name).render_as_string(hide_password=False)
    directory = Path(tempfile.mkdtemp(prefix="framsteg-test-"))
    return f"sqlite:///{directory / 'test.db'}"


def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(make_url(postgres_url()), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
    admin.dispose()


def migrated_engine(url: str) -> Engine:
    command.upgrade(alembic_config(url), "head")
    return make_engine(url)
