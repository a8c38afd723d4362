"""A long export on SQLite reads a snapshot without the write lock: team members can save meanwhile."""

import sqlite3
from typing import Any

import pytest
from sqlalchemy import select

from app.export import files
from app.models import Initiative
from app.web import exports
from tests.safety.conftest import World
from tests.support.databases import backend


def test_writers_are_not_kept_waiting_by_an_export(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    if backend() != "sqlite":
        pytest.skip("the write lock of a whole database file is SQLite's")
    with world.engine.connect() as conn:
        organisation_id = conn.scalar(select(Initiative.organisation_id))
    path = world.engine.url.database
    assert path is not None
    real_export = exports.export
    written: list[str] = []

    def export_while_someone_saves(*args: Any, **kwargs: Any) -> Any:
        file = real_export(*args, **kwargs)
        # Another process saving a value while the export is still rendering: it gets the lock at once.
        other = sqlite3.connect(path, timeout=0.05, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO audit_events (action, entity, at) VALUES ('create', 'other', '2024-01-01')")
        other.execute("COMMIT")
        other.close()
        written.append("saved")
        return file

    monkeypatch.setattr(exports, "export", export_while_someone_saves)
    monkeypatch.setattr(files, "export", export_while_someone_saves)
    world.client.login(world.member_email)
    direct = world.client.get(f"/organisations/{organisation_id}/export?format=json")
    assert direct.status_code == 200, direct.text
    prepared = world.client.get(f"/organisations/{organisation_id}/export/prepare?format=csv")
    assert prepared.status_code in (200, 303)
    assert written == ["saved", "saved"]
