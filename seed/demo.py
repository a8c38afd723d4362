"""Load the demo programme (seed/content) into the database. Safe to run again: nothing is duplicated.

Dates are placed relative to `today`, so the demo always looks current: the latest measurements are
from last week or last month, and PDSA cycles and reviews fall where the content says.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analysis.periods import period_end, period_for_date, period_from_index, period_index, period_start
from app.auth.passwords import hash_password
from app.models import (
    Initiative,
    InitiativeStageChange,
    Lesson,
    LibraryMeasure,
    LibraryMeasureVersion,
    Measure,
    Measurement,
    Organisation,
    PdsaCycle,
    Program,
    StatusReview,
    TeamMember,
    User,
    Workshop,
)
from app.models.enums import Role
from app.services.users import get_by_email, grant
from seed.content import demo
from seed.content import workshops as structure
from seed.content.library import LIBRARY
from seed.content.series import generate_measure_series
from seed.content.timeline import (
    end_date,
    initiative_ago,
    monday_of_week,
    periods_ago,
    render_aim,
    start_date,
    target_date,
)
from seed.content.types import InitiativeSpec, MeasureSpec

DEMO_PASSWORD = "framsteg-demo"
LOCAL_TZ = ZoneInfo("Europe/Stockholm")


@dataclass
class LoadSummary:
    initiatives_created: int = 0
    initiatives_existing: int = 0
    measurements: int = 0

    def __str__(self) -> str:
        return (
            f"Demo programme '{demo.PROGRAM.name}': {self.initiatives_created} initiatives created, "
            f"{self.initiatives_existing} already present, {self.measurements} measurements added."
        )


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LOCAL_TZ).astimezone(UTC)


def _logged_at(period: str, now: datetime) -> datetime:
    """When a team would have logged a period's value: two days after the period ended, in the morning."""
    return min(_local(period_end(period) + timedelta(days=2), 9), now)


def _period_ago(frequency: str, ago: int, today: date) -> str:
    current = period_for_date(today, frequency)  # type: ignore[arg-type]
    return period_from_index(period_index(current) - ago, frequency)  # type: ignore[arg-type]


class _Loader:
    def __init__(self, db: Session, today: date) -> None:
        self.db = db
        self.today = today
        self.users: dict[str, User] = {}
        self.summary = LoadSummary()
        self.password_hash = hash_password(DEMO_PASSWORD)

    def user(self, key: str) -> User:
        if key not in self.users:
            spec = next(p for p in demo.PEOPLE if p.key == key)
            user = get_by_email(self.db, spec.email)
            if user is None:
                # One argon2 hash shared by all demo accounts keeps loading fast (hashing is slow on purpose).
                user = User(email=spec.email, name=spec.name, password_hash=self.password_hash)
                self.db.add(user)
                self.db.flush()
            self.users[key] = user
        return self.users[key]

    def program(self) -> Program:
        spec = demo.PROGRAM
        program = self.db.scalar(select(Program).where(Program.name == spec.name))
        if program is None:
            week = monday_of_week(self.today)
            program = Program(
                name=spec.name,
                description=spec.description,
                starts_on=week - timedelta(weeks=spec.started_weeks_ago),
                ends_on=week - timedelta(weeks=spec.ends_weeks_ago),
            )
            self.db.add(program)
            self.db.flush()
        return program

    def organisation(self, spec: InitiativeSpec, program: Program) -> Organisation:
        org_spec = spec.organisation
        org = self.db.scalar(select(Organisation).where(Organisation.name == org_spec.name))
        if org is None:
            org = Organisation(name=org_spec.name, municipality=org_spec.municipality, kind=org_spec.kind)
            self.db.add(org)
            self.db.flush()
        if program not in org.programs:
            org.programs.append(program)
        return org

    def initiative(self, spec: InitiativeSpec, program: Program) -> Initiative:
        org = self.organisation(spec, program)
        existing = self.db.scalar(
            select(Initiative).where(Initiative.organisation_id == org.id, Initiative.title == spec.title)
        )
        if existing is not None:
            self.summary.initiatives_existing += 1
            return existing
        initiative = Initiative(
            program_id=program.id,
            organisation_id=org.id,
            title=spec.title,
            problem=spec.problem,
            rationale=spec.rationale,
            target_group=spec.target_group,
            aim=render_aim(spec, self.today),
            status=spec.status,
            rag=spec.rag,
            started_on=start_date(spec, self.today),
            ends_on=end_date(spec, self.today),
            what_we_did=spec.what_we_did,
            results=spec.results,
        )
        self.db.add(initiative)
        self.db.flush()
        for position, member in enumerate(spec.team):
            user = self.user(member.person)
            self.db.add(
                TeamMember(
                    initiative_id=initiative.id, user_id=user.id, name=user.name, role=member.role, position=position
                )
            )
            grant(self.db, user, Role.MEMBER, initiative_id=initiative.id)
        measures = {m.key: self.measure(spec, initiative, m, position) for position, m in enumerate(spec.measures)}
        self.pdsa_cycles(spec, initiative, measures)
        self.lessons(spec, initiative)
        self.reviews(spec, initiative)
        self.summary.initiatives_created += 1
        return initiative

    def measure(self, spec: InitiativeSpec, initiative: Initiative, m: MeasureSpec, position: int) -> Measure:
        measure = Measure(
            initiative_id=initiative.id,
            name=m.name,
            kind=m.kind,
            data_type=m.data_type,
            unit=m.unit,
            definition=m.definition,
            direction=m.direction,
            frequency=m.frequency,
            baseline=m.baseline,
            target=m.target,
            target_date=target_date(spec, m, self.today),
            chart=m.chart,
            freeze=m.freeze,
            rate_multiplier=m.rate_multiplier,
            position=position,
        )
        self.db.add(measure)
        self.db.flush()
        author = self.user(spec.team[0].person)
        now = datetime.now(UTC)
        for point in generate_measure_series(m):
            period = _period_ago(m.frequency, periods_ago(m, point.index), self.today)
            logged = _logged_at(period, now)
            self.db.add(
                Measurement(
                    measure_id=measure.id,
                    period=period,
                    value=point.value,
                    numerator=point.numerator,
                    denominator=point.denominator,
                    is_rate=m.data_type == "rate",
                    comment=point.comment,
                    created_by_id=author.id,
                    updated_by_id=author.id,
                    created_at=logged,
                    updated_at=logged,
                )
            )
            self.summary.measurements += 1
        return measure

    def _period_of(self, spec: InitiativeSpec, index: int) -> str:
        return _period_ago(spec.primary_measure.frequency, initiative_ago(spec, index), self.today)

    def pdsa_cycles(self, spec: InitiativeSpec, initiative: Initiative, measures: dict[str, Measure]) -> None:
        cycles: dict[str, PdsaCycle] = {}
        for c in spec.pdsa_cycles:
            cycle = PdsaCycle(
                initiative_id=initiative.id,
                title=c.title,
                change_idea=c.change_idea,
                plan=c.plan,
                prediction=c.prediction,
                do_notes=c.do_notes,
                study_notes=c.study_notes,
                act=c.act,
                status=c.status,
                started_on=period_start(self._period_of(spec, c.start_period_index)),
                ended_on=period_end(self._period_of(spec, c.end_period_index)) if c.end_period_index else None,
                new_phase=c.new_phase,
                previous_cycle=cycles[c.previous] if c.previous else None,
                measures=[measures[key] for key in c.linked_measures],
            )
            self.db.add(cycle)
            cycles[c.key] = cycle
        self.db.flush()

    def lessons(self, spec: InitiativeSpec, initiative: Initiative) -> None:
        for lesson in spec.lessons:
            self.db.add(
                Lesson(
                    initiative_id=initiative.id,
                    text=lesson.text,
                    tags=list(lesson.tags),
                    lesson_date=period_start(self._period_of(spec, lesson.period_index)),
                    created_by_id=self.user(lesson.author).id,
                )
            )

    def reviews(self, spec: InitiativeSpec, initiative: Initiative) -> None:
        week = monday_of_week(self.today)
        for review in spec.reviews:
            reviewer = self.user(review.reviewer)
            grant(self.db, reviewer, Role.LEADER, organisation_id=initiative.organisation_id)
            on = week - timedelta(weeks=review.weeks_ago)
            self.db.add(
                StatusReview(
                    initiative_id=initiative.id,
                    review_date=on,
                    rag=review.rag,
                    assessment=review.assessment,
                    decision=review.decision,
                    next_review_on=on + timedelta(weeks=review.next_review_in_weeks),
                    reviewer_id=reviewer.id,
                )
            )

    def accounts(self, program: Program, initiatives: dict[str, Initiative]) -> None:
        orgs = {i.organisation.key: initiatives[i.key].organisation_id for i in demo.INITIATIVES}
        for account in demo.DEMO_ACCOUNTS:
            user = self.user(account.person)
            role = Role(account.role)
            if role == Role.ADMIN:
                grant(self.db, user, role)
            elif role == Role.COORDINATOR:
                grant(self.db, user, role, program_id=program.id)
            elif role in (Role.LEADER, Role.VIEWER):
                grant(self.db, user, role, organisation_id=orgs[str(account.scope)])
            else:
                grant(self.db, user, role, initiative_id=initiatives[str(account.scope)].id)


class _StructureLoader:
    """The programme's structure: library measures (and a revision), workshops and stages. Idempotent:
    existing library measures, workshops and stage histories are left as they are."""

    def __init__(self, loader: _Loader, program: Program, initiatives: dict[str, Initiative]) -> None:
        self.db = loader.db
        self.loader = loader
        self.today = loader.today
        self.week = monday_of_week(loader.today)
        self.program = program
        self.initiatives = initiatives
        self.coordinator = loader.user(demo.PROGRAM.coordinators[0])

    def _weeks_ago(self, weeks: int, hour: int = 10) -> datetime:
        return min(_local(self.week - timedelta(weeks=weeks), hour), datetime.now(UTC))

    def load(self) -> None:
        library = self.library()
        self.adoptions(library)
        self.workshops()
        self.stages()
        self.db.flush()

    def library(self) -> dict[str, LibraryMeasure]:
        existing = {
            lm.key: lm
            for lm in self.db.scalars(select(LibraryMeasure).where(LibraryMeasure.program_id == self.program.id))
            if lm.key is not None
        }
        first_day = self.program.starts_on or self.week
        for spec in LIBRARY:
            if spec.library_key in existing:
                continue
            first = LibraryMeasureVersion(
                number=1,
                name=spec.name,
                kind=spec.kind,
                data_type=spec.data_type,
                unit=spec.unit,
                definition=spec.definition,
                direction=spec.direction,
                frequency=spec.frequency,
                chart=spec.chart,
                rate_multiplier=spec.rate_multiplier,
                created_by_id=self.coordinator.id,
                created_at=_local(first_day, 10),
            )
            item = LibraryMeasure(
                program_id=self.program.id,
                key=spec.library_key,
                current_number=1,
                created_by_id=self.coordinator.id,
                versions=[first],
            )
            self.db.add(item)
            existing[spec.library_key] = item
        for revision in structure.LIBRARY_REVISIONS:
            item = existing[revision.library_key]
            if item.current_number > 1:
                continue
            first = item.versions[0]
            item.versions.append(
                LibraryMeasureVersion(
                    number=2,
                    name=first.name,
                    kind=first.kind,
                    data_type=first.data_type,
                    unit=first.unit,
                    definition=revision.definition,
                    direction=first.direction,
                    frequency=first.frequency,
                    chart=first.chart,
                    rate_multiplier=first.rate_multiplier,
                    change_note=revision.change_note,
                    created_by_id=self.coordinator.id,
                    created_at=self._weeks_ago(revision.weeks_ago),
                )
            )
            item.current_number = 2
        self.db.flush()
        return existing

    def adoptions(self, library: dict[str, LibraryMeasure]) -> None:
        """Link the initiatives' library measures to version 1, or to the revision for teams that moved."""
        moved = {(r.library_key, key): r for r in structure.LIBRARY_REVISIONS for key in r.moved}
        for spec in demo.INITIATIVES:
            initiative = self.initiatives[spec.key]
            for m in spec.measures:
                if m.library_key is None:
                    continue
                measure = self.db.scalar(
                    select(Measure).where(
                        Measure.initiative_id == initiative.id,
                        Measure.name == m.name,
                        Measure.deleted_at.is_(None),
                        Measure.library_version_id.is_(None),
                    )
                )
                if measure is None:
                    continue
                versions = library[m.library_key].versions
                if (m.library_key, spec.key) in moved:
                    measure.definition = versions[-1].definition
                    measure.library_version_id = versions[-1].id
                else:
                    measure.library_version_id = versions[0].id

    def workshops(self) -> None:
        titles = set(self.db.scalars(select(Workshop.title).where(Workshop.program_id == self.program.id)))
        for w in structure.WORKSHOPS:
            if w.title in titles:
                continue
            self.db.add(
                Workshop(
                    program_id=self.program.id,
                    kind=w.kind,
                    title=w.title,
                    held_on=self.week + timedelta(weeks=w.weeks_from_now, days=w.weekday),
                    place=w.place,
                    theme=w.theme,
                    bring=w.bring,
                    stage=w.stage,
                )
            )

    def stages(self) -> None:
        """Move each initiative through the stages up to its current one, spread from its start."""
        moved = set(self.db.scalars(select(InitiativeStageChange.initiative_id).distinct()))
        for spec in demo.INITIATIVES:
            initiative = self.initiatives[spec.key]
            if initiative.id in moved:
                continue
            target = structure.STAGES.get(spec.key) or structure.StageSpec(
                structure.STATUS_STAGES[spec.status], structure.DEFAULT_WEEKS_AGO
            )
            steps = structure.STAGE_ORDER.index(target.stage)
            last = min(target.weeks_ago, spec.started_weeks_ago)
            author = self.loader.user(spec.team[0].person)
            previous = initiative.stage
            for k in range(1, steps + 1):
                weeks = round(spec.started_weeks_ago - (spec.started_weeks_ago - last) * k / steps)
                stage = structure.STAGE_ORDER[k]
                self.db.add(
                    InitiativeStageChange(
                        initiative_id=initiative.id,
                        previous_stage=previous,
                        stage=stage,
                        changed_by_id=author.id,
                        changed_at=self._weeks_ago(weeks, hour=10 + k % 5),
                    )
                )
                previous = stage
            initiative.stage = target.stage


def load_demo(db: Session, *, today: date | None = None) -> LoadSummary:
    loader = _Loader(db, today or date.today())
    program = loader.program()
    initiatives = {spec.key: loader.initiative(spec, program) for spec in demo.INITIATIVES}
    for key in demo.PROGRAM.coordinators:
        grant(db, loader.user(key), Role.COORDINATOR, program_id=program.id)
    loader.accounts(program, initiatives)
    db.flush()
    _StructureLoader(loader, program, initiatives).load()
    return loader.summary


def demo_logins() -> list[tuple[str, str]]:
    """(role, email) of every demo account, for printing after `framsteg seed demo`."""
    emails = {p.key: p.email for p in demo.PEOPLE}
    return [(account.role, emails[account.person]) for account in demo.DEMO_ACCOUNTS]
