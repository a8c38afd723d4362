"""Measures service: validation, access, versions, soft delete and audit."""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import AuditEvent, Measure
from app.models.enums import Role
from app.services import measures as service
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound

DATA = service.MeasureData(
    name="Handläggningstid",
    kind="outcome",
    data_type="value",
    definition="Dagar från ansökan till beslut, medianen per vecka, räknat av enhetschefen.",
    direction="decrease",
    frequency="week",
    unit="dagar",
    baseline=21.0,
    target=14.0,
    target_date=date(2025, 6, 30),
)


@pytest.fixture
def team(make: Any) -> tuple[Any, Principal]:
    initiative = make.initiative()
    return initiative, Principal.of(make.user(Role.MEMBER, initiative))


def errors_of(data: service.MeasureData) -> dict[str, str]:
    with pytest.raises(InvalidInput) as info:
        service.validate(data)
    return info.value.by_field()


def test_create_records_audit_and_position(db: Session, team: tuple[Any, Principal]) -> None:
    initiative, member = team
    first = service.create_measure(db, member, initiative_id=initiative.id, data=DATA)
    second = service.create_measure(db, member, initiative_id=initiative.id, data=replace(DATA, name="Andra"))
    assert second.position == first.position + 1
    event = db.scalar(select(AuditEvent).where(AuditEvent.entity == "measure", AuditEvent.entity_id == first.id))
    assert event is not None
    assert event.action == "create"
    assert event.initiative_id == initiative.id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"definition": ""}, "definition"),
        ({"definition": "   "}, "definition"),
        ({"kind": "other"}, "kind"),
        ({"data_type": "ratio"}, "data_type"),
        ({"direction": "up"}, "direction"),
        ({"frequency": "day"}, "frequency"),
        ({"chart": "xbar"}, "chart"),
        ({"chart": "p"}, "chart"),  # a p chart needs proportion data
        ({"freeze": 1}, "freeze"),
        ({"baseline": float("nan")}, "baseline"),
        ({"target": float("inf")}, "target"),
        ({"target_date": date(1999, 12, 31)}, "target_date"),
        ({"data_type": "rate", "rate_multiplier": 0.0}, "rate_multiplier"),
        ({"data_type": "rate", "rate_multiplier": -5.0}, "rate_multiplier"),
        ({"data_type": "proportion", "target": 101.0}, "target"),
        ({"data_type": "count", "baseline": -1.0}, "baseline"),
    ],
)
def test_validation_rejects(change: dict[str, Any], field: str) -> None:
    assert field in errors_of(replace(DATA, **change))


def test_validation_boundaries_accept() -> None:
    assert service.validate(replace(DATA, freeze=2)).freeze == 2
    proportion = service.validate(replace(DATA, data_type="proportion", unit="", chart="p", baseline=0, target=100))
    assert proportion.unit == "%"
    rate = service.validate(replace(DATA, data_type="rate", rate_multiplier=1000.0, chart="u"))
    assert rate.rate_multiplier == 1000.0
    # A multiplier means nothing for other data types; it is kept neutral.
    assert service.validate(replace(DATA, rate_multiplier=5.0)).rate_multiplier == 1.0


def test_personal_number_in_definition_needs_confirmation(db: Session, team: tuple[Any, Principal]) -> None:
    initiative, member = team
    data = replace(DATA, definition="Fråga brukaren 19121212-1212 varje vecka.")
    with pytest.raises(InvalidInput) as info:
        service.create_measure(db, member, initiative_id=initiative.id, data=data)
    assert info.value.errors[0].type == "personal_number"
    assert service.create_measure(db, member, initiative_id=initiative.id, data=data, confirm_personal_data=True)


def test_access_invisible_is_not_found_and_reader_is_forbidden(db: Session, make: Any) -> None:
    initiative = make.initiative()
    measure = make.measure(initiative)
    stranger = Principal.of(make.user())
    viewer = Principal.of(make.user(Role.VIEWER, initiative.organisation))
    with pytest.raises(NotFound):
        service.get_visible_measure(db, stranger, measure.id)
    with pytest.raises(NotFound):
        service.create_measure(db, stranger, initiative_id=initiative.id, data=DATA)
    assert service.get_visible_measure(db, viewer, measure.id) is measure
    with pytest.raises(Forbidden):
        service.create_measure(db, viewer, initiative_id=initiative.id, data=DATA)
    with pytest.raises(Forbidden):
        service.update_measure(db, viewer, measure_id=measure.id, version=measure.version, changes={"name": "x"})


def test_update_checks_version_and_audits(db: Session, team: tuple[Any, Principal]) -> None:
    initiative, member = team
    measure = service.create_measure(db, member, initiative_id=initiative.id, data=DATA)
    version = measure.version
    service.update_measure(db, member, measure_id=measure.id, version=version, changes={"target": 12.0})
    assert measure.target == 12.0
    assert measure.version == version + 1
    with pytest.raises(Conflict) as info:
        service.update_measure(db, member, measure_id=measure.id, version=version, changes={"target": 10.0})
    assert info.value.current is not None
    assert info.value.current["target"] == 12.0
    events = db.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == measure.id)).all()
    assert "update" in events


def test_frequency_and_data_type_are_fixed_once_values_exist(
    db: Session, make: Any, team: tuple[Any, Principal]
) -> None:
    initiative, member = team
    measure = service.create_measure(db, member, initiative_id=initiative.id, data=DATA)
    make.measurement(measure, "2024-W01", 5)
    with pytest.raises(InvalidInput) as info:
        service.update_measure(
            db, member, measure_id=measure.id, version=measure.version, changes={"frequency": "month"}
        )
    assert "frequency" in info.value.by_field()


def test_new_rate_multiplier_rescales_values(db: Session, make: Any, team: tuple[Any, Principal]) -> None:
    initiative, member = team
    data = replace(DATA, data_type="rate", rate_multiplier=1.0, direction="decrease", baseline=None, target=None)
    measure = service.create_measure(db, member, initiative_id=initiative.id, data=data)
    row = make.measurement(measure, "2024-W01", 0.5, numerator=1, denominator=2, is_rate=True)
    service.update_measure(
        db, member, measure_id=measure.id, version=measure.version, changes={"rate_multiplier": 1000.0}
    )
    db.flush()
    assert row.value == 500


def test_delete_is_soft_and_hides_the_measure(db: Session, team: tuple[Any, Principal]) -> None:
    initiative, member = team
    measure = service.create_measure(db, member, initiative_id=initiative.id, data=DATA)
    service.delete_measure(db, member, measure_id=measure.id)
    assert db.get(Measure, measure.id) is not None
    assert measure.deleted_at is not None
    with pytest.raises(NotFound):
        service.get_visible_measure(db, member, measure.id)
    assert service.list_measures(db, member, initiative_id=initiative.id) == []
