"""A small world for the access-control matrix: two programmes, three organisations, two live initiatives
with one of everything, and one user per role (with a session cookie and an API token each).

Built once per module with plain model inserts and committed; every test then runs in its own
rolled-back transaction on top of it. `remove_world` deletes exactly what was built.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.auth import sessions
from app.auth.passwords import hash_password
from app.core.config import Settings
from app.models import (
    ApiToken,
    Initiative,
    Lesson,
    Measure,
    Measurement,
    Membership,
    Organisation,
    PdsaCycle,
    Program,
    StatusReview,
    TeamMember,
    User,
)
from app.models.base import utcnow
from app.models.library import LibraryMeasure, LibraryMeasureVersion, Workshop

PASSWORD = "matrix-password-123"

# The roles of the matrix, in report order. Each is a user except "anon".
ROLES = (
    "admin",
    "coord_p",
    "coord_q",
    "leader_a",
    "leader_b",
    "member_a1",
    "member_b1",
    "viewer_a",
    "norole",
    "anon",
)


@dataclass
class Scope:
    """Everything belonging to one live initiative (A1 in organisation A, B1 in organisation B)."""

    initiative: Initiative
    measure: Measure
    measurement: Measurement
    cycle: PdsaCycle
    lesson: Lesson
    deleted_lesson: Lesson
    review: StatusReview
    team_member: TeamMember


@dataclass
class World:
    program_p: Program
    program_q: Program
    org_a: Organisation
    org_b: Organisation
    org_c: Organisation
    scopes: dict[str, Scope]
    deleted_initiative: Initiative
    library_measure: LibraryMeasure
    workshop: Workshop
    users: dict[str, User] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    spare_token_ids: dict[str, int] = field(default_factory=dict)
    membership_id: int = 0

    def params(self, target: str, role: str) -> dict[str, object]:
        """Values for every path parameter name used by the app's routes."""
        scope = self.scopes.get(target, self.scopes["A"])
        return {
            "initiative_id": scope.initiative.id,
            "measure_id": scope.measure.id,
            "period": scope.measurement.period,
            "cycle_id": scope.cycle.id,
            "lesson_id": scope.lesson.id,
            "member_id": scope.team_member.id,
            "kind": "lesson",
            "item_id": scope.deleted_lesson.id,
            "program_id": self.program_p.id,
            "organisation_id": (self.org_b if target == "B" else self.org_a).id,
            "library_measure_id": self.library_measure.id,
            "workshop_id": self.workshop.id,
            "user_id": self.users["member_a1"].id,
            "membership_id": self.membership_id,
            "token_id": self.spare_token_ids.get(role, 1),
            "review_id": scope.review.id,
            "token": "0123456789abcdef0123456789abcdef",
        }


def _scope(db: Session, name: str, program: Program, org: Organisation) -> Scope:
    initiative = Initiative(
        title=f"Initiative {name}", organisation_id=org.id, program_id=program.id, status="active", problem="p"
    )
    db.add(initiative)
    db.flush()
    measure = Measure(
        initiative_id=initiative.id,
        name=f"Measure {name}",
        kind="outcome",
        data_type="value",
        unit="dagar",
        definition="Dagar från ansökan till beslut.",
        direction="decrease",
        frequency="week",
        chart="auto",
    )
    db.add(measure)
    db.flush()
    measurement = Measurement(measure_id=measure.id, period="2024-W07", value=4.0)
    cycle = PdsaCycle(initiative_id=initiative.id, title=f"Cycle {name}", status="planned")
    lesson = Lesson(initiative_id=initiative.id, text=f"Lesson {name}", tags=[], lesson_date=date(2024, 3, 1))
    deleted_lesson = Lesson(
        initiative_id=initiative.id, text="Deleted lesson", tags=[], lesson_date=date(2024, 3, 1), deleted_at=utcnow()
    )
    review = StatusReview(initiative_id=initiative.id, review_date=date(2024, 3, 1), rag="amber")
    member = TeamMember(initiative_id=initiative.id, name="Teamdeltagare", role="Enhetschef")
    db.add_all([measurement, cycle, lesson, deleted_lesson, review, member])
    db.flush()
    return Scope(initiative, measure, measurement, cycle, lesson, deleted_lesson, review, member)


def build_world(engine: Engine, settings: Settings) -> World:
    with Session(bind=engine, expire_on_commit=False) as db:
        program_p = Program(name="Matrix programme P", starts_on=date(2024, 1, 1))
        program_q = Program(name="Matrix programme Q", starts_on=date(2024, 1, 1))
        org_a = Organisation(name="Matrix kommun A", programs=[program_p])
        org_b = Organisation(name="Matrix kommun B", programs=[program_p])
        org_c = Organisation(name="Matrix kommun C", programs=[program_q])
        db.add_all([program_p, program_q, org_a, org_b, org_c])
        db.flush()
        scopes = {"A": _scope(db, "A1", program_p, org_a), "B": _scope(db, "B1", program_p, org_b)}
        deleted = Initiative(
            title="Deleted initiative A", organisation_id=org_a.id, program_id=program_p.id, deleted_at=utcnow()
        )
        library_measure = LibraryMeasure(program_id=program_p.id, key="matrix-lib")
        workshop = Workshop(program_id=program_p.id, title="Lärandeseminarium 1", held_on=date.today() + timedelta(30))
        db.add_all([deleted, library_measure, workshop])
        db.flush()
        db.add(
            LibraryMeasureVersion(
                library_measure_id=library_measure.id,
                number=1,
                name="Library measure",
                kind="process",
                data_type="proportion",
                definition="Andel ärenden med plan.",
                direction="increase",
                frequency="month",
            )
        )
        world = World(program_p, program_q, org_a, org_b, org_c, scopes, deleted, library_measure, workshop)
        password_hash = hash_password(PASSWORD)
        scope_of: dict[str, tuple[str, dict[str, int]]] = {
            "admin": ("admin", {}),
            "coord_p": ("coordinator", {"program_id": program_p.id}),
            "coord_q": ("coordinator", {"program_id": program_q.id}),
            "leader_a": ("leader", {"organisation_id": org_a.id}),
            "leader_b": ("leader", {"organisation_id": org_b.id}),
            "member_a1": ("member", {"initiative_id": scopes["A"].initiative.id}),
            "member_b1": ("member", {"initiative_id": scopes["B"].initiative.id}),
            "viewer_a": ("viewer", {"organisation_id": org_a.id}),
        }
        for role in ROLES:
            if role == "anon":
                continue
            user = User(email=f"matrix-{role}@example.se", name=f"Matrix {role}", password_hash=password_hash)
            if role in scope_of:
                kind, ids = scope_of[role]
                user.memberships.append(Membership(role=kind, **ids))
            db.add(user)
            db.flush()
            world.users[role] = user
            world.cookies[role] = sessions.open_session(db, settings, user)
            _row, world.tokens[role] = sessions.create_api_token(db, user, "matrix")
            spare, _plain = sessions.create_api_token(db, user, "spare")
            world.spare_token_ids[role] = spare.id
        world.membership_id = world.users["member_a1"].memberships[0].id
        db.commit()
        return world


def remove_world(engine: Engine, world: World) -> None:
    with Session(bind=engine) as db:
        initiative_ids = [s.initiative.id for s in world.scopes.values()] + [world.deleted_initiative.id]
        db.execute(delete(Initiative).where(Initiative.id.in_(initiative_ids)))
        program_ids = [world.program_p.id, world.program_q.id]
        db.execute(delete(LibraryMeasure).where(LibraryMeasure.program_id.in_(program_ids)))
        db.execute(delete(Workshop).where(Workshop.program_id.in_(program_ids)))
        db.execute(delete(Organisation).where(Organisation.id.in_([world.org_a.id, world.org_b.id, world.org_c.id])))
        db.execute(delete(Program).where(Program.id.in_(program_ids)))
        user_ids = [u.id for u in world.users.values()]
        db.execute(delete(ApiToken).where(ApiToken.user_id.in_(user_ids)))
        db.execute(delete(User).where(User.id.in_(user_ids)))
        db.commit()
