"""The number of SQL statements per page and per API list does not grow with the data (no N+1).

One small world is built with the factories and every endpoint is requested once, counting the
statements; then the world grows (more initiatives, measures, values, PDSA cycles, lessons, reviews,
team members and value history) and the counts must be exactly the same. Each request starts with
an empty identity map, as a real request does.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.models import (
    Initiative,
    Lesson,
    Measure,
    MeasurementRevision,
    Organisation,
    PdsaCycle,
    Program,
    StatusReview,
    TeamMember,
    User,
)
from app.models.enums import Role
from app.services.users import grant
from tests.support.queries import count_queries
from tests.support.web import WebClient

# (name, path template, user): the pages of issue 8 and the API lists.
ENDPOINTS: tuple[tuple[str, str, str], ...] = (
    ("initiative page", "/initiatives/{initiative}", "member"),
    ("weekly logging", "/log", "member"),
    ("dashboard", "/dashboard", "leader"),
    ("organisation dashboard", "/organisations/{organisation}/dashboard", "coordinator"),
    ("programme overview", "/programs/{program}", "coordinator"),
    ("measure page", "/measures/{measure}", "member"),
    ("initiatives API", "/api/v1/initiatives", "coordinator"),
    ("initiative API", "/api/v1/initiatives/{initiative}", "member"),
    ("measures API", "/api/v1/initiatives/{initiative}/measures", "member"),
    ("measurements API", "/api/v1/measures/{measure}/measurements", "member"),
    ("analysis API", "/api/v1/measures/{measure}/analysis", "member"),
    ("PDSA cycles API", "/api/v1/initiatives/{initiative}/pdsa-cycles", "member"),
    ("lessons API", "/api/v1/initiatives/{initiative}/lessons", "member"),
    ("lesson search API", "/api/v1/lessons", "coordinator"),
    ("reviews API", "/api/v1/initiatives/{initiative}/reviews", "member"),
)
FIRST_WEEK = 10  # 2024-W10 onwards
CEILING = 25  # statements per request, including the session and membership lookups


@dataclass
class World:
    """One programme and organisation; the first initiative and its first measure are the ones shown."""

    db: Session
    make: Any
    program: Program
    organisation: Organisation
    users: dict[str, User]
    initiatives: list[Initiative] = field(default_factory=list)
    measures: dict[int, list[Measure]] = field(default_factory=dict)  # by initiative id
    points: dict[int, int] = field(default_factory=dict)  # values so far, by measure id

    def ids(self) -> dict[str, int]:
        first = self.initiatives[0]
        return {
            "initiative": first.id,
            "measure": self.measures[first.id][0].id,
            "program": self.program.id,
            "organisation": self.organisation.id,
        }

    def grow(self, *, initiatives: int, measures: int, points: int, extras: int) -> None:
        """Bring the world up to `initiatives` initiatives of `measures` measures with `points` values each,
        and `extras` PDSA cycles, lessons, reviews and team members per initiative."""
        make, db = self.make, self.db
        while len(self.initiatives) < initiatives:
            initiative = make.initiative(self.organisation, self.program)
            grant(db, self.users["member"], Role.MEMBER, initiative_id=initiative.id)
            self.initiatives.append(initiative)
            self.measures[initiative.id] = []
        for initiative in self.initiatives:
            own = self.measures[initiative.id]
            while len(own) < measures:
                kind = ("outcome", "process", "balancing")[len(own) % 3]
                proportion = len(own) % 2 == 1
                own.append(
                    make.measure(
                        initiative,
                        kind=kind,
                        position=len(own),
                        baseline=20,
                        target=10,
                        data_type="proportion" if proportion else "value",
                        unit="%" if proportion else "dagar",
                    )
                )
            for measure in own:
                self._values(measure, points)
            self._extras(initiative, own, extras)
        db.flush()

    def _values(self, measure: Measure, points: int) -> None:
        have = self.points.get(measure.id, 0)
        self.points[measure.id] = max(have, points)
        for k in range(have, points):
            period = f"2024-W{FIRST_WEEK + k:02d}"
            value = 10.0 + (k * 7) % 11
            if measure.data_type == "proportion":
                row = self.make.measurement(measure, period, value * 2, numerator=value, denominator=50)
            else:
                row = self.make.measurement(measure, period, value, comment=f"v{k}")
            row.updated_by_id = self.users["member"].id
            self.db.add(
                MeasurementRevision(
                    measurement_id=row.id,
                    measure_id=measure.id,
                    period=period,
                    action="create",
                    value=row.value,
                    changed_by_id=self.users["member"].id,
                )
            )

    def _extras(self, initiative: Initiative, measures: list[Measure], extras: int) -> None:
        db = self.db
        have = db.query(Lesson).filter_by(initiative_id=initiative.id).count()
        previous: PdsaCycle | None = None
        for k in range(have, extras):
            day = date(2024, 3, 4) + timedelta(weeks=2 * k)
            cycle = PdsaCycle(
                initiative_id=initiative.id,
                title=f"Test {k}",
                status="running",
                started_on=day,
                new_phase=k % 2 == 1,
                previous_cycle=previous,
            )
            cycle.measures.extend(measures[: 1 + k % len(measures)] if measures else [])
            previous = cycle
            db.add(cycle)
            db.add(
                Lesson(
                    initiative_id=initiative.id,
                    text=f"Lärdom {k}",
                    tags=["delaktighet", f"t{k}"],
                    lesson_date=day,
                    created_by_id=self.users["member"].id,
                )
            )
            db.add(
                StatusReview(
                    initiative_id=initiative.id,
                    review_date=day,
                    rag=("green", "amber", "red")[k % 3],
                    assessment="Bedömning",
                    decision="Beslut",
                    next_review_on=day + timedelta(weeks=4),
                    reviewer_id=self.users["leader"].id,
                )
            )
            db.add(
                TeamMember(
                    initiative_id=initiative.id,
                    name=f"Person {k}",
                    role="medarbetare",
                    user_id=self.users["member"].id if k == 0 else None,
                    position=k,
                )
            )
        db.flush()


def _world(db: Session, make: Any) -> World:
    program = make.program()
    organisation = make.organisation(program)
    users = {
        "member": make.user(),
        "leader": make.user(Role.LEADER, organisation),
        "coordinator": make.user(Role.COORDINATOR, program),
    }
    return World(db, make, program, organisation, users)


def _counts(world: World, client: WebClient) -> dict[str, int]:
    """Statements per endpoint, each request with a cold session like a real request."""
    counts: dict[str, int] = {}
    ids = world.ids()
    for user in ("member", "leader", "coordinator"):
        client.cookies.clear()
        client.login(world.users[user].email)
        for name, template, who in ENDPOINTS:
            if who != user:
                continue
            world.db.expunge_all()
            path = template.format(**ids)
            with count_queries(world.db) as statements:
                response = client.get(path)
            assert response.status_code == 200, f"{name} {path}: {response.status_code} {response.text[:300]}"
            counts[name] = len(statements)
    return counts


def test_query_counts_do_not_grow_with_the_data(db: Session, make: Any, client: WebClient) -> None:
    world = _world(db, make)
    world.grow(initiatives=1, measures=1, points=3, extras=1)
    # Once before counting, so the page cache knows every path: it checks the credential and data version
    # (one statement) on cacheable paths and on paths it has not seen yet, and never on the others.
    _counts(world, client)
    small = _counts(world, client)
    world.grow(initiatives=4, measures=4, points=14, extras=3)
    large = _counts(world, client)
    assert large == small
    assert set(small) == {name for name, _path, _user in ENDPOINTS}


def test_counts_are_small(db: Session, make: Any, client: WebClient) -> None:
    """A ceiling per request (CEILING), so a page cannot quietly gain a constant but large number of queries."""
    world = _world(db, make)
    world.grow(initiatives=2, measures=2, points=4, extras=2)
    counts = _counts(world, client)
    too_many = {name: n for name, n in counts.items() if n > CEILING}
    assert not too_many, counts
