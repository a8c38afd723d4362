"""User accounts and role memberships."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.passwords import hash_password, password_problem
from app.core.i18n import _
from app.models import Membership, User
from app.models.enums import Role
from app.services.errors import Conflict, FieldError, InvalidInput


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_user(
    db: Session, *, email: str, name: str, password: str, language: str = "sv", admin: bool = False
) -> User:
    email = normalise_email(email)
    errors: list[FieldError] = []
    if "@" not in email or len(email) > 254:
        errors.append(FieldError(("email",), _("Enter a valid email address.")))
    if not name.strip():
        errors.append(FieldError(("name",), _("Enter a name.")))
    if problem := password_problem(password, email=email):
        errors.append(FieldError(("password",), problem))
    if errors:
        raise InvalidInput(errors)
    if db.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(_("A user with this email already exists."))
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
