"""Programme calendar and stages: who plans workshops, who moves stages, and readiness before a workshop."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import AuditEvent, InitiativeStageChange
from app.models.enums import Role
from app.services import stages, workshops
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.services.workshops import WorkshopData

WORKSHOP = WorkshopData(
    title="Workshop 1: utmaning, mål och frågeställningar",
    held_on=date(2024, 4, 19),
    place="Stadshuset, Oxelösund",
    theme="Vi formulerar utmaningen ur brukarens perspektiv.",
    bring="Er problembeskrivning och de mätvärden ni har.",
    stage="challenge_and_aim",
)


def test_coordinator_plans_edits_and_removes_a_workshop(db: Session, make: Any) -> None:
    program = make.program()
    coordinator = Principal.of(make.user(Role.COORDINATOR, program))
    workshop = workshops.create_workshop(db, coordinator, program_id=program.id, data=WORKSHOP)
    assert workshop.kind == "workshop"
    assert [w.id for w in workshops.list_workshops(db, coordinator, program_id=program.id)] == [workshop.id]
    changed = workshops.update_workshop(
        db,
        coordinator,
        workshop_id=workshop.id,
        version=workshop.version,
        data=WorkshopData(**{**WORKSHOP.__dict__, "place": "Digitalt"}),
    )
    assert changed.place == "Digitalt"
    with pytest.raises(Conflict):
        workshops.update_workshop(db, coordinator, workshop_id=workshop.id, version=1, data=WORKSHOP)
    assert workshops.delete_workshop(db, coordinator, workshop_id=workshop.id, version=changed.version) == program.id
    assert workshops.list_workshops(db, coordinator, program_id=program.id) == []
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.entity == "workshop")).all()
    assert sorted(actions) == ["create", "delete", "update"]


def test_workshop_rules(db: Session, make: Any) -> None:
    program = make.program()
    coordinator = Principal.of(make.user(Role.COORDINATOR, program))
    bad = WorkshopData(title=" ", held_on=date(1990, 1, 1), kind="party", stage="dreaming", place="x" * 201)
    with pytest.raises(InvalidInput) as exc:
        workshops.create_workshop(db, coordinator, program_id=program.id, data=bad)
    assert set(exc.value.by_field()) == {"title", "held_on", "kind", "stage", "place"}


def test_only_coordinators_plan(db: Session, make: Any) -> None:
    initiative = make.initiative()
    program = initiative.program
    member = Principal.of(make.user(Role.MEMBER, initiative))
    with pytest.raises(Forbidden):
        workshops.create_workshop(db, member, program_id=program.id, data=WORKSHOP)
    # The member can read the calendar of its programme, a stranger cannot.
    assert workshops.list_workshops(db, member, program_id=program.id) == []
    stranger = Principal.of(make.user(Role.COORDINATOR, make.program()))
    with pytest.raises(NotFound):
        workshops.list_workshops(db, stranger, program_id=program.id)


def test_team_moves_its_stage_and_it_is_kept_in_history(db: Session, make: Any) -> None:
    initiative = make.initiative()
    assert initiative.stage == "preparation"
    member = Principal.of(make.user(Role.MEMBER, initiative))
    stages.set_stage(db, member, initiative_id=initiative.id, stage="challenge_and_aim", version=initiative.version)
    assert initiative.stage == "challenge_and_aim"
    panel = stages.stage_panel(db, member, initiative_id=initiative.id)
    assert panel.number == 2
    assert panel.next == "analysis"
    assert panel.can_edit
    assert [(h.previous_stage, h.stage) for h in panel.history] == [("preparation", "challenge_and_aim")]
    with pytest.raises(Conflict):
        stages.set_stage(db, member, initiative_id=initiative.id, stage="analysis", version=initiative.version - 1)
    with pytest.raises(InvalidInput):
        stages.set_stage(db, member, initiative_id=initiative.id, stage="dreaming", version=initiative.version)
    # The same stage again changes nothing.
    version = initiative.version
    stages.set_stage(db, member, initiative_id=initiative.id, stage="challenge_and_aim", version=version)
    assert initiative.version == version
    assert stages.next_stage("sustaining") is None


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.LEADER, Role.VIEWER])
def test_others_may_not_move_the_stage(db: Session, make: Any, role: Role) -> None:
    initiative = make.initiative()
    scope = {Role.COORDINATOR: initiative.program, Role.LEADER: initiative.organisation}
    user = Principal.of(make.user(role, scope.get(role, initiative.organisation)))
    with pytest.raises(Forbidden):
        stages.set_stage(db, user, initiative_id=initiative.id, stage="analysis", version=initiative.version)


def test_stage_board_groups_visible_initiatives(db: Session, make: Any) -> None:
    program = make.program()
    first = make.initiative(program=program, stage="analysis")
    second = make.initiative(program=program)
    coordinator = Principal.of(make.user(Role.COORDINATOR, program))
    board = stages.stage_board(db, coordinator, program_id=program.id)
    columns = {stage.value: [c.initiative.id for c in cards] for stage, cards in board.columns}
    assert columns["analysis"] == [first.id]
    assert columns["preparation"] == [second.id]
    assert board.total == 2
    assert len(board.columns) == 7
    member = Principal.of(make.user(Role.MEMBER, second))
    assert stages.stage_board(db, member, program_id=program.id).total == 1


def test_calendar_lists_teams_not_updated_since_the_previous_workshop(db: Session, make: Any) -> None:
    program = make.program()
    coordinator = Principal.of(make.user(Role.COORDINATOR, program))
    today = date.today()
    for days, title in ((-30, "Workshop 1"), (10, "Workshop 2"), (40, "Workshop 3")):
        workshops.create_workshop(
            db,
            coordinator,
            program_id=program.id,
            data=WorkshopData(title=title, held_on=today + timedelta(days=days)),
        )
    idle = make.initiative(program=program, title="Stilla")
    busy = make.initiative(program=program, title="Flitig")
    half = make.initiative(program=program, title="Halvvägs")
    make.initiative(program=program, title="Klar", status="completed")
    long_ago = datetime.now(UTC) - timedelta(days=60)
    old_measure = make.measure(idle)
    make.measurement(old_measure, "2024-W01", 3.0, updated_at=long_ago, created_at=long_ago)
    make.measurement(make.measure(busy), "2024-W02", 4.0)
    make.measurement(make.measure(half), "2024-W02", 4.0)
    db.add(InitiativeStageChange(initiative_id=idle.id, stage="analysis", changed_at=long_ago))
    db.add(InitiativeStageChange(initiative_id=busy.id, stage="analysis"))
    db.flush()

    result = workshops.calendar(db, coordinator, program_id=program.id, today=today)
    assert result.previous is not None
    assert result.previous.title == "Workshop 1"
    assert result.next is not None
    assert result.next.title == "Workshop 2"
    assert result.since == today - timedelta(days=30)
    assert [w.title for w in result.upcoming] == ["Workshop 2", "Workshop 3"]
    assert [w.title for w in result.past] == ["Workshop 1"]
    order = [(t.initiative.title, t.new_data, t.stage_moved) for t in result.teams]
    assert order == [("Stilla", False, False), ("Halvvägs", True, False), ("Flitig", True, True)]
    assert [t.initiative.title for t in result.not_ready] == ["Stilla", "Halvvägs"]
    assert result.can_manage
