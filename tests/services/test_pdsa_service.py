from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import AuditEvent
from app.models.enums import PdsaAct, Role
from app.schemas.pdsa import PdsaCycleCreate, PdsaCycleUpdate
from app.services import pdsa as service
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound


@pytest.fixture
def team(make: Any) -> Any:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    return initiative, Principal.of(member)


def new_cycle(db: Session, team: Any, **kw: Any) -> Any:
    initiative, p = team
    return service.create_cycle(db, p, initiative.id, data=PdsaCycleCreate(title=kw.pop("title", "Test"), **kw))


def test_create_links_measures_and_records_audit(db: Session, make: Any, team: Any) -> None:
    initiative, _ = team
    m1, m2 = make.measure(initiative), make.measure(initiative)
    cycle = new_cycle(db, team, measure_ids=[m2.id, m1.id], prediction="Fler deltar", new_phase=True)
    assert [m.id for m in cycle.measures] == [m1.id, m2.id]
    assert cycle.status == "planned"
    assert cycle.started_on is None
    assert cycle.new_phase is True
    event = db.scalar(select(AuditEvent).where(AuditEvent.entity == "pdsa_cycle", AuditEvent.entity_id == cycle.id))
    assert event is not None
    assert event.after is not None
    assert sorted(event.after["measure_ids"]) == sorted([m1.id, m2.id])


def test_measures_must_belong_to_the_initiative(db: Session, make: Any, team: Any) -> None:
    foreign = make.measure(make.initiative())
    with pytest.raises(InvalidInput) as exc:
        new_cycle(db, team, measure_ids=[foreign.id])
    assert "measure_ids" in exc.value.by_field()


def test_act_only_once_studied_and_done_needs_act(db: Session, team: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        new_cycle(db, team, act="adopt")
    assert "act" in exc.value.by_field()
    with pytest.raises(InvalidInput):
        new_cycle(db, team, status="done")
    cycle = new_cycle(db, team, status="done", act="abandon", started_on=date(2024, 2, 1))
    assert cycle.ended_on is not None


def test_advance_through_the_board(db: Session, team: Any) -> None:
    _, p = team
    cycle = new_cycle(db, team)
    cycle = service.advance_cycle(db, p, cycle.id, version=1)
    assert cycle.status == "running"
    assert cycle.started_on == date.today()
    cycle = service.advance_cycle(db, p, cycle.id, version=2)
    assert cycle.status == "studied"
    assert cycle.ended_on == date.today()
    with pytest.raises(InvalidInput):
        service.advance_cycle(db, p, cycle.id, version=3)  # done needs act
    cycle = service.advance_cycle(db, p, cycle.id, version=3, act=PdsaAct.ADAPT)
    assert (cycle.status, cycle.act, cycle.version) == ("done", "adapt", 4)
    with pytest.raises(InvalidInput):
        service.advance_cycle(db, p, cycle.id, version=4)


def test_stale_version_conflicts(db: Session, team: Any) -> None:
    _, p = team
    cycle = new_cycle(db, team)
    service.update_cycle(db, p, cycle.id, data=PdsaCycleUpdate(version=1, plan="Theirs"))
    with pytest.raises(Conflict) as exc:
        service.update_cycle(db, p, cycle.id, data=PdsaCycleUpdate(version=1, plan="Mine"))
    assert exc.value.current is not None
    assert exc.value.current["plan"] == "Theirs"
    with pytest.raises(Conflict):
        service.advance_cycle(db, p, cycle.id, version=1)


def test_changing_only_measure_links_bumps_version(db: Session, make: Any, team: Any) -> None:
    initiative, p = team
    measure = make.measure(initiative)
    cycle = new_cycle(db, team)
    cycle = service.update_cycle(db, p, cycle.id, data=PdsaCycleUpdate(version=1, measure_ids=[measure.id]))
    assert [m.id for m in cycle.measures] == [measure.id]
    assert cycle.version == 2


def test_update_status_fills_dates(db: Session, team: Any) -> None:
    _, p = team
    ended = date.today() - timedelta(days=10)
    cycle = new_cycle(db, team)
    cycle = service.update_cycle(db, p, cycle.id, data=PdsaCycleUpdate(version=1, status="studied", ended_on=ended))
    assert cycle.started_on == ended
    assert cycle.ended_on == ended


def test_ramp_and_next_cycle_draft(db: Session, make: Any, team: Any) -> None:
    initiative, p = team
    measure = make.measure(initiative)
    first = new_cycle(db, team, title="Rörelsepass", status="done", act="adapt", measure_ids=[measure.id])
    draft = service.next_cycle_draft(db, p, first.id, initiative_id=initiative.id)
    assert draft["previous_cycle_id"] == first.id
    assert draft["measure_ids"] == [measure.id]
    assert draft["title"].startswith("Rörelsepass")
    second = service.create_cycle(
        db, p, initiative.id, data=PdsaCycleCreate(**{k: v for k, v in draft.items() if v is not None})
    )
    third = new_cycle(db, team, title="Steg 3", previous_cycle_id=second.id)
    cycles = service.cycles_of(db, initiative.id)
    assert [c.id for c in service.ramp(cycles, second)] == [first.id, second.id, third.id]
    assert [c.id for c in service.ramp(cycles, first)] == [first.id, second.id, third.id]
    with pytest.raises(InvalidInput):  # not studied yet
        service.next_cycle_draft(db, p, third.id, initiative_id=initiative.id)
    with pytest.raises(InvalidInput):  # a loop
        service.update_cycle(db, p, first.id, data=PdsaCycleUpdate(version=1, previous_cycle_id=third.id))


def test_previous_cycle_of_another_initiative_is_refused(db: Session, make: Any, team: Any) -> None:
    other = make.initiative()
    other_member = Principal.of(make.user(Role.MEMBER, other))
    foreign = service.create_cycle(db, other_member, other.id, data=PdsaCycleCreate(title="Annan"))
    with pytest.raises(InvalidInput):
        new_cycle(db, team, previous_cycle_id=foreign.id)


def test_access(db: Session, make: Any, team: Any) -> None:
    initiative, _ = team
    cycle = new_cycle(db, team)
    viewer = Principal.of(make.user(Role.VIEWER, initiative.organisation))
    outsider = Principal.of(make.user(Role.LEADER, make.organisation()))
    assert service.get_cycle(db, viewer, cycle.id).id == cycle.id
    with pytest.raises(Forbidden):
        service.update_cycle(db, viewer, cycle.id, data=PdsaCycleUpdate(version=1, plan="x"))
    with pytest.raises(NotFound):
        service.get_cycle(db, outsider, cycle.id)
    with pytest.raises(NotFound):
        service.get_cycle(db, viewer, cycle.id, initiative_id=initiative.id + 1000)


def test_personnummer_in_notes(db: Session, team: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        new_cycle(db, team, do_notes="Brukare 121212-1212 deltog")
    assert exc.value.errors[0].type == "personal_number"
    assert new_cycle(db, team, do_notes="Brukare 121212-1212 deltog", confirm_personal_data=True).id


def test_delete_is_soft_and_board_groups_by_status(db: Session, team: Any) -> None:
    initiative, p = team
    a = new_cycle(db, team, title="A")
    new_cycle(db, team, title="B", status="running")
    service.delete_cycle(db, p, a.id)
    assert a.deleted_at is not None
    cycles, total = service.list_cycles(db, p, initiative.id)
    assert total == 1
    columns = service.board(cycles)
    assert [c.status for c in columns] == ["planned", "running", "studied", "done"]
    assert [len(c.cycles) for c in columns] == [0, 1, 0, 0]
    with pytest.raises(NotFound):
        service.get_cycle(db, p, a.id)
