"""Who may see and do what (DESIGN.md §2), in one place.

Queries are filtered through the `*_visible` expressions so a list can never contain
what the user may not see, and a guessed id is simply not found (404). Permission
checks on visible objects raise Forbidden (403).
"""

from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, exists, false, or_, select, true

from app.models import Initiative, Organisation, Program, User, program_organisations
from app.models.enums import Role
from app.services.errors import Forbidden


@dataclass(frozen=True)
class Principal:
    user_id: int
    is_admin: bool = False
    coordinator_programs: frozenset[int] = field(default_factory=frozenset)
    leader_orgs: frozenset[int] = field(default_factory=frozenset)
    viewer_orgs: frozenset[int] = field(default_factory=frozenset)
    member_initiatives: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user: User) -> "Principal":
        def ids(role: Role, attr: str) -> frozenset[int]:
            return frozenset(getattr(m, attr) for m in user.memberships if m.role == role)

        return cls(
            user_id=user.id,
            is_admin=user.is_admin,
            coordinator_programs=ids(Role.COORDINATOR, "program_id"),
            leader_orgs=ids(Role.LEADER, "organisation_id"),
            viewer_orgs=ids(Role.VIEWER, "organisation_id"),
            member_initiatives=ids(Role.MEMBER, "initiative_id"),
        )

    @property
    def reader_orgs(self) -> frozenset[int]:
        return self.leader_orgs | self.viewer_orgs


def initiatives_visible(p: Principal) -> ColumnElement[bool]:
    """SQL filter: initiatives the principal may read (soft-deleted ones excluded)."""
    alive = Initiative.deleted_at.is_(None)
    if p.is_admin:
        return alive
    scopes = [
        Initiative.program_id.in_(p.coordinator_programs) if p.coordinator_programs else false(),
        Initiative.organisation_id.in_(p.reader_orgs) if p.reader_orgs else false(),
        Initiative.id.in_(p.member_initiatives) if p.member_initiatives else false(),
    ]
    return alive & or_(*scopes)


def programs_visible(p: Principal) -> ColumnElement[bool]:
    """Programmes the principal coordinates, or in which it can see at least one initiative."""
    if p.is_admin:
        return true()
    has_visible_initiative = exists(
        select(Initiative.id).where(Initiative.program_id == Program.id, initiatives_visible(p))
    )
    coordinated = Program.id.in_(p.coordinator_programs) if p.coordinator_programs else false()
    return or_(coordinated, has_visible_initiative)


def organisations_visible(p: Principal) -> ColumnElement[bool]:
    if p.is_admin:
        return true()
    in_coordinated_program = (
        exists(
            select(program_organisations.c.organisation_id).where(
                program_organisations.c.organisation_id == Organisation.id,
                program_organisations.c.program_id.in_(p.coordinator_programs),
            )
        )
        if p.coordinator_programs
        else false()
    )
    has_visible_initiative = exists(
        select(Initiative.id).where(Initiative.organisation_id == Organisation.id, initiatives_visible(p))
    )
    own = Organisation.id.in_(p.reader_orgs) if p.reader_orgs else false()
    return or_(own, in_coordinated_program, has_visible_initiative)


def can_read(p: Principal, initiative: Initiative) -> bool:
    if initiative.deleted_at is not None:
        return False
    return (
        p.is_admin
        or initiative.id in p.member_initiatives
        or initiative.organisation_id in p.reader_orgs
        or (initiative.program_id is not None and initiative.program_id in p.coordinator_programs)
    )


def can_edit(p: Principal, initiative: Initiative) -> bool:
    """Team work: the initiative's content, measures, measurements, PDSA cycles and lessons."""
    return p.is_admin or initiative.id in p.member_initiatives


def can_review(p: Principal, initiative: Initiative) -> bool:
    """Ledningsgrupp decisions: status reviews, RAG and status."""
    return p.is_admin or initiative.organisation_id in p.leader_orgs


def can_see_audit(p: Principal, initiative: Initiative) -> bool:
    return can_review(p, initiative)


def can_create_initiative(p: Principal, *, organisation_id: int, program_id: int | None) -> bool:
    return (
        p.is_admin
        or organisation_id in p.leader_orgs
        or (program_id is not None and program_id in p.coordinator_programs)
    )


def can_manage_program(p: Principal, program_id: int) -> bool:
    return p.is_admin or program_id in p.coordinator_programs


def require(allowed: bool, message: str = "You may not do this.") -> None:
    if not allowed:
        raise Forbidden(message)
