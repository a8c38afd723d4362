"""Helpers every service uses: optimistic concurrency and soft delete."""

from typing import Any, Protocol

from app.core.i18n import _
from app.models import User
from app.models.base import utcnow
from app.services.errors import Conflict


class Versioned(Protocol):
    version: int


def check_version(obj: Versioned, version: int | None, current: dict[str, Any] | None = None) -> None:
    """Refuse an edit based on an older version than the stored one (409, nothing is overwritten)."""
    if version is None or version != obj.version:
        raise Conflict(
            _("Someone else changed this in the meantime (your version %(yours)s, now %(now)s).")
            % {"yours": version, "now": obj.version},
            current=current,
        )


class SoftDeletable(Protocol):
    deleted_at: Any
    deleted_by_id: int | None


def soft_delete(obj: SoftDeletable, user: User) -> None:
    obj.deleted_at = utcnow()
    obj.deleted_by_id = user.id
