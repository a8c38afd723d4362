"""Audit trail: one append-only row per change, with the state before and after."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, and_, func, inspect, or_, select
from sqlalchemy.orm import Session, selectinload

from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import AuditEvent, Initiative, User
from app.models.base import Base
from app.services.errors import NotFound

# Secrets (even hashed) and bookkeeping timestamps never go into the trail.
_SKIP = {"created_at", "updated_at", "password_hash", "token_hash"}


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


# --- Reading the trail ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditFilter:
    entity: str | None = None
    entity_id: int | None = None
    actor_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def changes(event: AuditEvent) -> list[Change]:
    """The fields that differ between before and after (all fields for a create or a delete)."""
    before, after = event.before or {}, event.after or {}
    names = [k for k in after if k not in _SKIP] + [k for k in before if k not in after and k not in _SKIP]
    both = bool(before) and bool(after)
    return [
        Change(name, before.get(name), after.get(name))
        for name in names
        if name not in {"id", "version"} and (not both or before.get(name) != after.get(name))
    ]


def _page(db: Session, query: Select[AuditEvent], limit: int, offset: int) -> tuple[Sequence[AuditEvent], int]:
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(
        query.options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return rows, total


def for_initiative(
    db: Session, principal: Principal, *, initiative_id: int, limit: int = 100, offset: int = 0
) -> tuple[Initiative, Sequence[AuditEvent], int]:
    """An initiative's trail: admins and leaders of its organisation; 403 for other readers, 404 for the rest."""
    initiative = db.scalar(
        select(Initiative).where(Initiative.id == initiative_id, policy.initiatives_visible(principal))
    )
    if initiative is None:
        raise NotFound("Initiative not found")
    policy.require(
        policy.can_see_audit(principal, initiative), _("Only leaders and administrators see the audit trail.")
    )
    query = select(AuditEvent).where(
        or_(
            AuditEvent.initiative_id == initiative.id,
            and_(AuditEvent.entity == "initiative", AuditEvent.entity_id == initiative.id),
        )
    )
    rows, total = _page(db, query, limit, offset)
    return initiative, rows, total


def search(
    db: Session, principal: Principal, filters: AuditFilter, *, limit: int = 100, offset: int = 0
) -> tuple[Sequence[AuditEvent], int]:
    """The whole trail, filtered (administrators only)."""
    policy.require(principal.is_admin, _("Only administrators see the whole audit trail."))
    query = select(AuditEvent)
    if filters.entity:
        query = query.where(AuditEvent.entity == filters.entity)
    if filters.entity_id is not None:
        query = query.where(AuditEvent.entity_id == filters.entity_id)
    if filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.date_from is not None:
        query = query.where(AuditEvent.at >= _start_of(filters.date_from))
    if filters.date_to is not None:
        query = query.where(AuditEvent.at < _start_of(filters.date_to + timedelta(days=1)))
    return _page(db, query, limit, offset)


def _start_of(day: date) -> datetime:
    """Midnight in Sweden, where the users are, as UTC."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo("Europe/Stockholm")).astimezone(UTC)


def filter_choices(db: Session, principal: Principal) -> tuple[list[str], Sequence[User]]:
    """Entity kinds and actors that occur in the trail, for the filter lists."""
    policy.require(principal.is_admin)
    entities = sorted(db.scalars(select(AuditEvent.entity).distinct()).all())
    actors = db.scalars(
        select(User).where(User.id.in_(select(AuditEvent.actor_id).distinct())).order_by(User.name)
    ).all()
    return entities, actors
