"""Database faults answer 503 with a retry message (JSON under /api, a page elsewhere), never a 500 trace,
and leave nothing half-written: the request's one transaction is rolled back.

These tests use the app's real session dependency (commit before the response, rollback and close on
error) on a database of their own, not the rolled-back test transaction of the other tests.
"""

from typing import Any

import pytest
from fastapi import APIRouter
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session

from app.models import AuditEvent, Measurement
from app.web.deps import DbSession, OptionalUser
from tests.safety.conftest import World


def _lost(kind: type[DBAPIError] = OperationalError) -> DBAPIError:
    return kind("SELECT 1", None, Exception("server closed the connection unexpectedly"))


FAULTS: dict[str, Exception] = {
    "operational": _lost(OperationalError),
    "interface": _lost(InterfaceError),
    "invalidated": DBAPIError("SELECT 1", None, Exception("connection lost"), connection_invalidated=True),
    "disconnection": DisconnectionError("connection is gone"),
    "pending-rollback": PendingRollbackError("This Session's transaction has been rolled back"),
    "pool-timeout": PoolTimeoutError("QueuePool limit of size 5 overflow 10 reached"),
}

faults = APIRouter()


@faults.get("/api/v1/test-fault/{name}")
@faults.get("/test-fault/{name}")
def write_then_fail(name: str, db: DbSession, user: OptionalUser) -> None:
    """Test-only route: writes a row, then the database 'fails'."""
    db.add(AuditEvent(action="create", entity="fault-test", entity_id=None))
    db.flush()
    if name == "refused-value":
        raise DataError("INSERT ...", None, Exception("PostgreSQL text fields cannot contain NUL (0x00) bytes"))
    raise FAULTS[name] if name in FAULTS else _lost(IntegrityError)


@pytest.fixture
def world(world: World) -> World:
    world.app.include_router(faults)
    return world


def _count(engine: Engine, model: Any, *where: Any) -> int:
    with Session(engine) as db:
        return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_database_faults_are_503_with_nothing_written(world: World) -> None:
    world.client.login(world.member_email)
    for name in FAULTS:
        api = world.client.get(f"/api/v1/test-fault/{name}")
        assert api.status_code == 503, name
        assert api.headers["retry-after"] == "5"
        assert api.json()["detail"]  # the retry message, in the request's language

        page = world.client.get(f"/test-fault/{name}")
        assert page.status_code == 503, name
        assert page.headers["retry-after"] == "5"
        assert page.headers["content-type"].startswith("text/html")
        assert "Maja Medlem" in page.text  # the layout still knows who is signed in
    assert _count(world.engine, AuditEvent, AuditEvent.entity == "fault-test") == 0


def test_a_value_the_database_refuses_is_422_with_nothing_written(world: World) -> None:
    world.client.login(world.member_email)
    api = world.client.get("/api/v1/test-fault/refused-value")
    assert api.status_code == 422
    assert api.json()["detail"][0]["loc"] == ["body"]
    assert "NUL" in api.json()["detail"][0]["msg"]
    page = world.client.get("/test-fault/refused-value")
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert _count(world.engine, AuditEvent, AuditEvent.entity == "fault-test") == 0


def test_other_database_errors_stay_500(world: World) -> None:
    with pytest.raises(IntegrityError):  # not swallowed: the server answers 500 and logs the bug
        world.client.get("/api/v1/test-fault/integrity")
    assert _count(world.engine, AuditEvent, AuditEvent.entity == "fault-test") == 0


def test_error_pages_of_a_signed_in_user_render_after_the_rollback(world: World) -> None:
    world.client.login(world.member_email)
    missing = world.client.get("/initiatives/999999/trash")
    assert missing.status_code == 404
    assert "Maja Medlem" in missing.text


def test_a_failing_commit_is_503_and_saves_nothing(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    real_commit = Session.commit

    def commit_fails(self: Session) -> None:
        if self.new or self.dirty or any(isinstance(o, Measurement) for o in self.identity_map.values()):
            raise _lost()
        real_commit(self)

    monkeypatch.setattr(Session, "commit", commit_fails)
    url = f"/api/v1/measures/{world.measure_id}/measurements/2024-W07"
    headers = {"Authorization": f"Bearer {world.token}"}
    refused = world.client.put(url, json={"value": 4.5}, headers=headers)
    assert refused.status_code == 503, refused.text
    monkeypatch.setattr(Session, "commit", real_commit)
    assert _count(world.engine, Measurement) == 0
    assert _count(world.engine, AuditEvent, AuditEvent.entity == "measurement") == 0

    stored = world.client.put(url, json={"value": 4.5}, headers=headers)
    assert stored.status_code in (200, 201), stored.text
    assert _count(world.engine, Measurement) == 1


def test_health_reports_an_unreachable_database(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> Any:
        raise _lost()

    monkeypatch.setattr(Session, "execute", unreachable)
    answer = world.client.get("/api/v1/health")
    assert answer.status_code == 503
    assert answer.json()["database"] == "unavailable"
