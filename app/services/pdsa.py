"""PDSA cycles ("PGSA-cykler"): tests of change with plan, prediction, study and a decision to act on.

Rules:
- a cycle moves planned → running → studied → done; moving to running sets `started_on` (today when
  empty) and studying sets `ended_on`, so the charts can mark the cycle;
- `act` (adopt/adapt/abandon) is decided only once the cycle is studied, and a done cycle needs one;
- linked measures and the previous cycle (a ramp of cycles) belong to the same initiative.
Reading needs the initiative to be visible; changing needs the member role (policy.can_edit).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Initiative, Measure, PdsaCycle
from app.models.base import utcnow
from app.models.enums import PdsaAct, PdsaStatus
from app.schemas.initiatives import check_dates_ordered
from app.schemas.pdsa import FREE_TEXT_FIELDS, PdsaCycleCreate, PdsaCycleUpdate
from app.services import audit
from app.services.common import check_version, soft_delete
from app.services.errors import FieldError, InvalidInput, NotFound
from app.services.initiatives import actor_of, flush_versioned, get_editable, get_visible, measures_of
from app.services.personal_data import check_free_text

STATUS_ORDER = (PdsaStatus.PLANNED, PdsaStatus.RUNNING, PdsaStatus.STUDIED, PdsaStatus.DONE)
FINISHED = {PdsaStatus.STUDIED.value, PdsaStatus.DONE.value}
EDITABLE = (*FREE_TEXT_FIELDS, "act", "status", "started_on", "ended_on", "new_phase", "previous_cycle_id")


def status_labels() -> dict[str, str]:
    return {
        PdsaStatus.PLANNED.value: _("Planned"),
        PdsaStatus.RUNNING.value: _("Running"),
        PdsaStatus.STUDIED.value: _("Studied"),
        PdsaStatus.DONE.value: _("Done"),
    }


def act_labels() -> dict[str, str]:
    return {PdsaAct.ADOPT.value: _("Adopt"), PdsaAct.ADAPT.value: _("Adapt"), PdsaAct.ABANDON.value: _("Abandon")}


# --- reading -------------------------------------------------------------------------------------------


def _cycles_query() -> Select[PdsaCycle]:
    return (
        select(PdsaCycle)
        .where(PdsaCycle.deleted_at.is_(None))
        .options(selectinload(PdsaCycle.measures))
        .order_by(PdsaCycle.started_on.is_(None), PdsaCycle.started_on, PdsaCycle.id)
    )


def cycles_of(db: Session, initiative_id: int) -> list[PdsaCycle]:
    """Live cycles of an initiative (caller has checked visibility), earliest start first, unstarted last."""
    return list(db.scalars(_cycles_query().where(PdsaCycle.initiative_id == initiative_id)).all())


def list_cycles(
    db: Session, principal: Principal, initiative_id: int, *, limit: int = 500, offset: int = 0
) -> tuple[list[PdsaCycle], int]:
    initiative = get_visible(db, principal, initiative_id)
    cycles = cycles_of(db, initiative.id)
    return cycles[offset : offset + limit], len(cycles)


def get_cycle(db: Session, principal: Principal, cycle_id: int, *, initiative_id: int | None = None) -> PdsaCycle:
    """A live cycle of a visible initiative (and of `initiative_id` when given), else NotFound."""
    cycle = db.scalar(_cycles_query().where(PdsaCycle.id == cycle_id))
    if cycle is None or (initiative_id is not None and cycle.initiative_id != initiative_id):
        raise NotFound("PDSA cycle not found")
    get_visible(db, principal, cycle.initiative_id)
    return cycle


def get_editable_cycle(
    db: Session, principal: Principal, cycle_id: int, *, initiative_id: int | None = None
) -> PdsaCycle:
    """A cycle the user may change (member of its initiative): NotFound if invisible, else Forbidden."""
    cycle = get_cycle(db, principal, cycle_id, initiative_id=initiative_id)
    get_editable(db, principal, cycle.initiative_id)
    return cycle


@dataclass(frozen=True)
class Column:
    status: str
    label: str
    cycles: list[PdsaCycle]


def board(cycles: Sequence[PdsaCycle]) -> list[Column]:
    """The board's columns in status order."""
    labels = status_labels()
    return [
        Column(status.value, labels[status.value], [c for c in cycles if c.status == status.value])
        for status in STATUS_ORDER
    ]


def ramp(cycles: Sequence[PdsaCycle], cycle: PdsaCycle) -> list[PdsaCycle]:
    """The ramp the cycle belongs to: its predecessors, itself, then the cycles built on it (first-found
    successor each step), in order. A cycle on its own gives [cycle]."""
    by_id = {c.id: c for c in cycles}
    chain = [cycle]
    seen = {cycle.id}
    current = cycle
    while current.previous_cycle_id in by_id and current.previous_cycle_id not in seen:
        current = by_id[current.previous_cycle_id]
        chain.insert(0, current)
        seen.add(current.id)
    current = cycle
    while True:
        following = [c for c in cycles if c.previous_cycle_id == current.id and c.id not in seen]
        if not following:
            break
        current = following[0]
        chain.append(current)
        seen.add(current.id)
    return chain


def next_status(cycle: PdsaCycle) -> str | None:
    index = [s.value for s in STATUS_ORDER].index(cycle.status)
    return STATUS_ORDER[index + 1].value if index + 1 < len(STATUS_ORDER) else None


# --- validation ----------------------------------------------------------------------------------------


def _check_rules(values: Mapping[str, Any]) -> None:
    errors: list[FieldError] = []
    status, act = values["status"], values["act"]
    if act is not None and status not in FINISHED:
        errors.append(FieldError(("act",), _("Decide how to act once the cycle has been studied.")))
    if status == PdsaStatus.DONE.value and act is None:
        errors.append(FieldError(("act",), _("Choose adopt, adapt or abandon before marking the cycle done.")))
    try:
        check_dates_ordered(values["started_on"], values["ended_on"])
    except ValueError as exc:
        errors.append(FieldError(("ended_on",), str(exc)))
    if errors:
        raise InvalidInput(errors)


def _measures(db: Session, initiative_id: int, ids: Sequence[int]) -> list[Measure]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    found = db.scalars(
        select(Measure).where(
            Measure.id.in_(wanted), Measure.initiative_id == initiative_id, Measure.deleted_at.is_(None)
        )
    ).all()
    if len(found) != len(wanted):
        raise InvalidInput([FieldError(("measure_ids",), _("Choose measures of this initiative."))])
    return sorted(found, key=lambda m: m.id)  # the relationship's order


def _check_previous(db: Session, initiative_id: int, previous_id: int | None, cycle_id: int | None) -> None:
    if previous_id is None:
        return
    message = _("Choose an earlier cycle of this initiative.")
    seen: set[int] = set()
    current_id: int | None = previous_id
    while current_id is not None:
        if current_id == cycle_id or current_id in seen:
            raise InvalidInput([FieldError(("previous_cycle_id",), message)])
        seen.add(current_id)
        previous = db.get(PdsaCycle, current_id)
        if previous is None or previous.initiative_id != initiative_id or previous.deleted_at is not None:
            if current_id == previous_id:
                raise InvalidInput([FieldError(("previous_cycle_id",), message)])
            break
        current_id = previous.previous_cycle_id


def _fill_dates(values: dict[str, Any]) -> None:
    """Starting a cycle dates it, so that it appears on the charts."""
    if values["status"] != PdsaStatus.PLANNED.value and values["started_on"] is None:
        values["started_on"] = min(date.today(), values["ended_on"] or date.today())
    if values["status"] in FINISHED and values["ended_on"] is None:
        values["ended_on"] = max(date.today(), values["started_on"])


def _snapshot(cycle: PdsaCycle) -> dict[str, Any]:
    return {**audit.snapshot(cycle), "measure_ids": [m.id for m in cycle.measures]}


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


# --- changing ------------------------------------------------------------------------------------------


def create_cycle(db: Session, principal: Principal, initiative_id: int, *, data: PdsaCycleCreate) -> PdsaCycle:
    initiative = get_editable(db, principal, initiative_id)
    values = {name: _plain(getattr(data, name)) for name in EDITABLE}
    _check_rules(values)
    measures = _measures(db, initiative.id, data.measure_ids)
    _check_previous(db, initiative.id, data.previous_cycle_id, None)
    check_free_text({f: values[f] for f in FREE_TEXT_FIELDS}, confirmed=data.confirm_personal_data)
    _fill_dates(values)
    cycle = PdsaCycle(initiative_id=initiative.id, **values)
    cycle.measures = measures
    db.add(cycle)
    db.flush()
    audit.record(
        db,
        actor=actor_of(db, principal),
        action="create",
        entity="pdsa_cycle",
        entity_id=cycle.id,
        initiative_id=initiative.id,
        after=_snapshot(cycle),
    )
    return cycle


def editable_values(cycle: PdsaCycle) -> dict[str, Any]:
    """The stored values a user edits, for a conflict view beside their own input."""
    return {
        **{name: getattr(cycle, name) for name in EDITABLE},
        "measure_ids": [m.id for m in cycle.measures],
        "version": cycle.version,
    }


def update_cycle(
    db: Session, principal: Principal, cycle_id: int, *, data: PdsaCycleUpdate, initiative_id: int | None = None
) -> PdsaCycle:
    cycle = get_editable_cycle(db, principal, cycle_id, initiative_id=initiative_id)
    check_version(cycle, data.version, current=editable_values(cycle))
    changes = {k: _plain(v) for k, v in data.changes().items()}
    measure_ids = changes.pop("measure_ids", None)
    changes = {k: v for k, v in changes.items() if getattr(cycle, k) != v}
    values = {name: changes.get(name, getattr(cycle, name)) for name in EDITABLE}
    _check_rules(values)
    measures = _measures(db, cycle.initiative_id, measure_ids) if measure_ids is not None else None
    if "previous_cycle_id" in changes:
        _check_previous(db, cycle.initiative_id, changes["previous_cycle_id"], cycle.id)
    check_free_text({k: v for k, v in changes.items() if k in FREE_TEXT_FIELDS}, confirmed=data.confirm_personal_data)
    _fill_dates(values)
    return _apply(db, principal, cycle, values, measures)


def _apply(
    db: Session, principal: Principal, cycle: PdsaCycle, values: Mapping[str, Any], measures: list[Measure] | None
) -> PdsaCycle:
    before = _snapshot(cycle)
    for name, value in values.items():
        if getattr(cycle, name) != value:
            setattr(cycle, name, value)
    if measures is not None and [m.id for m in measures] != [m.id for m in cycle.measures]:
        cycle.measures = measures
        # Touch the row so that a change of links alone bumps the version too.
        cycle.updated_at = utcnow()
    flush_versioned(db)
    after = _snapshot(cycle)
    if after != before:
        audit.record(
            db,
            actor=actor_of(db, principal),
            action="update",
            entity="pdsa_cycle",
            entity_id=cycle.id,
            initiative_id=cycle.initiative_id,
            before=before,
            after=after,
        )
    return cycle


def advance_cycle(
    db: Session,
    principal: Principal,
    cycle_id: int,
    *,
    version: int,
    act: PdsaAct | None = None,
    initiative_id: int | None = None,
) -> PdsaCycle:
    """One step forward on the board; the step to done takes the decision (`act`)."""
    cycle = get_editable_cycle(db, principal, cycle_id, initiative_id=initiative_id)
    check_version(cycle, version, current=editable_values(cycle))
    target = next_status(cycle)
    if target is None:
        raise InvalidInput([FieldError(("status",), _("The cycle is already done."))])
    values = {name: getattr(cycle, name) for name in EDITABLE}
    values["status"] = target
    if act is not None:
        values["act"] = act.value
    _check_rules(values)
    _fill_dates(values)
    return _apply(db, principal, cycle, values, None)


def delete_cycle(db: Session, principal: Principal, cycle_id: int, *, initiative_id: int | None = None) -> None:
    cycle = get_editable_cycle(db, principal, cycle_id, initiative_id=initiative_id)
    actor = actor_of(db, principal)
    before = _snapshot(cycle)
    soft_delete(cycle, actor)
    flush_versioned(db)
    audit.record(
        db,
        actor=actor,
        action="delete",
        entity="pdsa_cycle",
        entity_id=cycle.id,
        initiative_id=cycle.initiative_id,
        before=before,
        after=_snapshot(cycle),
    )


_CYCLE_SUFFIX = re.compile(r",\s+\S+\s+\d+$")


def next_cycle_draft(db: Session, principal: Principal, cycle_id: int, *, initiative_id: int) -> dict[str, Any]:
    """Form values for the next cycle of a ramp, pre-filled from a finished cycle."""
    cycle = get_cycle(db, principal, cycle_id, initiative_id=initiative_id)
    get_editable(db, principal, cycle.initiative_id)
    if cycle.status not in FINISHED:
        raise InvalidInput([FieldError(("previous_cycle_id",), _("Study the cycle before starting the next one."))])
    chain = ramp(cycles_of(db, cycle.initiative_id), cycle)
    number = chain.index(cycle) + 2  # the position the new cycle takes in the ramp
    base = _CYCLE_SUFFIX.sub("", cycle.title)
    title = _("%(title)s, cycle %(n)s") % {"title": base, "n": number}
    return {
        "title": title[:200],
        "change_idea": cycle.change_idea,
        "plan": cycle.plan,
        "prediction": cycle.prediction,
        "do_notes": "",
        "study_notes": "",
        "act": None,
        "status": PdsaStatus.PLANNED.value,
        "started_on": None,
        "ended_on": None,
        "new_phase": False,
        "measure_ids": [m.id for m in cycle.measures],
        "previous_cycle_id": cycle.id,
    }


# --- pages ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardPage:
    initiative: Initiative
    cycles: list[PdsaCycle]
    columns: list[Column]
    can_edit: bool


def board_page(db: Session, principal: Principal, initiative_id: int) -> BoardPage:
    initiative = get_visible(db, principal, initiative_id)
    cycles = cycles_of(db, initiative.id)
    return BoardPage(initiative, cycles, board(cycles), policy.can_edit(principal, initiative))


@dataclass(frozen=True)
class CyclePage:
    initiative: Initiative
    cycle: PdsaCycle
    ramp: list[PdsaCycle]
    can_edit: bool


def cycle_page(db: Session, principal: Principal, initiative_id: int, cycle_id: int) -> CyclePage:
    cycle = get_cycle(db, principal, cycle_id, initiative_id=initiative_id)
    initiative = cycle.initiative
    return CyclePage(
        initiative, cycle, ramp(cycles_of(db, initiative.id), cycle), policy.can_edit(principal, initiative)
    )


@dataclass(frozen=True)
class FormChoices:
    """What the cycle form offers: the initiative's measures and the cycles a new one can build on."""

    initiative: Initiative
    measures: list[Measure]
    cycles: list[PdsaCycle]


def form_choices(db: Session, principal: Principal, initiative_id: int, *, cycle_id: int | None = None) -> FormChoices:
    initiative = get_editable(db, principal, initiative_id)
    cycles = [c for c in cycles_of(db, initiative.id) if c.id != cycle_id]
    return FormChoices(initiative, measures_of(db, initiative.id), cycles)
