"""Audit trail: one append-only row per change, with the state before and after."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from app.models import AuditEvent, User
from app.models.base import Base

_SKIP = {"created_at", "updated_at", "password_hash"}


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(obj: Base) -> dict[str, Any]:
    """The object's column values as JSON-friendly data (secrets and timestamps left out)."""
    mapper = inspect(obj).mapper
    return {attr.key: _plain(getattr(obj, attr.key)) for attr in mapper.column_attrs if attr.key not in _SKIP}


def record(
    db: Session,
    *,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: int | None,
    initiative_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    if before is not None and after is not None:
        changed = {k for k in after if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed or k in {"id", "version"}}
        after = {k: v for k, v in after.items() if k in changed or k in {"id", "version"}}
    event = AuditEvent(
        actor_id=actor.id if actor else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        initiative_id=initiative_id,
        before=before,
        after=after,
    )
    db.add(event)
    return event
