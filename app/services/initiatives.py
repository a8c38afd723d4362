"""Initiatives: listing and reading within what the user may see; creating, editing and deleting; the team.

Who may do what (DESIGN.md §2):
- create: admin, a leader of the organisation, or a coordinator of the programme; the creator joins the
  new initiative's team (member role) so they can edit it;
- edit content and team: members of the initiative (and admin);
- change status or RAG: leaders of the organisation (and admin);
- delete (soft): those who may create initiatives there (admin, leader, coordinator), not team members.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import (
    Initiative,
    Lesson,
    Measure,
    Measurement,
    Organisation,
    PdsaCycle,
    Program,
    StatusReview,
    TeamMember,
    User,
)
from app.models.enums import MeasureKind, Role
from app.schemas.initiatives import (
    FREE_TEXT_FIELDS,
    InitiativeCreate,
    InitiativeUpdate,
    TeamMemberIn,
    check_dates_ordered,
)
from app.services import audit
from app.services.common import check_version, soft_delete
from app.services.errors import Conflict, FieldError, InvalidInput, NotFound
from app.services.personal_data import check_free_text
from app.services.users import grant
from seed.content.types import TEAM_ROLES

if TYPE_CHECKING:
    from app.services.analysis import MeasureCard

__all__ = ["TEAM_ROLES"]

# Fields a team member edits; status and RAG belong to the ledningsgrupp.
CONTENT_FIELDS = (*FREE_TEXT_FIELDS, "started_on", "ends_on")
REVIEW_FIELDS = ("status", "rag")
KIND_ORDER = {MeasureKind.OUTCOME.value: 0, MeasureKind.PROCESS.value: 1, MeasureKind.BALANCING.value: 2}


def team_role_labels() -> dict[str, str]:
    """Team role codes (seed.content.types.TEAM_ROLES) with labels in the request's language."""
    labels = {
        "enhetschef": _("Unit manager"),
        "socialsekreterare": _("Social worker"),
        "mas": _("Medically responsible nurse (MAS)"),
        "controller": _("Controller"),
        "socialchef": _("Director of social services"),
        "verksamhetsutvecklare": _("Development officer"),
        "processledare": _("Process leader"),
        "brukarrepresentant": _("Service user representative"),
        "brukarutvecklare": _("Peer developer"),
        "anhorig": _("Relative"),
        "medarbetare": _("Staff member"),
        "bistandshandlaggare": _("Needs assessment officer"),
        "sjukskoterska": _("Nurse"),
        "arbetsterapeut": _("Occupational therapist"),
        "fysioterapeut": _("Physiotherapist"),
        "underskoterska": _("Assistant nurse"),
    }
    return {code: labels.get(code, code) for code in TEAM_ROLES}


def team_role_label(code: str) -> str:
    return team_role_labels().get(code, code)


def flush_versioned(db: Session, message: str | None = None) -> None:
    """Flush an edit; a concurrent change that slipped in after the version check becomes a Conflict.

    The failed flush leaves the transaction unusable, so it is rolled back here (nothing of the
    request is kept) and the caller shows the conflict.
    """
    try:
        db.flush()
    except StaleDataError as exc:
        db.rollback()
        raise Conflict(message or _("Someone else changed this in the meantime. Reload and try again.")) from exc


def actor_of(db: Session, principal: Principal) -> User:
    """The user behind a principal (already in the session's identity map during a request)."""
    user = db.get(User, principal.user_id)
    if user is None:  # the account was removed during the request
        raise NotFound("User not found")
    return user


# --- reading -------------------------------------------------------------------------------------------


def _visible(principal: Principal) -> Select[Initiative]:
    return select(Initiative).where(policy.initiatives_visible(principal))


def list_for_home(db: Session, principal: Principal) -> Sequence[Initiative]:
    query = (
        _visible(principal)
        .options(selectinload(Initiative.organisation), selectinload(Initiative.program))
        .order_by(Initiative.title)
    )
    return db.scalars(query).all()


def search(
    db: Session,
    principal: Principal,
    *,
    program_id: int | None = None,
    organisation_id: int | None = None,
    status: str | None = None,
    rag: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[Initiative], int]:
    query = _visible(principal)
    if program_id is not None:
        query = query.where(Initiative.program_id == program_id)
    if organisation_id is not None:
        query = query.where(Initiative.organisation_id == organisation_id)
    if status:
        query = query.where(Initiative.status == status)
    if rag:
        query = query.where(Initiative.rag == rag)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Initiative.title).like(pattern),
                func.lower(Initiative.problem).like(pattern),
                func.lower(Initiative.aim).like(pattern),
            )
        )
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(
        query.options(selectinload(Initiative.organisation)).order_by(Initiative.id).limit(limit).offset(offset)
    ).all()
    return rows, total


def get_visible(db: Session, principal: Principal, initiative_id: int) -> Initiative:
    """The initiative if the user may read it; otherwise NotFound, so its existence is not revealed."""
    initiative = db.scalar(_visible(principal).where(Initiative.id == initiative_id))
    if initiative is None:
        raise NotFound("Initiative not found")
    return initiative


def get_editable(db: Session, principal: Principal, initiative_id: int) -> Initiative:
    """The initiative if the user may edit its content (team work): NotFound if invisible, else Forbidden."""
    initiative = get_visible(db, principal, initiative_id)
    policy.require(policy.can_edit(principal, initiative))
    return initiative


def get_changeable(db: Session, principal: Principal, initiative_id: int) -> Initiative:
    """The initiative if the user may change anything on it (content as a member, status/RAG as a leader)."""
    initiative = get_visible(db, principal, initiative_id)
    policy.require(policy.can_edit(principal, initiative) or policy.can_review(principal, initiative))
    return initiative


def measures_of(db: Session, initiative_id: int) -> list[Measure]:
    """Live measures of an initiative: outcome first, then process, then balancing; by position within."""
    rows = db.scalars(
        select(Measure)
        .where(Measure.initiative_id == initiative_id, Measure.deleted_at.is_(None))
        .order_by(Measure.position, Measure.id)
    ).all()
    return sorted(rows, key=lambda m: KIND_ORDER.get(m.kind, 9))


def latest_values(db: Session, measure_ids: Iterable[int]) -> dict[int, tuple[str, float]]:
    """The latest period and value of each measure (one query)."""
    ids = list(measure_ids)
    if not ids:
        return {}
    live = and_(Measurement.measure_id.in_(ids), Measurement.deleted_at.is_(None))
    last = (
        select(Measurement.measure_id, func.max(Measurement.period).label("period"))
        .where(live)
        .group_by(Measurement.measure_id)
        .subquery()
    )
    rows = db.execute(
        select(Measurement.measure_id, Measurement.period, Measurement.value)
        .join(last, and_(Measurement.measure_id == last.c.measure_id, Measurement.period == last.c.period))
        .where(live)
    ).all()
    return {measure_id: (period, value) for measure_id, period, value in rows}


@dataclass(frozen=True)
class InitiativeDetail:
    initiative: Initiative
    measures: list[Measure]
    latest: dict[int, tuple[str, float]]


def get_detail(db: Session, principal: Principal, initiative_id: int) -> InitiativeDetail:
    """An initiative with its live measures and their latest values (the API's read)."""
    initiative = get_visible(db, principal, initiative_id)
    measures = measures_of(db, initiative.id)
    return InitiativeDetail(initiative, measures, latest_values(db, (m.id for m in measures)))


# --- creating ------------------------------------------------------------------------------------------


def can_create_somewhere(principal: Principal) -> bool:
    return principal.is_admin or bool(principal.leader_orgs) or bool(principal.coordinator_programs)


def require_can_create_somewhere(principal: Principal) -> None:
    policy.require(
        can_create_somewhere(principal),
        _("Only the management team, programme coordinators and administrators start initiatives."),
    )


@dataclass(frozen=True)
class CreationChoices:
    """Organisations and programmes the user may create initiatives in, and which belong together."""

    organisations: list[Organisation]
    programs: list[Program]
    program_organisations: dict[int, frozenset[int]]


def creation_choices(db: Session, principal: Principal) -> CreationChoices:
    programs_query = select(Program).options(selectinload(Program.organisations)).order_by(Program.name)
    if principal.is_admin:
        organisations = list(db.scalars(select(Organisation).order_by(Organisation.name)).all())
        programs = list(db.scalars(programs_query).all())
    else:
        org_ids = set(principal.leader_orgs)
        coordinated = list(db.scalars(programs_query.where(Program.id.in_(principal.coordinator_programs))).all())
        for program in coordinated:
            org_ids.update(o.id for o in program.organisations)
        organisations = list(
            db.scalars(select(Organisation).where(Organisation.id.in_(org_ids)).order_by(Organisation.name)).all()
        )
        led = [p for o in organisations if o.id in principal.leader_orgs for p in o.programs]
        programs = sorted({p.id: p for p in [*coordinated, *led]}.values(), key=lambda p: p.name)
    return CreationChoices(
        organisations=organisations,
        programs=programs,
        program_organisations={p.id: frozenset(o.id for o in p.organisations) for p in programs},
    )


def _free_text_check(texts: Mapping[str, str | None], team: Sequence[TeamMemberIn] | None, confirmed: bool) -> None:
    fields = dict(texts)
    for index, member in enumerate(team or ()):
        fields[f"team.{index}.name"] = member.name
    check_free_text(fields, confirmed=confirmed)


def _check_team_users(db: Session, team: Sequence[TeamMemberIn]) -> None:
    wanted = {m.user_id for m in team if m.user_id is not None}
    if not wanted:
        return
    found = set(db.scalars(select(User.id).where(User.id.in_(wanted))).all())
    errors = [
        FieldError(("team", index, "user_id"), _("There is no user with this id."))
        for index, member in enumerate(team)
        if member.user_id is not None and member.user_id not in found
    ]
    if errors:
        raise InvalidInput(errors)


def _replace_team(db: Session, initiative: Initiative, team: Sequence[TeamMemberIn]) -> None:
    _check_team_users(db, team)
    initiative.team.clear()
    db.flush()
    for position, member in enumerate(team):
        initiative.team.append(
            TeamMember(name=member.name, role=member.role, user_id=member.user_id, position=position)
        )


def create_initiative(db: Session, principal: Principal, *, data: InitiativeCreate) -> Initiative:
    policy.require(
        policy.can_create_initiative(principal, organisation_id=data.organisation_id, program_id=data.program_id),
        _("You may not start initiatives in this organisation or programme."),
    )
    organisation = db.get(Organisation, data.organisation_id)
    if organisation is None:
        raise InvalidInput([FieldError(("organisation_id",), _("Choose an organisation."))])
    if data.program_id is not None:
        program = db.get(Program, data.program_id)
        if program is None:
            raise InvalidInput([FieldError(("program_id",), _("Choose a programme."))])
        if organisation not in program.organisations:
            raise InvalidInput(
                [FieldError(("program_id",), _("The organisation does not take part in this programme."))]
            )
    if data.rag is not None:
        policy.require(
            principal.is_admin or data.organisation_id in principal.leader_orgs,
            _("Only the management team sets the RAG status."),
        )
    _free_text_check({f: getattr(data, f) for f in FREE_TEXT_FIELDS}, data.team, data.confirm_personal_data)
    initiative = Initiative(
        organisation_id=data.organisation_id,
        program_id=data.program_id,
        status=data.status.value,
        rag=data.rag.value if data.rag else None,
        **{f: getattr(data, f) for f in CONTENT_FIELDS},
    )
    db.add(initiative)
    db.flush()
    _replace_team(db, initiative, data.team)
    actor = actor_of(db, principal)
    grant(db, actor, Role.MEMBER, initiative_id=initiative.id)
    db.flush()
    audit.record(
        db,
        actor=actor,
        action="create",
        entity="initiative",
        entity_id=initiative.id,
        initiative_id=initiative.id,
        after=audit.snapshot(initiative),
    )
    return initiative


# --- editing -------------------------------------------------------------------------------------------


def editable_values(initiative: Initiative) -> dict[str, Any]:
    """The stored values a user edits, for a conflict view beside their own input."""
    values = {f: getattr(initiative, f) for f in (*CONTENT_FIELDS, *REVIEW_FIELDS)}
    values["version"] = initiative.version
    return values


def update_initiative(db: Session, principal: Principal, initiative_id: int, *, data: InitiativeUpdate) -> Initiative:
    initiative = get_visible(db, principal, initiative_id)
    may_edit = policy.can_edit(principal, initiative)
    may_review = policy.can_review(principal, initiative)
    policy.require(may_edit or may_review)
    check_version(initiative, data.version, current=editable_values(initiative))

    changes = {k: v for k, v in data.changes().items() if getattr(initiative, k) != v}
    if any(k in CONTENT_FIELDS for k in changes) or data.team is not None:
        policy.require(may_edit, _("Only the improvement team edits the initiative's content."))
    if any(k in REVIEW_FIELDS for k in changes):
        policy.require(may_review, _("Only the management team changes the status and RAG."))

    started = changes.get("started_on", initiative.started_on)
    ends = changes.get("ends_on", initiative.ends_on)
    try:
        check_dates_ordered(started, ends)
    except ValueError as exc:  # PydanticCustomError is a ValueError
        raise InvalidInput([FieldError(("ends_on",), str(exc))]) from exc
    _free_text_check({k: v for k, v in changes.items() if k in FREE_TEXT_FIELDS}, data.team, data.confirm_personal_data)

    before = audit.snapshot(initiative)
    for name, value in changes.items():
        setattr(initiative, name, value.value if isinstance(value, Enum) else value)
    if data.team is not None:
        _replace_team(db, initiative, data.team)
    if changes:
        flush_versioned(db)
        audit.record(
            db,
            actor=actor_of(db, principal),
            action="update",
            entity="initiative",
            entity_id=initiative.id,
            initiative_id=initiative.id,
            before=before,
            after=audit.snapshot(initiative),
        )
    db.flush()
    return initiative


def can_delete(principal: Principal, initiative: Initiative) -> bool:
    return policy.can_create_initiative(
        principal, organisation_id=initiative.organisation_id, program_id=initiative.program_id
    )


def delete_initiative(db: Session, principal: Principal, initiative_id: int) -> None:
    initiative = get_visible(db, principal, initiative_id)
    policy.require(can_delete(principal, initiative), _("Only the management team or an administrator deletes."))
    actor = actor_of(db, principal)
    before = audit.snapshot(initiative)
    soft_delete(initiative, actor)
    flush_versioned(db)
    audit.record(
        db,
        actor=actor,
        action="delete",
        entity="initiative",
        entity_id=initiative.id,
        initiative_id=initiative.id,
        before=before,
        after=audit.snapshot(initiative),
    )


# --- team ----------------------------------------------------------------------------------------------


def _team_member(db: Session, principal: Principal, initiative_id: int, member_id: int) -> TeamMember:
    initiative = get_editable(db, principal, initiative_id)
    for member in initiative.team:
        if member.id == member_id:
            return member
    raise NotFound("Team member not found")


def _record_team(db: Session, principal: Principal, action: str, member: TeamMember, **states: Any) -> None:
    audit.record(
        db,
        actor=actor_of(db, principal),
        action=action,
        entity="team_member",
        entity_id=member.id,
        initiative_id=member.initiative_id,
        **states,
    )


def add_team_member(db: Session, principal: Principal, initiative_id: int, *, data: TeamMemberIn) -> TeamMember:
    initiative = get_editable(db, principal, initiative_id)
    _free_text_check({}, [data], confirmed=False)
    _check_team_users(db, [data])
    position = max((m.position for m in initiative.team), default=-1) + 1
    member = TeamMember(name=data.name, role=data.role, user_id=data.user_id, position=position)
    initiative.team.append(member)
    db.flush()
    _record_team(db, principal, "create", member, after=audit.snapshot(member))
    return member


def update_team_member(
    db: Session, principal: Principal, initiative_id: int, member_id: int, *, data: TeamMemberIn
) -> TeamMember:
    member = _team_member(db, principal, initiative_id, member_id)
    _free_text_check({}, [data], confirmed=False)
    _check_team_users(db, [data])
    before = audit.snapshot(member)
    member.name, member.role, member.user_id = data.name, data.role, data.user_id
    db.flush()
    _record_team(db, principal, "update", member, before=before, after=audit.snapshot(member))
    return member


def remove_team_member(db: Session, principal: Principal, initiative_id: int, member_id: int) -> None:
    member = _team_member(db, principal, initiative_id, member_id)
    _record_team(db, principal, "delete", member, before=audit.snapshot(member))
    member.initiative.team.remove(member)
    db.flush()


def move_team_member(db: Session, principal: Principal, initiative_id: int, member_id: int, *, offset: int) -> None:
    """Move a team member up (offset -1) or down (+1) in the listed order."""
    member = _team_member(db, principal, initiative_id, member_id)
    team = list(member.initiative.team)
    index = team.index(member)
    target = min(max(index + offset, 0), len(team) - 1)
    if target == index:
        return
    team.insert(target, team.pop(index))
    for position, row in enumerate(team):
        row.position = position
    member.initiative.team.sort(key=lambda row: row.position)
    db.flush()
    _record_team(db, principal, "update", member, after={"id": member.id, "position": member.position})


# --- the initiative page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativePage:
    """Everything the initiative page shows, loaded with a fixed number of queries."""

    initiative: Initiative
    cards: list["MeasureCard"]
    cycles: list[PdsaCycle]
    lessons: list[Lesson]
    reviews: Sequence[StatusReview]
    can_edit: bool
    can_review: bool
    can_delete: bool

    def cards_of(self, kind: str) -> list["MeasureCard"]:
        return [c for c in self.cards if c.measure.kind == kind]

    def cycles_by_status(self) -> dict[str, int]:
        counts = dict.fromkeys(("planned", "running", "studied", "done"), 0)
        for cycle in self.cycles:
            counts[cycle.status] = counts.get(cycle.status, 0) + 1
        return counts


def initiative_page(db: Session, principal: Principal, initiative_id: int) -> InitiativePage:
    # Imported here: these services build on this module's access checks.
    from app.services import lessons, pdsa, reviews
    from app.services.analysis import measure_cards

    initiative = get_visible(db, principal, initiative_id)
    return InitiativePage(
        initiative=initiative,
        cards=measure_cards(db, measures_of(db, initiative.id)),
        cycles=pdsa.cycles_of(db, initiative.id),
        lessons=lessons.lessons_of(db, initiative.id),
        reviews=reviews.list_reviews(db, principal, initiative_id=initiative.id),
        can_edit=policy.can_edit(principal, initiative),
        can_review=policy.can_review(principal, initiative),
        can_delete=can_delete(principal, initiative),
    )
