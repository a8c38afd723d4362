"""A small programme with two organisations, measures with data, teams and lessons."""

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models import Initiative, Lesson, Organisation, Program, TeamMember
from app.models.enums import Role

AS_OF = date(2024, 4, 10)  # 2024-W15


@dataclass
class Programme:
    program: Program
    falkenberg: Organisation
    ange: Organisation
    outdoor: Initiative
    continuity: Initiative


def _weeks(values: list[float], last: int = 14) -> list[tuple[str, float]]:
    first = last - len(values) + 1
    return [(f"2024-W{first + k:02d}", v) for k, v in enumerate(values)]


@pytest.fixture
def programme(db: Session, make: Any) -> Programme:
    program = make.program(name="Leda för Resultat IV", description="Förbättringsprogram för ledningsgrupper.")
    falkenberg = make.organisation(program, name="Falkenbergs kommun, Socialförvaltningen", municipality="Falkenberg")
    ange = make.organisation(program, name="Ånge kommun, Socialförvaltningen", municipality="Ånge")
    outdoor = make.initiative(
        falkenberg,
        program,
        title="Mer utevistelse på särskilt boende",
        problem="De boende är inte nöjda med möjligheten till utevistelse.",
        aim="Minst 75 procent nöjda i april.",
        what_we_did="Fokusgrupper med boende och personal.",
        results="Målet nåddes för fysisk aktivitet.",
        rag="green",
    )
    satisfied = make.measure(
        outdoor, name="Andel nöjda boende", kind="outcome", data_type="value", unit="%", direction="increase",
        baseline=58, target=75,
    )  # fmt: skip
    for period, value in _weeks([58, 57, 60, 59, 62, 65, 68, 70, 71, 73, 74, 76, 77, 76]):
        make.measurement(satisfied, period, value)
    make.measure(outdoor, name="Antal gruppaktiviteter", kind="process", unit="st", direction="increase", position=1)
    continuity = make.initiative(
        ange,
        program,
        title="Färre medarbetare hos varje brukare",
        problem="Brukarna möter för många olika medarbetare.",
        rag="amber",
    )
    staff = make.measure(
        continuity, name="Antal olika medarbetare per brukare", kind="outcome", unit="medarbetare",
        direction="decrease", baseline=21, target=14,
    )  # fmt: skip
    for period, value in _weeks([21, 20, 21, 19, 18, 18, 17, 16, 16, 16]):
        make.measurement(staff, period, value)
    db.add_all(
        [
            TeamMember(initiative_id=outdoor.id, name="Erik Sandberg", role="controller", position=0),
            TeamMember(initiative_id=outdoor.id, name="Helena Strand", role="mas", position=1),
            Lesson(initiative_id=outdoor.id, text="Sätt alltid brukaren i fokus.", tags=["brukare"],
                   lesson_date=date(2024, 4, 1)),
            Lesson(initiative_id=continuity.id, text="Små steg ger hållbar förändring.", tags=[],
                   lesson_date=date(2024, 4, 2)),
        ]
    )  # fmt: skip
    db.flush()
    db.expire_all()
    return Programme(program, falkenberg, ange, outdoor, continuity)


@pytest.fixture
def coordinator(make: Any, programme: Programme) -> Any:
    return make.user(Role.COORDINATOR, programme.program)


@pytest.fixture
def falkenberg_viewer(make: Any, programme: Programme) -> Any:
    return make.user(Role.VIEWER, programme.falkenberg)
