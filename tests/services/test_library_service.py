"""Measure library: who may define and adopt standard measures, versions, and the comparison."""

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import AuditEvent, Initiative, Program
from app.models.enums import Role
from app.services import library
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.library import DefinitionData
from tests.support.queries import count_queries

DEFINITION = DefinitionData(
    name="Andel brukare som är nöjda med bemötandet",
    kind="outcome",
    data_type="proportion",
    unit="%",
    definition="Täljare: antal som svarar 4 eller 5. Nämnare: antal som svarat under månaden.",
    direction="increase",
    frequency="month",
    chart="p",
)


def _setup(make: Any) -> tuple[Program, Any, Initiative]:
    program = make.program()
    coordinator = make.user(Role.COORDINATOR, program)
    initiative = make.initiative(program=program)
    return program, coordinator, initiative


def _create(db: Session, user: Any, program: Program, **changes: Any) -> Any:
    data = DefinitionData(**{**DEFINITION.__dict__, **changes})
    return library.create_library_measure(db, Principal.of(user), program_id=program.id, data=data)


def test_coordinator_defines_a_standard_measure(db: Session, make: Any) -> None:
    program, coordinator, _ = _setup(make)
    item = _create(db, coordinator, program)
    assert item.current.number == 1
    assert item.current.name == DEFINITION.name
    assert item.created_by_id == coordinator.id
    event = db.scalar(select(AuditEvent).where(AuditEvent.entity == "library_measure"))
    assert event is not None
    assert event.action == "create"
    entries = library.list_library(db, Principal.of(coordinator), program_id=program.id)
    assert [e.current.name for e in entries] == [DEFINITION.name]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADER, Role.VIEWER])
def test_others_may_not_define(db: Session, make: Any, role: Role) -> None:
    program, _, initiative = _setup(make)
    scope = {Role.MEMBER: initiative, Role.LEADER: initiative.organisation, Role.VIEWER: initiative.organisation}
    user = make.user(role, scope[role])
    with pytest.raises(Forbidden):
        _create(db, user, program)


def test_coordinator_of_another_programme_does_not_see_it(db: Session, make: Any) -> None:
    program, coordinator, _ = _setup(make)
    item = _create(db, coordinator, program)
    stranger = make.user(Role.COORDINATOR, make.program())
    with pytest.raises(NotFound):
        _create(db, stranger, program)
    with pytest.raises(NotFound):
        library.get_library_measure(db, Principal.of(stranger), item.id)
    with pytest.raises(NotFound):
        library.list_library(db, Principal.of(stranger), program_id=program.id)


def test_invalid_definition_and_duplicate_name(db: Session, make: Any) -> None:
    program, coordinator, _ = _setup(make)
    with pytest.raises(InvalidInput) as exc:
        _create(db, coordinator, program, name=" ", definition="", data_type="ratio")
    assert set(exc.value.by_field()) == {"name", "definition", "data_type"}
    _create(db, coordinator, program)
    with pytest.raises(InvalidInput) as exc:
        _create(db, coordinator, program, name=DEFINITION.name.upper())
    assert "name" in exc.value.by_field()


def test_change_adds_a_version_and_keeps_history(db: Session, make: Any) -> None:
    program, coordinator, _ = _setup(make)
    item = _create(db, coordinator, program)
    principal = Principal.of(coordinator)
    updated = library.update_library_measure(
        db,
        principal,
        library_measure_id=item.id,
        version=item.version,
        changes={"definition": DEFINITION.definition + " Svar från anhöriga räknas inte."},
        change_note="Anhörigas svar räknas inte längre.",
    )
    assert [v.number for v in updated.versions] == [1, 2]
    assert updated.versions[0].definition == DEFINITION.definition
    assert updated.current.change_note == "Anhörigas svar räknas inte längre."
    # Unchanged definition: no new version.
    same = library.update_library_measure(
        db, principal, library_measure_id=item.id, version=updated.version, changes={}, change_note=""
    )
    assert same.current_number == 2


def test_change_needs_current_version_a_note_and_the_same_data_type(db: Session, make: Any) -> None:
    program, coordinator, _ = _setup(make)
    item = _create(db, coordinator, program)
    principal = Principal.of(coordinator)
    with pytest.raises(Conflict):
        library.update_library_measure(
            db, principal, library_measure_id=item.id, version=item.version + 5, changes={"unit": "st"}, change_note="x"
        )
    with pytest.raises(InvalidInput) as exc:
        library.update_library_measure(
            db, principal, library_measure_id=item.id, version=item.version, changes={"unit": "st"}, change_note=" "
        )
    assert "change_note" in exc.value.by_field()
    with pytest.raises(InvalidInput) as exc:
        library.update_library_measure(
            db,
            principal,
            library_measure_id=item.id,
            version=item.version,
            changes={"data_type": "value", "frequency": "week"},
            change_note="Byt",
        )
    assert set(exc.value.by_field()) == {"data_type", "frequency"}


def test_team_adopts_and_moves_to_the_new_version(db: Session, make: Any) -> None:
    program, coordinator, initiative = _setup(make)
    item = _create(db, coordinator, program)
    member = make.user(Role.MEMBER, initiative)
    adoption = library.adopt(db, Principal.of(member), initiative_id=initiative.id, library_measure_id=item.id)
    measure = adoption.measure
    assert (measure.name, measure.definition, measure.data_type) == (
        DEFINITION.name,
        DEFINITION.definition,
        "proportion",
    )
    assert measure.library_version_id == item.current.id
    assert adoption.up_to_date
    assert not adoption.differs
    with pytest.raises(Conflict):
        library.adopt(db, Principal.of(member), initiative_id=initiative.id, library_measure_id=item.id)

    library.update_library_measure(
        db,
        Principal.of(coordinator),
        library_measure_id=item.id,
        version=item.version,
        changes={"name": "Andel nöjda med bemötandet", "definition": "Ny definition. Räknas varje månad."},
        change_note="Kortare namn och tydligare definition.",
    )
    status = library.measure_adoption(db, Principal.of(member), measure_id=measure.id)
    assert status is not None
    assert (status.version_number, status.latest_number, status.up_to_date) == (1, 2, False)
    panel = library.initiative_library(db, Principal.of(member), initiative_id=initiative.id)
    assert [a.measure.id for a in panel.adopted] == [measure.id]
    assert panel.available == []

    with pytest.raises(Conflict):
        library.move_to_latest(db, Principal.of(member), measure_id=measure.id, version=measure.version - 1)
    moved = library.move_to_latest(db, Principal.of(member), measure_id=measure.id, version=measure.version)
    assert moved.up_to_date
    assert measure.name == "Andel nöjda med bemötandet"
    assert measure.definition == "Ny definition. Räknas varje månad."
    assert measure.library_version_id == item.current.id
    events = db.scalars(select(AuditEvent).where(AuditEvent.entity == "measure", AuditEvent.entity_id == measure.id))
    assert any((e.after or {}).get("library_version_id") == item.current.id for e in events)


def test_adopting_needs_the_team_and_the_same_programme(db: Session, make: Any) -> None:
    program, coordinator, initiative = _setup(make)
    item = _create(db, coordinator, program)
    with pytest.raises(Forbidden):
        library.adopt(db, Principal.of(coordinator), initiative_id=initiative.id, library_measure_id=item.id)
    other = make.initiative()
    member = make.user(Role.MEMBER, other)
    # The member cannot see the programme's library at all.
    with pytest.raises(NotFound):
        library.adopt(db, Principal.of(member), initiative_id=other.id, library_measure_id=item.id)
    admin = make.user(admin=True)
    with pytest.raises(InvalidInput):
        library.adopt(db, Principal.of(admin), initiative_id=other.id, library_measure_id=item.id)


def test_moving_a_measure_not_from_the_library_is_invalid(db: Session, make: Any) -> None:
    initiative = make.initiative()
    measure = make.measure(initiative)
    member = make.user(Role.MEMBER, initiative)
    with pytest.raises(InvalidInput):
        library.move_to_latest(db, Principal.of(member), measure_id=measure.id, version=measure.version)


def test_detail_lists_adoptions_and_where_the_user_may_adopt(db: Session, make: Any) -> None:
    program, coordinator, initiative = _setup(make)
    item = _create(db, coordinator, program)
    second = make.initiative(program=program)
    member = make.user(Role.MEMBER, initiative)
    library.adopt(db, Principal.of(member), initiative_id=initiative.id, library_measure_id=item.id)
    detail = library.library_detail(db, Principal.of(coordinator), program_id=program.id, library_measure_id=item.id)
    assert [a.measure.initiative_id for a in detail.adoptions] == [initiative.id]
    assert detail.can_manage
    assert detail.can_adopt_into == []
    grant_member = make.user(Role.MEMBER, second)
    mine = library.library_detail(db, Principal.of(grant_member), program_id=program.id, library_measure_id=item.id)
    assert [i.id for i in mine.can_adopt_into] == [second.id]
    assert mine.adoptions == []  # the other team's initiative is not visible to this member
    with pytest.raises(NotFound):
        library.library_detail(db, Principal.of(coordinator), program_id=make.program().id, library_measure_id=item.id)


def _three_organisations(db: Session, make: Any) -> tuple[Program, Any, Any, list[Any]]:
    """Three organisations adopt the same proportion measure and log three months each."""
    program, coordinator, _ = _setup(make)
    item = _create(db, coordinator, program)
    admin = Principal.of(make.user(admin=True))
    measures = []
    for name, rows in (
        ("Ankeby", [(15, 17), (15, 17), (15, 16)]),  # 45 / 50
        ("Bergsjö", [(18, 33), (19, 34), (18, 33)]),  # 55 / 100
        ("Centrala", [(50, 66), (50, 67), (50, 67)]),  # 150 / 200
    ):
        org = make.organisation(program, name=f"{name} kommun, Socialförvaltningen", municipality=name)
        initiative = make.initiative(organisation=org, program=program)
        measure = library.adopt(db, admin, initiative_id=initiative.id, library_measure_id=item.id).measure
        for month, (numerator, denominator) in zip(("2024-04", "2024-05", "2024-06"), rows, strict=True):
            make.measurement(
                measure, month, 100 * numerator / denominator, numerator=numerator, denominator=denominator
            )
        measures.append(measure)
    # An older value outside the default window does not count.
    make.measurement(measures[0], "2024-01", 0.0, numerator=0, denominator=40)
    return program, coordinator, item, measures


def test_comparison_pools_the_last_three_months(db: Session, make: Any) -> None:
    program, coordinator, item, _measures = _three_organisations(db, make)
    with count_queries(db) as statements:
        result = library.comparison(
            db, Principal.of(coordinator), program_id=program.id, library_measure_id=item.id, as_of=date(2024, 7, 15)
        )
    assert len(statements) <= 10
    assert (result.chart, result.first_period, result.last_period, result.periods) == ("p", "2024-04", "2024-06", 3)
    assert result.funnel is not None
    # 250 / 350: the funnel test in tests/analysis/test_funnel.py works the limits out by hand.
    assert result.funnel.centre == pytest.approx(100 * 250 / 350)
    by_label = {u.label: u for u in result.units}
    assert (by_label["Ankeby"].numerator, by_label["Ankeby"].denominator) == (45, 50)
    assert by_label["Bergsjö"].point is not None
    assert by_label["Bergsjö"].point.band == "outside_998"
    assert by_label["Ankeby"].point is not None
    assert by_label["Ankeby"].point.band == "outside_95"
    assert by_label["Centrala"].point is not None
    assert by_label["Centrala"].point.band == "inside"
    svg = library.funnel_svg(result)
    assert "<title" in svg
    assert "<desc" in svg
    assert "Bergsjö" in svg
    assert "<svg" in library.unit_chart_svg(result, result.units[0])


def test_comparison_window_can_be_chosen_and_is_checked(db: Session, make: Any) -> None:
    program, coordinator, item, _ = _three_organisations(db, make)
    principal = Principal.of(coordinator)
    wide = library.comparison(
        db, principal, program_id=program.id, library_measure_id=item.id, periods=6, as_of=date(2024, 7, 15)
    )
    assert wide.first_period == "2024-01"
    assert next(u for u in wide.units if u.label == "Ankeby").denominator == 90
    with pytest.raises(InvalidInput):
        library.comparison(db, principal, program_id=program.id, library_measure_id=item.id, periods=25)
    with pytest.raises(InvalidInput):
        library.comparison(db, principal, program_id=program.id, library_measure_id=item.id, periods=0)


def test_comparison_includes_a_team_without_values_yet(db: Session, make: Any) -> None:
    program, coordinator, item, _measures = _three_organisations(db, make)
    newcomer = make.initiative(program=program, title="Nytt team")
    admin = Principal.of(make.user(admin=True))
    library.adopt(db, admin, initiative_id=newcomer.id, library_measure_id=item.id)
    result = library.comparison(
        db, Principal.of(coordinator), program_id=program.id, library_measure_id=item.id, as_of=date(2024, 7, 15)
    )
    unit = next(u for u in result.units if u.initiative.id == newcomer.id)
    assert unit.result.n == 0
    assert unit.point is None
    assert unit.denominator == 0
    assert result.funnel is not None
    assert len(result.funnel.points) == 3
    assert "<svg" in library.unit_chart_svg(result, unit)


def test_comparison_shows_only_visible_teams(db: Session, make: Any) -> None:
    program, _, item, measures = _three_organisations(db, make)
    member = make.user(Role.MEMBER, measures[0].initiative)
    result = library.comparison(
        db, Principal.of(member), program_id=program.id, library_measure_id=item.id, as_of=date(2024, 7, 15)
    )
    assert [u.adoption.measure.id for u in result.units] == [measures[0].id]


def test_comparison_of_values_has_no_funnel(db: Session, make: Any) -> None:
    program, coordinator, initiative = _setup(make)
    item = _create(db, coordinator, program, name="Väntetid", data_type="value", unit="dagar", chart="auto")
    admin = Principal.of(make.user(admin=True))
    measure = library.adopt(db, admin, initiative_id=initiative.id, library_measure_id=item.id).measure
    make.measurement(measure, "2024-05", 12.0)
    result = library.comparison(
        db, Principal.of(coordinator), program_id=program.id, library_measure_id=item.id, as_of=date(2024, 7, 1)
    )
    assert result.chart is None
    assert result.funnel is None
    assert library.funnel_svg(result) == ""
    assert len(result.units) == 1
