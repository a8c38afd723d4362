"""User accounts and role memberships.

Managing users and roles is for administrators only. Coordinators could in principle hand out
leader/viewer/member roles within their programme's organisations, but a role also grants
access to client-adjacent data, so that decision stays with the administrator (one place to
review who can see what; every grant and revoke is in the audit trail).
"""

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.auth import sessions
from app.auth.passwords import hash_password, password_problem, verify_password
from app.core.config import Settings
from app.core.i18n import LANGUAGES, _
from app.models import Initiative, Membership, Organisation, Program, User
from app.models.enums import Role
from app.services import audit
from app.services.common import check_version
from app.services.errors import FieldError, Forbidden, InvalidInput, NotFound

_EMAIL = re.compile(r"^[^@\s\x00-\x1f]+@[^@\s\x00-\x1f]+\.[^@\s\x00-\x1f]+$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 200
MAX_EMAIL = 254
# Where each role's scope is stored on Membership, and what kind of object it names.
SCOPES: dict[Role, tuple[str, type[Program | Organisation | Initiative]] | None] = {
    Role.ADMIN: None,
    Role.COORDINATOR: ("program_id", Program),
    Role.LEADER: ("organisation_id", Organisation),
    Role.VIEWER: ("organisation_id", Organisation),
    Role.MEMBER: ("initiative_id", Initiative),
}


# Shown next to the scope field when it does not fit the role (functions: translated per request).
SCOPE_MESSAGES = {
    Role.COORDINATOR: lambda: _("A coordinator needs a programme."),
    Role.LEADER: lambda: _("A leader needs an organisation."),
    Role.VIEWER: lambda: _("A viewer needs an organisation."),
    Role.MEMBER: lambda: _("A team member needs an initiative."),
}


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _account_errors(
    *, email: str | None = None, name: str | None = None, language: str | None = None
) -> list[FieldError]:
    errors: list[FieldError] = []
    if email is not None and (len(email) > MAX_EMAIL or not _EMAIL.match(email)):
        errors.append(FieldError(("email",), _("Enter a valid email address.")))
    if name is not None:
        if not name.strip() or _CONTROL.search(name):
            errors.append(FieldError(("name",), _("Enter a name.")))
        elif len(name.strip()) > MAX_NAME:
            errors.append(FieldError(("name",), _("Enter at most %(n)s characters.") % {"n": MAX_NAME}))
    if language is not None and language not in LANGUAGES:
        errors.append(FieldError(("language",), _("Choose one of the options.")))
    return errors


def create_user(
    db: Session, *, email: str, name: str, password: str, language: str = "sv", admin: bool = False
) -> User:
    """A new account. Invalid input, a weak password or a taken email raise InvalidInput (by field)."""
    email = normalise_email(email)
    errors = _account_errors(email=email, name=name, language=language)
    if problem := password_problem(password, email=email):
        errors.append(FieldError(("password",), problem))
    if not errors and db.scalar(select(User.id).where(User.email == email)) is not None:
        errors.append(FieldError(("email",), _("A user with this email already exists."), "duplicate"))
    if errors:
        raise InvalidInput(errors)
    user = User(email=email, name=name.strip(), password_hash=hash_password(password), language=language)
    db.add(user)
    db.flush()
    if admin:
        grant(db, user, Role.ADMIN)
    return user


def grant(
    db: Session,
    user: User,
    role: Role,
    *,
    program_id: int | None = None,
    organisation_id: int | None = None,
    initiative_id: int | None = None,
) -> Membership:
    """Give a role in a scope; granting an existing role again returns the existing membership."""
    for membership in user.memberships:
        if (membership.role, membership.program_id, membership.organisation_id, membership.initiative_id) == (
            role.value,
            program_id,
            organisation_id,
            initiative_id,
        ):
            return membership
    membership = Membership(
        role=role.value, program_id=program_id, organisation_id=organisation_id, initiative_id=initiative_id
    )
    user.memberships.append(membership)
    db.flush()
    return membership


def get_by_email(db: Session, email: str) -> User | None:
    return db.scalar(select(User).where(User.email == normalise_email(email)))


# --- Own account -------------------------------------------------------------------------------


def change_password(
    db: Session,
    settings: Settings,
    *,
    user: User,
    current_password: str,
    new_password: str,
    confirm_password: str,
) -> str:
    """Set a new password, log the user out everywhere and return a fresh session token for this browser."""
    errors: list[FieldError] = []
    if not verify_password(user.password_hash, current_password[: sessions.MAX_PASSWORD_LENGTH]):
        errors.append(FieldError(("current_password",), _("The current password is wrong.")))
    if problem := password_problem(new_password, email=user.email):
        errors.append(FieldError(("new_password",), problem))
    elif len(new_password) > sessions.MAX_PASSWORD_LENGTH:
        errors.append(
            FieldError(("new_password",), _("Enter at most %(n)s characters.") % {"n": sessions.MAX_PASSWORD_LENGTH})
        )
    elif new_password != confirm_password:
        errors.append(FieldError(("confirm_password",), _("The passwords do not match.")))
    if errors:
        raise InvalidInput(errors)
    user.password_hash = hash_password(new_password)
    sessions.close_all_sessions(db, user)
    audit.record(db, actor=user, action="password", entity="user", entity_id=user.id)
    return sessions.open_session(db, settings, user)


# --- Administration ----------------------------------------------------------------------------


def require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden(_("Only administrators may manage users."))


def search(db: Session, *, actor: User, q: str = "", limit: int = 50, offset: int = 0) -> tuple[Sequence[User], int]:
    """Users whose name or email contains `q`, by name."""
    require_admin(actor)
    query = select(User)
    if q.strip():
        pattern = f"%{q.replace(chr(0), '').strip().lower()[:100]}%"
        query = query.where(or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern)))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(query.order_by(func.lower(User.name), User.id).limit(limit).offset(offset)).all()
    return rows, total


def get_user(db: Session, *, actor: User, user_id: int) -> User:
    require_admin(actor)
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def generate_password() -> str:
    """A random initial password (about 96 bits), shown to the administrator once."""
    return secrets.token_urlsafe(12)


def admin_create_user(
    db: Session, *, actor: User, email: str, name: str, password: str = "", language: str = "sv"
) -> tuple[User, str | None]:
    """Create an account; with an empty password one is generated and returned (to show once)."""
    require_admin(actor)
    generated = None if password else generate_password()
    user = create_user(db, email=email, name=name, password=password or str(generated), language=language)
    audit.record(db, actor=actor, action="create", entity="user", entity_id=user.id, after=audit.snapshot(user))
    return user, generated


def update_user(
    db: Session, *, actor: User, user_id: int, name: str, is_active: bool, language: str, version: int | None
) -> User:
    """Change name, language and the active flag; deactivating ends the user's sessions."""
    user = get_user(db, actor=actor, user_id=user_id)
    check_version(user, version)
    errors = _account_errors(name=name, language=language)
    if user.id == actor.id and not is_active:
        errors.append(FieldError(("is_active",), _("You cannot deactivate your own account.")))
    if errors:
        raise InvalidInput(errors)
    before = audit.snapshot(user)
    user.name, user.is_active, user.language = name.strip(), is_active, language
    db.flush()
    if not is_active:
        sessions.close_all_sessions(db, user)
    audit.record(
        db, actor=actor, action="update", entity="user", entity_id=user.id, before=before, after=audit.snapshot(user)
    )
    return user


@dataclass(frozen=True)
class RoleView:
    """One of a user's roles, with the name of its programme, organisation or initiative."""

    membership: Membership
    scope_kind: str | None
    scope_name: str | None


def roles_of(db: Session, user: User) -> list[RoleView]:
    views = []
    for m in sorted(user.memberships, key=lambda m: (list(Role).index(Role(m.role)), m.id)):
        kind = SCOPES[Role(m.role)]
        if kind is None:
            views.append(RoleView(m, None, None))
            continue
        column, model = kind
        target = db.get(model, getattr(m, column))
        name = getattr(target, "title", None) or getattr(target, "name", None)
        views.append(RoleView(m, column.removesuffix("_id"), name))
    return views


@dataclass(frozen=True)
class ScopeChoices:
    programs: Sequence[Program]
    organisations: Sequence[Organisation]
    initiatives: Sequence[Initiative]


def scope_choices(db: Session, *, actor: User) -> ScopeChoices:
    require_admin(actor)
    return ScopeChoices(
        programs=db.scalars(select(Program).order_by(Program.name)).all(),
        organisations=db.scalars(select(Organisation).order_by(Organisation.name)).all(),
        initiatives=db.scalars(
            select(Initiative).where(Initiative.deleted_at.is_(None)).order_by(Initiative.title)
        ).all(),
    )


def grant_role(db: Session, *, actor: User, user_id: int, role: str, scope: str | None) -> Membership:
    """Give `user_id` a role; `scope` ("program:3", "organisation:5", "initiative:8") names what it applies to."""
    user = get_user(db, actor=actor, user_id=user_id)
    try:
        chosen = Role(role)
    except ValueError:
        raise InvalidInput([FieldError(("role",), _("Choose a role."))]) from None
    ids: dict[str, int] = {}
    if (kind := SCOPES[chosen]) is not None:
        column, model = kind
        wanted = column.removesuffix("_id")
        prefix, _sep, raw = (scope or "").partition(":")
        target = int(raw) if raw.isdigit() and len(raw) <= 9 else None
        found = db.get(model, target) if prefix == wanted and target is not None else None
        if target is None or found is None or getattr(found, "deleted_at", None) is not None:
            raise InvalidInput([FieldError(("scope",), SCOPE_MESSAGES[chosen]())])
        ids[column] = target
    if any(m.role == chosen.value and all(getattr(m, k) == v for k, v in ids.items()) for m in user.memberships):
        raise InvalidInput([FieldError(("role",), _("The user already has this role."), "duplicate")])
    membership = grant(db, user, chosen, **ids)
    audit.record(
        db,
        actor=actor,
        action="grant",
        entity="membership",
        entity_id=membership.id,
        initiative_id=membership.initiative_id,
        after=audit.snapshot(membership),
    )
    return membership


def revoke_role(db: Session, *, actor: User, user_id: int, membership_id: int) -> None:
    user = get_user(db, actor=actor, user_id=user_id)
    membership = next((m for m in user.memberships if m.id == membership_id), None)
    if membership is None:
        raise NotFound("Role not found")
    if membership.role == Role.ADMIN.value and _admin_count(db) <= 1:
        raise InvalidInput([FieldError(("role",), _("The last administrator cannot lose the administrator role."))])
    before = audit.snapshot(membership)
    user.memberships.remove(membership)
    db.flush()
    audit.record(
        db,
        actor=actor,
        action="revoke",
        entity="membership",
        entity_id=membership_id,
        initiative_id=membership.initiative_id,
        before=before,
    )


def _admin_count(db: Session) -> int:
    active_admins = (
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.role == Role.ADMIN.value, User.is_active.is_(True))
    )
    return int(db.scalar(active_admins) or 0)
