"""Personal API tokens: each user manages their own. Only a hash is stored; the token is shown once."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.core.i18n import _
from app.models import ApiToken, User
from app.models.base import utcnow
from app.services import audit
from app.services.errors import FieldError, InvalidInput, NotFound

MAX_NAME = 100
MAX_ACTIVE = 20


def list_tokens(db: Session, *, user: User) -> Sequence[ApiToken]:
    """The user's tokens that still work, newest first."""
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    return db.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()


def create_token(db: Session, *, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the user; returns the row and the plain token (never stored, show it once)."""
    name = name.strip()
    if not name or "\x00" in name:
        raise InvalidInput([FieldError(("name",), _("Give the token a name, for example where it will be used."))])
    if len(name) > MAX_NAME:
        raise InvalidInput([FieldError(("name",), _("Enter at most %(n)s characters.") % {"n": MAX_NAME})])
    if len(list_tokens(db, user=user)) >= MAX_ACTIVE:
        message = _("You have %(n)d tokens already. Revoke one you no longer use.") % {"n": MAX_ACTIVE}
        raise InvalidInput([FieldError(("name",), message)])
    token, plain = create_api_token(db, user, name)
    audit.record(db, actor=user, action="create", entity="api_token", entity_id=token.id, after=audit.snapshot(token))
    return token, plain


def revoke_token(db: Session, *, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; someone else's (or an unknown) token is not found."""
    token = db.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    )
    if token is None:
        raise NotFound("Token not found")
    before = audit.snapshot(token)
    token.revoked_at = utcnow()
    db.flush()
    after = audit.snapshot(token)
    audit.record(db, actor=user, action="revoke", entity="api_token", entity_id=token.id, before=before, after=after)
    return token
