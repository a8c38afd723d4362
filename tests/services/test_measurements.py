"""Measurements service: one value per period, validation, revival, history and conflicts."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import AuditEvent, Measure
from app.models.enums import Role
from app.services import measurements as service
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound


@pytest.fixture
def member(make: Any) -> tuple[Any, Principal]:
    initiative = make.initiative()
    return initiative, Principal.of(make.user(Role.MEMBER, initiative))


def measure_of(make: Any, initiative: Any, **kw: Any) -> Measure:
    return make.measure(initiative, **kw)  # type: ignore[no-any-return]


def field_error(**kwargs: Any) -> dict[str, str]:
    with pytest.raises(InvalidInput) as info:
        service.compute_reading(**kwargs)
    return info.value.by_field()


class TestComputeReading:
    def test_proportion_is_percent(self) -> None:
        reading = service.compute_reading("proportion", numerator=3, denominator=4)
        assert reading.value == 75.0

    def test_proportion_boundaries(self) -> None:
        assert service.compute_reading("proportion", numerator=0, denominator=1).value == 0
        assert service.compute_reading("proportion", numerator=5, denominator=5).value == 100
        assert "numerator" in field_error(data_type="proportion", numerator=6, denominator=5)
        assert "denominator" in field_error(data_type="proportion", numerator=0, denominator=0)
        assert "numerator" in field_error(data_type="proportion", numerator=-1, denominator=5)
        assert "denominator" in field_error(data_type="proportion", numerator=1)

    def test_rate_uses_multiplier_and_may_exceed_denominator(self) -> None:
        reading = service.compute_reading("rate", rate_multiplier=1000, numerator=3, denominator=2)
        assert reading.value == 1500
        assert "denominator" in field_error(data_type="rate", numerator=3, denominator=0)

    def test_value_sent_with_fraction_must_agree(self) -> None:
        assert service.compute_reading("proportion", value=75, numerator=3, denominator=4).value == 75
        assert "value" in field_error(data_type="proportion", value=70, numerator=3, denominator=4)

    def test_count_is_a_non_negative_integer(self) -> None:
        assert service.compute_reading("count", value=0).value == 0
        assert "value" in field_error(data_type="count", value=-1)
        assert "value" in field_error(data_type="count", value=2.5)

    def test_value_must_be_finite_and_present(self) -> None:
        assert service.compute_reading("value", value=-4.2).value == -4.2
        assert "value" in field_error(data_type="value", value=float("nan"))
        assert "value" in field_error(data_type="value", value=float("inf"))
        assert "value" in field_error(data_type="value", value=1e13)
        assert "value" in field_error(data_type="value")
        assert "value" in field_error(data_type="value", numerator=1, denominator=2)


def test_period_must_fit_frequency_and_not_be_in_the_future(
    db: Session, make: Any, member: tuple[Any, Principal]
) -> None:
    initiative, principal = member
    weekly = measure_of(make, initiative)
    monthly = measure_of(make, initiative, frequency="month")
    for measure, bad in ((weekly, "2024-03"), (weekly, "2024-W54"), (weekly, "abc"), (monthly, "2024-W07")):
        with pytest.raises(InvalidInput) as info:
            service.log_value(db, principal, measure_id=measure.id, period=bad, value=1)
        assert "period" in info.value.by_field()
    with pytest.raises(InvalidInput) as info:
        service.log_value(db, principal, measure_id=weekly.id, period="2024-W10", value=1, as_of=date(2024, 3, 1))
    assert "period" in info.value.by_field()
    # The running week may be logged.
    row = service.log_value(db, principal, measure_id=weekly.id, period="2024-W09", value=1, as_of=date(2024, 3, 1))
    assert row.period == "2024-W09"


def test_create_then_duplicate_is_conflict_with_current(db: Session, make: Any, member: tuple[Any, Principal]) -> None:
    initiative, principal = member
    measure = measure_of(make, initiative)
    row = service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=4.2, comment="Sjukdom")
    assert (row.value, row.comment, row.created_by_id) == (4.2, "Sjukdom", principal.user_id)
    with pytest.raises(Conflict) as info:
        service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=5)
    assert info.value.current is not None
    assert info.value.current["value"] == 4.2
    assert info.value.current["version"] == row.version


def test_correction_needs_current_version(db: Session, make: Any, member: tuple[Any, Principal]) -> None:
    initiative, principal = member
    measure = measure_of(make, initiative)
    row = service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=4)
    read = row.version
    service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=5, version=read)
    assert row.value == 5
    with pytest.raises(Conflict) as info:
        service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=6, version=read)
    assert info.value.current is not None
    assert info.value.current["value"] == 5
    assert row.value == 5
    # The bulk import overwrites after its preview, without a version.
    service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=7, replace=True)
    assert row.value == 7


def test_unchanged_input_writes_nothing(db: Session, make: Any, member: tuple[Any, Principal]) -> None:
    initiative, principal = member
    measure = measure_of(make, initiative)
    row = service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=4)
    version = row.version
    service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=4, version=version)
    assert row.version == version
    assert len(service.history(db, principal, measure_id=measure.id)) == 1


def test_delete_and_revive_keep_history(db: Session, make: Any, member: tuple[Any, Principal]) -> None:
    initiative, principal = member
    measure = measure_of(make, initiative, data_type="proportion", unit="%")
    service.log_value(db, principal, measure_id=measure.id, period="2024-W07", numerator=3, denominator=4)
    service.delete_measurement(db, principal, measure_id=measure.id, period="2024-W07")
    _, rows = service.list_measurements(db, principal, measure_id=measure.id)
    assert rows == []
    with pytest.raises(NotFound):
        service.delete_measurement(db, principal, measure_id=measure.id, period="2024-W07")
    # Logging the period again revives the same row, without needing a version.
    revived = service.log_value(db, principal, measure_id=measure.id, period="2024-W07", numerator=1, denominator=2)
    assert revived.deleted_at is None
    assert revived.value == 50
    actions = [r.action for r in service.history(db, principal, measure_id=measure.id)]
    assert actions == ["restore", "delete", "create"]
    audit = db.scalars(
        select(AuditEvent.action).where(AuditEvent.entity == "measurement").order_by(AuditEvent.id)
    ).all()
    assert audit == ["create", "delete", "restore"]


def test_history_names_who_changed_what(db: Session, make: Any, member: tuple[Any, Principal]) -> None:
    initiative, principal = member
    other = Principal.of(make.user(Role.MEMBER, initiative, name="Berit Berg"))
    measure = measure_of(make, initiative)
    row = service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=4)
    service.log_value(db, other, measure_id=measure.id, period="2024-W07", value=3, version=row.version)
    revisions = service.history(db, principal, measure_id=measure.id, period="2024-W07")
    assert [(r.action, r.value) for r in revisions] == [("update", 3), ("create", 4)]
    assert revisions[0].changed_by is not None
    assert revisions[0].changed_by.name == "Berit Berg"
    assert row.updated_by_id == other.user_id


def test_comment_is_checked_for_personal_numbers(db: Session, make: Any, member: tuple[Any, Principal]) -> None:
    initiative, principal = member
    measure = measure_of(make, initiative)
    with pytest.raises(InvalidInput) as info:
        service.log_value(
            db, principal, measure_id=measure.id, period="2024-W07", value=4, comment="Gäller 121212-1212"
        )
    assert "comment" in info.value.by_field()
    with pytest.raises(InvalidInput):
        service.log_value(db, principal, measure_id=measure.id, period="2024-W07", value=4, comment="x" * 2001)


def test_readers_may_not_log(db: Session, make: Any) -> None:
    initiative = make.initiative()
    measure = measure_of(make, initiative)
    leader = Principal.of(make.user(Role.LEADER, initiative.organisation))
    with pytest.raises(Forbidden):
        service.log_value(db, leader, measure_id=measure.id, period="2024-W07", value=4)
    with pytest.raises(NotFound):
        service.log_value(db, Principal.of(make.user()), measure_id=measure.id, period="2024-W07", value=4)


def test_weekly_sheet_groups_members_measures(db: Session, make: Any, member: tuple[Any, Principal]) -> None:
    initiative, principal = member
    weekly = measure_of(make, initiative, name="A")
    monthly = measure_of(make, initiative, name="B", frequency="month")
    make.measure(make.initiative(), name="Not mine")
    make.measurement(weekly, "2024-W05", 3)
    make.measurement(weekly, "2024-W07", 4)
    make.measurement(monthly, "2024-01", 9)
    groups = service.weekly_sheet(db, principal, week="2024-W07")
    assert [g.initiative.id for g in groups] == [initiative.id]
    rows = {r.measure.name: r for r in groups[0].rows}
    assert set(rows) == {"A", "B"}
    assert rows["A"].current is not None
    assert rows["A"].previous is not None
    assert rows["A"].previous.period == "2024-W05"
    # Week 7 2024 (12-18 Feb) belongs to February by its Thursday.
    assert rows["B"].period == "2024-02"
    assert rows["B"].current is None
    assert rows["B"].previous is not None
    assert rows["B"].previous.value == 9


def test_weekly_sheet_for_admin_everything(db: Session, make: Any) -> None:
    make.measure(make.initiative())
    admin = Principal.of(make.user(admin=True))
    assert service.weekly_sheet(db, admin, week="2024-W07") == []
    assert service.weekly_sheet(db, admin, week="2024-W07", everything=True)


def test_weekly_sheet_leaves_out_finished_initiatives(db: Session, make: Any) -> None:
    done = make.initiative(status="completed")
    principal = Principal.of(make.user(Role.MEMBER, done))
    make.measure(done)
    assert service.weekly_sheet(db, principal, week="2024-W07") == []


@pytest.mark.parametrize("month", ["2024-01", "2024-02", "2024-12", "2026-03"])
def test_correct_link_week_shows_the_month(make: Any, month: str) -> None:
    measure = measure_of(make, make.initiative(), frequency="month")
    assert service.row_period(measure, service.week_of(month)) == month
    assert service.week_of("2024-W07") == "2024-W07"
