"""The programme calendar: workshops and learning sessions, and who is ready for the next one.

Coordinators (and admins) plan the programme's meetings: when and where, the theme, and what the
teams should bring. Before a workshop the coordinator sees which teams have neither logged values
nor moved their stage since the previous one, so they can follow up in time.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Initiative, Measure, Measurement, Program, User, Workshop
from app.models.enums import InitiativeStatus
from app.models.library import Stage, WorkshopKind
from app.services import audit
from app.services.common import check_version
from app.services.errors import Conflict, FieldError, InvalidInput, NotFound
from app.services.personal_data import check_free_text
from app.services.programs import get_program
from app.services.stages import last_moves

LOCAL_TZ = ZoneInfo("Europe/Stockholm")
MAX_TITLE = 200
MAX_PLACE = 200
MAX_TEXT = 5_000
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
CLOSED_STATUSES = (InitiativeStatus.COMPLETED.value, InitiativeStatus.STOPPED.value)


@dataclass(frozen=True)
class WorkshopData:
    """Every editable field of a workshop, as plain values."""

    title: str
    held_on: date
    kind: str = WorkshopKind.WORKSHOP.value
    place: str = ""
    theme: str = ""
    bring: str = ""
    stage: str | None = None

    @classmethod
    def of(cls, workshop: Workshop) -> "WorkshopData":
        return cls(**{f.name: getattr(workshop, f.name) for f in fields(cls)})

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> "WorkshopData":
        names = {f.name for f in fields(cls)}
        return cls(**{k: v.value if hasattr(v, "value") else v for k, v in data.items() if k in names})


def validate(data: WorkshopData) -> WorkshopData:
    text = {name: (getattr(data, name) or "").strip() for name in ("title", "place", "theme", "bring")}
    data = WorkshopData(**{**asdict(data), **text, "stage": data.stage or None})
    errors: list[FieldError] = []
    if not data.title:
        errors.append(FieldError(("title",), _("Give the workshop a title.")))
    for name, limit in (("title", MAX_TITLE), ("place", MAX_PLACE), ("theme", MAX_TEXT), ("bring", MAX_TEXT)):
        if len(getattr(data, name)) > limit:
            errors.append(FieldError((name,), _("Enter at most %(n)s characters.") % {"n": limit}))
    if not EARLIEST <= data.held_on <= LATEST:
        errors.append(FieldError(("held_on",), _("Enter a date between 2000 and 2100.")))
    if data.kind not in {k.value for k in WorkshopKind}:
        errors.append(FieldError(("kind",), _("Choose one of the options.")))
    if data.stage is not None and data.stage not in {s.value for s in Stage}:
        errors.append(FieldError(("stage",), _("Choose one of the options.")))
    if errors:
        raise InvalidInput(errors)
    return data


def _require_manage(principal: Principal, program_id: int) -> None:
    policy.require(
        policy.can_manage_program(principal, program_id),
        _("Only the programme's coordinators plan its workshops."),
    )


def list_workshops(db: Session, principal: Principal, *, program_id: int) -> list[Workshop]:
    """The programme's workshops in date order (NotFound when the programme is not visible)."""
    get_program(db, principal, program_id)
    return _workshops_of(db, program_id)


def _workshops_of(db: Session, program_id: int) -> list[Workshop]:
    return list(
        db.scalars(
            select(Workshop).where(Workshop.program_id == program_id).order_by(Workshop.held_on, Workshop.id)
        ).all()
    )


def program_to_plan(db: Session, principal: Principal, *, program_id: int) -> Program:
    """The programme, if the user may plan its workshops (NotFound when invisible, else Forbidden)."""
    program = get_program(db, principal, program_id)
    _require_manage(principal, program.id)
    return program


def get_workshop(db: Session, principal: Principal, workshop_id: int) -> Workshop:
    workshop = db.scalar(
        select(Workshop)
        .join(Program, Program.id == Workshop.program_id)
        .where(Workshop.id == workshop_id, policy.programs_visible(principal))
    )
    if workshop is None:
        raise NotFound(_("Workshop not found"))
    return workshop


def get_editable_workshop(db: Session, principal: Principal, workshop_id: int) -> Workshop:
    workshop = get_workshop(db, principal, workshop_id)
    _require_manage(principal, workshop.program_id)
    return workshop


def _record(db: Session, principal: Principal, action: str, workshop: Workshop, **states: Any) -> None:
    audit.record(
        db, actor=db.get(User, principal.user_id), action=action, entity="workshop", entity_id=workshop.id, **states
    )


def create_workshop(
    db: Session, principal: Principal, *, program_id: int, data: WorkshopData, confirm_personal_data: bool = False
) -> Workshop:
    get_program(db, principal, program_id)
    _require_manage(principal, program_id)
    data = validate(data)
    check_free_text({"theme": data.theme, "bring": data.bring}, confirmed=confirm_personal_data)
    workshop = Workshop(program_id=program_id, **asdict(data))
    db.add(workshop)
    db.flush()
    _record(db, principal, "create", workshop, after=audit.snapshot(workshop))
    return workshop


def update_workshop(
    db: Session,
    principal: Principal,
    *,
    workshop_id: int,
    version: int | None,
    data: WorkshopData,
    confirm_personal_data: bool = False,
) -> Workshop:
    """Replace the workshop's fields, based on the `version` the user read (stale → Conflict)."""
    workshop = get_editable_workshop(db, principal, workshop_id)
    check_version(workshop, version, current={**asdict(WorkshopData.of(workshop)), "version": workshop.version})
    data = validate(data)
    check_free_text({"theme": data.theme, "bring": data.bring}, confirmed=confirm_personal_data)
    if data == WorkshopData.of(workshop):
        return workshop
    before = audit.snapshot(workshop)
    for name, value in asdict(data).items():
        setattr(workshop, name, value)
    try:
        db.flush()
    except StaleDataError as exc:
        raise Conflict(_("Someone else changed this workshop in the meantime. Reload and try again.")) from exc
    _record(db, principal, "update", workshop, before=before, after=audit.snapshot(workshop))
    return workshop


def delete_workshop(db: Session, principal: Principal, *, workshop_id: int, version: int | None) -> int:
    """Remove a workshop from the calendar; returns its programme id."""
    workshop = get_editable_workshop(db, principal, workshop_id)
    check_version(workshop, version)
    _record(db, principal, "delete", workshop, before=audit.snapshot(workshop))
    program_id = workshop.program_id
    db.delete(workshop)
    db.flush()
    return program_id


# --- readiness before the next workshop ----------------------------------------------------------------


@dataclass(frozen=True)
class TeamReadiness:
    """Has the team logged values and moved its stage since the previous workshop?"""

    initiative: Initiative
    last_data_at: datetime | None
    last_stage_at: datetime | None
    new_data: bool
    stage_moved: bool

    @property
    def ready(self) -> bool:
        return self.new_data and self.stage_moved


@dataclass(frozen=True)
class Calendar:
    program: Program
    workshops: list[Workshop]
    previous: Workshop | None
    next: Workshop | None
    # Teams are checked for updates since this day: the previous workshop, or the programme's start.
    since: date | None
    teams: list[TeamReadiness]
    can_manage: bool

    @property
    def not_ready(self) -> list[TeamReadiness]:
        return [t for t in self.teams if not t.ready]

    @property
    def upcoming(self) -> list[Workshop]:
        return [w for w in self.workshops if self.next is not None and w.held_on >= self.next.held_on]

    @property
    def past(self) -> list[Workshop]:
        return [w for w in self.workshops if w not in self.upcoming]


def _start_of(day: date) -> datetime:
    """Midnight at the start of `day` in Sweden, in UTC: changes on the workshop day itself count."""
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ).astimezone(UTC)


def last_data_updates(db: Session, initiative_ids: Sequence[int]) -> dict[int, datetime]:
    """When any value of each initiative's live measures was last logged or changed (one query)."""
    if not initiative_ids:
        return {}
    rows = db.execute(
        select(Measure.initiative_id, func.max(Measurement.updated_at))
        .join(Measure, Measure.id == Measurement.measure_id)
        .where(Measure.initiative_id.in_(initiative_ids), Measure.deleted_at.is_(None))
        .group_by(Measure.initiative_id)
    ).all()
    return {initiative_id: at for initiative_id, at in rows if at is not None}


def readiness(db: Session, initiatives: Sequence[Initiative], since: date | None) -> list[TeamReadiness]:
    """Each open initiative's latest data and stage change, compared with `since` (two queries).

    Teams that have done neither come first, then those missing one of the two, then the rest.
    """
    ids = [i.id for i in initiatives]
    data_at = last_data_updates(db, ids)
    stage_at = last_moves(db, ids)
    threshold = _start_of(since) if since is not None else None

    def after(moment: datetime | None) -> bool:
        return moment is not None and (threshold is None or moment >= threshold)

    teams = [
        TeamReadiness(
            initiative=i,
            last_data_at=data_at.get(i.id),
            last_stage_at=stage_at.get(i.id),
            new_data=after(data_at.get(i.id)),
            stage_moved=after(stage_at.get(i.id)),
        )
        for i in initiatives
    ]
    return sorted(
        teams, key=lambda t: (int(t.new_data) + int(t.stage_moved), t.initiative.organisation.name, t.initiative.title)
    )


def calendar(db: Session, principal: Principal, *, program_id: int, today: date) -> Calendar:
    """The programme's workshops, the previous and next one, and the teams' readiness for the next."""
    program = get_program(db, principal, program_id)
    workshops = _workshops_of(db, program.id)
    previous = next((w for w in reversed(workshops) if w.held_on < today), None)
    upcoming = next((w for w in workshops if w.held_on >= today), None)
    since = previous.held_on if previous is not None else program.starts_on
    initiatives = db.scalars(
        select(Initiative)
        .where(
            Initiative.program_id == program.id,
            Initiative.status.not_in(CLOSED_STATUSES),
            policy.initiatives_visible(principal),
        )
        .options(selectinload(Initiative.organisation))
    ).all()
    return Calendar(
        program=program,
        workshops=workshops,
        previous=previous,
        next=upcoming,
        since=since,
        teams=readiness(db, initiatives, since),
        can_manage=policy.can_manage_program(principal, program.id),
    )
