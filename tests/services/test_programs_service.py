"""Programme overview: organisations and initiatives, counts, teams that stopped logging, audit."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import AuditEvent
from app.models.enums import Role
from app.services import programs
from app.services.errors import Forbidden, NotFound
from tests.support.queries import count_queries

AS_OF = date(2024, 3, 13)  # Wednesday of 2024-W11: W09 and W10 are the last two complete weeks


def test_overview_groups_counts_and_silent_teams(db: Session, make) -> None:
    program = make.program()
    north = make.organisation(program, name="Norrby kommun")
    south = make.organisation(program, name="Söderby kommun")
    make.organisation(program, name="Västby kommun")  # takes part, no initiative yet
    logging = make.initiative(north, program, title="Loggar varje vecka", rag="green")
    silent = make.initiative(north, program, title="Tyst sedan januari", rag="red")
    never = make.initiative(south, program, title="Aldrig mätt")
    no_measures = make.initiative(south, program, title="Inga mått", status="draft")
    monthly = make.initiative(south, program, title="Månadsvis", status="sustaining", rag="amber")
    make.measurement(make.measure(logging), "2024-W10", 3)
    make.measurement(make.measure(silent), "2024-W03", 3)
    make.measurement(make.measure(silent), "2024-W08", 3)  # two complete weeks silent (W09, W10)
    make.measure(never)
    make.measurement(make.measure(monthly, frequency="month"), "2024-02", 5)
    coordinator = Principal.of(make.user(Role.COORDINATOR, program))
    with count_queries(db) as queries:
        overview = programs.program_overview(db, coordinator, program_id=program.id, as_of=AS_OF)
    assert len(queries) <= 6
    assert [g.organisation.name for g in overview.groups] == ["Norrby kommun", "Söderby kommun", "Västby kommun"]
    assert [i.title for i in overview.groups[1].initiatives] == ["Aldrig mätt", "Inga mått", "Månadsvis"]
    assert overview.initiative_count == 5
    assert overview.by_status["active"] == 3
    assert (overview.by_status["draft"], overview.by_status["sustaining"]) == (1, 1)
    assert overview.by_rag == {"green": 1, "amber": 1, "red": 1, "none": 2}
    assert {i.title for i in overview.silent} == {"Tyst sedan januari", "Aldrig mätt"}
    assert overview.activity[silent.id].last_period == "2024-W08"
    assert overview.activity[silent.id].periods_silent == 2
    assert overview.activity[logging.id].periods_silent == 0
    assert overview.activity[never.id].last_period is None
    assert no_measures.id not in overview.activity  # a draft cannot be a silent team: not computed
    assert overview.can_manage


def test_overview_shows_a_viewer_only_their_organisation(db: Session, make) -> None:
    program = make.program()
    mine = make.initiative(program=program)
    make.initiative(program=program)
    viewer = Principal.of(make.user(Role.VIEWER, mine.organisation))
    overview = programs.program_overview(db, viewer, program_id=program.id, as_of=AS_OF)
    assert [g.organisation.id for g in overview.groups] == [mine.organisation_id]
    assert overview.initiative_count == 1
    assert not overview.can_manage
    with pytest.raises(NotFound):
        programs.program_overview(db, viewer, program_id=make.program().id)


def test_create_and_update_program_are_audited(db: Session, make) -> None:
    admin = Principal.of(make.user(admin=True))
    program = programs.create_program(db, admin, name="  Leda för Resultat VI ", description="Ny omgång")
    assert program.name == "Leda för Resultat VI"
    programs.update_program(db, admin, program_id=program.id, version=1, changes={"ends_on": date(2026, 12, 31)})
    events = db.scalars(select(AuditEvent).where(AuditEvent.entity == "program", AuditEvent.entity_id == program.id))
    assert [e.action for e in events] == ["create", "update"]
    viewer = Principal.of(make.user())
    with pytest.raises(Forbidden):
        programs.create_program(db, viewer, name="Inte tillåtet")
