"""Every multi-row change is one transaction: a failure in the middle leaves nothing behind.

The failures are injected where they hurt most: after some rows of an import were written, and after a
status review was stored and the initiative's RAG and status changed. Requests go through the app's real
session dependency on a database of their own (the `world` fixture), so what is checked afterwards is
what a user would see.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import AuditEvent, Initiative, Measurement, MeasurementRevision, StatusReview
from app.services import audit, imports
from app.services import measurements as measurement_service
from tests.safety.conftest import World

CSV = "period;value\n" + "".join(f"2024-W{week:02d};{week * 1.5}\n" for week in range(1, 11))


class Boom(RuntimeError):
    """An unexpected failure in the middle of a change (a bug, a full disk)."""


def fail_on_call(real: Callable[..., Any], call: int, error: Exception) -> Callable[..., Any]:
    """`real`, except that call number `call` raises `error` (earlier calls do their work)."""
    calls = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == call:
            raise error
        return real(*args, **kwargs)

    return wrapper


def _count(engine: Engine, *columns: Any) -> int:
    with Session(engine) as db:
        return sum(db.scalar(select(func.count()).select_from(c)) or 0 for c in columns)


def _lost() -> OperationalError:
    return OperationalError("INSERT", None, Exception("server closed the connection unexpectedly"))


@pytest.mark.parametrize(("error", "status"), [(Boom("disk full"), None), (_lost(), 503)])
def test_an_import_failing_halfway_saves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch, error: Exception, status: int | None
) -> None:
    real = imports.write_reading
    monkeypatch.setattr(imports, "write_reading", fail_on_call(real, 6, error))
    url = f"/api/v1/measures/{world.measure_id}/measurements/import"
    headers = {"Authorization": f"Bearer {world.token}", "Content-Type": "text/csv"}
    if status is None:
        with pytest.raises(Boom):  # a bug: the server answers 500
            world.client.post(url, content=CSV.encode(), headers=headers)
    else:
        assert world.client.post(url, content=CSV.encode(), headers=headers).status_code == status
    assert _count(world.engine, Measurement, MeasurementRevision, AuditEvent) == 0

    monkeypatch.setattr(imports, "write_reading", real)
    done = world.client.post(url, content=CSV.encode(), headers=headers)
    assert done.status_code == 200, done.text
    assert done.json()["created"] == 10
    assert _count(world.engine, Measurement) == 10


def test_import_failure_keeps_the_values_logged_before(db: Session, make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Within one transaction, the import's own savepoint rolls back only the import."""
    initiative = make.initiative()
    member = make.user("member", initiative)
    measure = make.measure(initiative)
    principal = Principal.of(member)
    measurement_service.log_value(db, principal, measure_id=measure.id, period="2024-W03", value=7.0)
    monkeypatch.setattr(imports, "write_reading", fail_on_call(imports.write_reading, 4, Boom("disk full")))
    with pytest.raises(Boom):
        imports.save(db, principal, measure_id=measure.id, rows=imports.read_csv(CSV))
    values = db.scalars(select(Measurement).where(Measurement.measure_id == measure.id)).all()
    assert [(m.period, m.value) for m in values] == [("2024-W03", 7.0)]


REVIEW = {
    "review_date": date.today().isoformat(),
    "rag": "red",
    "assessment": "Ingen förbättring syns ännu.",
    "decision": "Avsluta arbetet.",
    "status": "stopped",
}


def _initiative_state(engine: Engine, initiative_id: int) -> tuple[str, str | None, int]:
    with Session(engine) as db:
        initiative = db.get(Initiative, initiative_id)
        assert initiative is not None
        return initiative.status, initiative.rag, initiative.version


@pytest.mark.parametrize(("error", "status"), [(Boom("disk full"), None), (_lost(), 503)])
def test_a_review_failing_after_the_status_change_saves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch, error: Exception, status: int | None
) -> None:
    before = _initiative_state(world.engine, world.initiative_id)
    # The second audit event is the initiative's: the review is stored and RAG and status changed by then.
    real = audit.record
    monkeypatch.setattr(audit, "record", fail_on_call(real, 2, error))
    url = f"/api/v1/initiatives/{world.initiative_id}/reviews"
    headers = {"Authorization": f"Bearer {world.leader_token}"}
    if status is None:
        with pytest.raises(Boom):
            world.client.post(url, json=REVIEW, headers=headers)
    else:
        assert world.client.post(url, json=REVIEW, headers=headers).status_code == status
    assert _initiative_state(world.engine, world.initiative_id) == before
    assert _count(world.engine, StatusReview, AuditEvent) == 0

    monkeypatch.setattr(audit, "record", real)
    done = world.client.post(url, json=REVIEW, headers=headers)
    assert done.status_code == 201, done.text
    status_after, rag_after, _ = _initiative_state(world.engine, world.initiative_id)
    assert (status_after, rag_after) == ("stopped", "red")
    assert _count(world.engine, StatusReview) == 1
    assert _count(world.engine, AuditEvent) == 2
