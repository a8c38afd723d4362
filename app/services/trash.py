"""Papperskorg (trash): undo deletes of initiatives, measures, values, PDSA cycles and lessons.

Deletes are soft (`deleted_at`). For `RETENTION_DAYS` days a deleted item can be restored:
- items of an initiative (measures, values, PDSA cycles, lessons) by whoever may edit the initiative
  (its team members and admins), from the initiative's trash page;
- a deleted initiative by its former team members, admins, and those who may delete it (the
  organisation's leaders, the programme's coordinators), from the /trash page.

After `RETENTION_DAYS` an item is no longer listed or restorable, whether or not it has been purged yet;
`framsteg trash purge` then removes it for good (run it daily, e.g. from cron). Purging deletes the rows
and everything that belongs to them (a measure's values, an initiative's measures, team and reviews),
and records one audit event "purge" per item. The audit trail itself is kept.

A value is stored once per measure and period: logging the same period again after a delete revives the
deleted row. Restoring a value that was logged again is refused (Conflict), so nothing is overwritten.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, cast

from sqlalchemy import ColumnElement, Select, delete, false, func, or_, select, true
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Initiative, Lesson, Measure, Measurement, PdsaCycle, User
from app.models.base import SoftDeleteMixin, utcnow
from app.services import audit
from app.services import measurements as measurement_service
from app.services.common import check_version
from app.services.errors import Conflict, NotFound
from app.services.initiatives import actor_of, get_editable

RETENTION_DAYS = 30
RETENTION = timedelta(days=RETENTION_DAYS)


class Kind(StrEnum):
    """What can be in the trash; the values are the audit trail's entity names."""

    INITIATIVE = "initiative"
    MEASURE = "measure"
    MEASUREMENT = "measurement"
    PDSA_CYCLE = "pdsa_cycle"
    LESSON = "lesson"


Deletable = Initiative | Measure | Measurement | PdsaCycle | Lesson
MODELS: dict[Kind, type[Deletable]] = {
    Kind.INITIATIVE: Initiative,
    Kind.MEASURE: Measure,
    Kind.MEASUREMENT: Measurement,
    Kind.PDSA_CYCLE: PdsaCycle,
    Kind.LESSON: Lesson,
}
ChildModel = type[Measure] | type[PdsaCycle] | type[Lesson]
CHILD_MODELS: dict[Kind, ChildModel] = {Kind.MEASURE: Measure, Kind.PDSA_CYCLE: PdsaCycle, Kind.LESSON: Lesson}
# Children before parents, so a purge never counts rows its parent's cascade already removed.
PURGE_ORDER = (Kind.MEASUREMENT, Kind.LESSON, Kind.PDSA_CYCLE, Kind.MEASURE, Kind.INITIATIVE)


@dataclass(frozen=True)
class TrashItem:
    kind: Kind
    id: int
    version: int
    initiative_id: int
    title: str
    deleted_at: datetime
    deleted_by: str | None
    # For a value: the measure and period; for a measure: its number of values.
    measure_name: str | None = None
    period: str | None = None
    value: float | None = None

    @property
    def restorable_until(self) -> datetime:
        return self.deleted_at + RETENTION


@dataclass
class InitiativeTrash:
    initiative: Initiative
    items: list[TrashItem] = field(default_factory=list)

    def of_kind(self, kind: Kind) -> list[TrashItem]:
        return [item for item in self.items if item.kind == kind]


@dataclass(frozen=True)
class TrashOverview:
    """The /trash page: deleted initiatives the user may restore, and editable initiatives with deleted items."""

    initiatives: list[TrashItem]
    with_items: list[tuple[Initiative, int]]


def cutoff(now: datetime | None = None) -> datetime:
    """Items deleted before this moment are past the retention period."""
    return (now or utcnow()) - RETENTION


def _in_trash(model: type[Deletable], now: datetime | None) -> ColumnElement[bool]:
    return model.deleted_at.is_not(None) & (model.deleted_at >= cutoff(now))


def _deleter_names(db: Session, rows: Sequence[SoftDeleteMixin]) -> dict[int, str]:
    ids = {row.deleted_by_id for row in rows if row.deleted_by_id is not None}
    if not ids:
        return {}
    return dict(db.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


# --- an initiative's trash -------------------------------------------------------------------------------


def initiative_trash(
    db: Session, principal: Principal, *, initiative_id: int, now: datetime | None = None
) -> InitiativeTrash:
    """Deleted measures, values, PDSA cycles and lessons of an initiative, most recently deleted first.

    NotFound when the initiative is not visible, Forbidden unless the user may edit it. Values of a
    deleted measure are not listed on their own: restoring the measure brings them back.
    """
    initiative = get_editable(db, principal, initiative_id)
    measures = db.scalars(select(Measure).where(Measure.initiative_id == initiative.id, _in_trash(Measure, now))).all()
    values = db.scalars(
        select(Measurement)
        .join(Measure, Measure.id == Measurement.measure_id)
        .where(Measure.initiative_id == initiative.id, Measure.deleted_at.is_(None), _in_trash(Measurement, now))
        .options(selectinload(Measurement.measure))
    ).all()
    cycles = db.scalars(
        select(PdsaCycle).where(PdsaCycle.initiative_id == initiative.id, _in_trash(PdsaCycle, now))
    ).all()
    lessons = db.scalars(select(Lesson).where(Lesson.initiative_id == initiative.id, _in_trash(Lesson, now))).all()
    names = _deleter_names(db, [*measures, *values, *cycles, *lessons])
    items = [
        *(_item(Kind.MEASURE, m, initiative.id, m.name, names) for m in measures),
        *(
            _item(
                Kind.MEASUREMENT,
                v,
                initiative.id,
                v.measure.name,
                names,
                measure_name=v.measure.name,
                period=v.period,
                value=v.value,
            )
            for v in values
        ),
        *(_item(Kind.PDSA_CYCLE, c, initiative.id, c.title, names) for c in cycles),
        *(_item(Kind.LESSON, lesson, initiative.id, lesson.text, names) for lesson in lessons),
    ]
    items.sort(key=lambda item: (item.deleted_at, item.id), reverse=True)
    return InitiativeTrash(initiative, items)


def _item(kind: Kind, row: Deletable, initiative_id: int, title: str, names: dict[int, str], **extra: Any) -> TrashItem:
    assert row.deleted_at is not None
    return TrashItem(
        kind=kind,
        id=row.id,
        version=row.version,
        initiative_id=initiative_id,
        title=title,
        deleted_at=row.deleted_at,
        deleted_by=names.get(row.deleted_by_id) if row.deleted_by_id is not None else None,
        **extra,
    )


# --- deleted initiatives ---------------------------------------------------------------------------------


def _may_restore_initiatives(principal: Principal) -> ColumnElement[bool]:
    """SQL filter: initiatives (deleted or not) whose deletion the principal may undo."""
    if principal.is_admin:
        return true()
    scopes = [
        Initiative.id.in_(principal.member_initiatives) if principal.member_initiatives else false(),
        Initiative.organisation_id.in_(principal.leader_orgs) if principal.leader_orgs else false(),
        Initiative.program_id.in_(principal.coordinator_programs) if principal.coordinator_programs else false(),
    ]
    return or_(*scopes)


def _deleted_initiatives(principal: Principal, now: datetime | None) -> Select[Initiative]:
    return select(Initiative).where(_in_trash(Initiative, now), _may_restore_initiatives(principal))


def overview(db: Session, principal: Principal, *, now: datetime | None = None) -> TrashOverview:
    deleted = db.scalars(
        _deleted_initiatives(principal, now)
        .options(selectinload(Initiative.organisation))
        .order_by(Initiative.deleted_at.desc(), Initiative.id.desc())
    ).all()
    names = _deleter_names(db, deleted)
    items = [_item(Kind.INITIATIVE, i, i.id, i.title, names) for i in deleted]
    return TrashOverview(items, _initiatives_with_items(db, principal, now))


def _initiatives_with_items(db: Session, principal: Principal, now: datetime | None) -> list[tuple[Initiative, int]]:
    editable = select(Initiative.id).where(policy.initiatives_visible(principal))
    if not principal.is_admin:
        editable = editable.where(Initiative.id.in_(principal.member_initiatives))
    counts: Counter[int] = Counter()
    for model in (Measure, PdsaCycle, Lesson):
        query = select(model.initiative_id, func.count()).where(
            model.initiative_id.in_(editable), _in_trash(model, now)
        )
        counts.update(dict(db.execute(query.group_by(model.initiative_id)).all()))
    values = (
        select(Measure.initiative_id, func.count())
        .join(Measurement, Measurement.measure_id == Measure.id)
        .where(Measure.initiative_id.in_(editable), Measure.deleted_at.is_(None), _in_trash(Measurement, now))
    )
    counts.update(dict(db.execute(values.group_by(Measure.initiative_id)).all()))
    if not counts:
        return []
    initiatives = db.scalars(select(Initiative).where(Initiative.id.in_(counts)).order_by(Initiative.title)).all()
    return [(i, counts[i.id]) for i in initiatives]


# --- restoring -------------------------------------------------------------------------------------------


def restore(
    db: Session,
    principal: Principal,
    *,
    kind: Kind,
    item_id: int,
    version: int | None,
    initiative_id: int | None = None,
    now: datetime | None = None,
) -> Deletable:
    """Undo a delete, based on the `version` the user saw in the trash (stale or missing → Conflict).

    Items of an initiative need `initiative_id` (the initiative must be live and editable by the
    user). NotFound when the item is not in that initiative's trash (or is past the retention
    period); Conflict when it was restored meanwhile, its measure is deleted, or (for a value) its
    period has been logged again. Records an audit event "restore".
    """
    row: Deletable
    if kind == Kind.INITIATIVE:
        row = initiative = _deleted_initiative(db, principal, item_id, now)
    else:
        if initiative_id is None:
            raise NotFound(_("Not found in the trash."))
        initiative = get_editable(db, principal, initiative_id)
        row = _deleted_item(db, kind, item_id, initiative, now)
    check_version(row, version, current={"id": row.id, "version": row.version})
    actor = actor_of(db, principal)
    before = audit.snapshot(row)
    row.deleted_at, row.deleted_by_id = None, None
    if isinstance(row, Measurement):
        row.updated_by_id = actor.id
    try:
        db.flush()
    except StaleDataError as exc:  # restored or changed by someone else between our read and write
        raise Conflict(_("Someone else changed this in the meantime. Reload the page and try again.")) from exc
    if isinstance(row, Measurement):
        # The value's edit history gets a "restore" line, as when a deleted period is logged again.
        measurement_service.record_write(db, row.measure, row, "restore", actor, before=before)
    else:
        audit.record(
            db,
            actor=actor,
            action="restore",
            entity=kind.value,
            entity_id=row.id,
            initiative_id=initiative.id,
            before=before,
            after=audit.snapshot(row),
        )
    return row


def _deleted_initiative(db: Session, principal: Principal, initiative_id: int, now: datetime | None) -> Initiative:
    initiative = db.scalar(
        select(Initiative).where(Initiative.id == initiative_id, _may_restore_initiatives(principal))
    )
    if initiative is None:
        raise NotFound(_("Not found in the trash."))
    if initiative.deleted_at is None:
        if policy.can_read(principal, initiative):
            raise Conflict(_("This has already been restored."))
        raise NotFound(_("Not found in the trash."))
    if initiative.deleted_at < cutoff(now):
        raise NotFound(_expired())
    return initiative


def _expired() -> str:
    return _("This was deleted more than %(days)s days ago and can no longer be restored.") % {"days": RETENTION_DAYS}


def _deleted_item(db: Session, kind: Kind, item_id: int, initiative: Initiative, now: datetime | None) -> Deletable:
    row: Deletable | None
    if kind == Kind.MEASUREMENT:
        row = db.scalar(
            select(Measurement)
            .join(Measure, Measure.id == Measurement.measure_id)
            .where(Measurement.id == item_id, Measure.initiative_id == initiative.id)
        )
    else:
        model = CHILD_MODELS[kind]
        found = db.scalar(select(model).where(model.id == item_id, model.initiative_id == initiative.id))
        row = cast(Deletable | None, found)
    if row is None:
        raise NotFound(_("Not found in the trash."))
    if isinstance(row, Measurement):
        _check_value_restorable(db, row)
    if row.deleted_at is None:
        raise Conflict(_("This has already been restored."))
    if row.deleted_at < cutoff(now):
        raise NotFound(_expired())
    return row


def _check_value_restorable(db: Session, row: Measurement) -> None:
    if row.deleted_at is None or db.scalar(
        select(Measurement.id).where(
            Measurement.measure_id == row.measure_id,
            Measurement.period == row.period,
            Measurement.deleted_at.is_(None),
            Measurement.id != row.id,
        )
    ):
        raise Conflict(
            _(
                "A value for this period has been logged or restored since this one was deleted. Restoring "
                "would overwrite it, so nothing was changed."
            ),
            current=measurement_service.stored(row),
        )
    if row.measure.deleted_at is not None:
        raise Conflict(_("The measure of this value is deleted. Restore the measure first."))


# --- purging ---------------------------------------------------------------------------------------------


def purge(db: Session, *, now: datetime | None = None, dry_run: bool = False) -> dict[Kind, int]:
    """Remove for good what was deleted more than `RETENTION_DAYS` ago; the number removed per kind."""
    limit = cutoff(now)
    counts: dict[Kind, int] = {}
    for kind in PURGE_ORDER:
        model = MODELS[kind]
        query = select(model).where(model.deleted_at.is_not(None), model.deleted_at < limit)
        rows = cast(Sequence[Deletable], db.scalars(query).all())
        counts[kind] = len(rows)
        if dry_run or not rows:
            continue
        for row in rows:
            audit.record(
                db,
                actor=None,
                action="purge",
                entity=kind.value,
                entity_id=row.id,
                initiative_id=_initiative_id(row),
                before=audit.snapshot(row),
            )
        db.flush()
        # The database's ON DELETE CASCADE removes what belongs to the rows (values, history, team, ...).
        ids = [row.id for row in rows]
        db.execute(delete(model).where(model.id.in_(ids)), execution_options={"synchronize_session": False})
        db.expire_all()
    return counts


def _initiative_id(row: Deletable) -> int:
    if isinstance(row, Initiative):
        return row.id
    if isinstance(row, Measurement):
        return row.measure.initiative_id
    return row.initiative_id
