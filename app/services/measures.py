"""Measures: what a team counts, with its operational definition, baseline, target and chart settings.

Every measure belongs to an initiative; it is visible exactly when its initiative is, and editable
by the initiative's team (and admins). Validation here covers every caller (pages, API, seed), so
the schemas only need to catch shapes.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Initiative, Measure, Measurement, User
from app.models.enums import ChartKind, DataType, Direction, Frequency, MeasureKind
from app.services import audit
from app.services.common import FieldRecord, check_version, soft_delete
from app.services.errors import Conflict, FieldError, InvalidInput, NotFound
from app.services.initiatives import get_visible
from app.services.personal_data import check_free_text

MAX_NAME = 200
MAX_UNIT = 50
MAX_DEFINITION = 5_000
MAX_FREEZE = 10_000
# Large enough for any count or cost a team records, small enough that sums stay exact in floats.
MAX_ABS_NUMBER = 1e12
MAX_RATE_MULTIPLIER = 1e9
EARLIEST_TARGET_DATE = date(2000, 1, 1)
LATEST_TARGET_DATE = date(2100, 12, 31)

# The control chart each data type calls for; a run or I chart fits any data.
SPC_CHART = {
    DataType.VALUE: ChartKind.I,
    DataType.PROPORTION: ChartKind.P,
    DataType.RATE: ChartKind.U,
    DataType.COUNT: ChartKind.C,
}


@dataclass(frozen=True)
class MeasureData(FieldRecord):
    """Every editable field of a measure, as plain values (from a form, the API or seed data)."""

    name: str
    kind: str
    data_type: str
    definition: str
    direction: str
    frequency: str
    unit: str = ""
    baseline: float | None = None
    target: float | None = None
    target_date: date | None = None
    chart: str = ChartKind.AUTO.value
    freeze: int | None = None
    rate_multiplier: float = 1.0


def allowed_charts(data_type: str) -> list[str]:
    """Chart choices that fit a data type: auto, run, I, and the type's own control chart."""
    charts = [ChartKind.AUTO.value, ChartKind.RUN.value, ChartKind.I.value]
    spc = SPC_CHART.get(DataType(data_type)) if data_type in {d.value for d in DataType} else None
    if spc is not None and spc != ChartKind.I:
        charts.append(spc.value)
    return charts


def _number_errors(name: str, value: float | None, *, data_type: str) -> list[FieldError]:
    if value is None:
        return []
    if not math.isfinite(value) or abs(value) > MAX_ABS_NUMBER:
        return [FieldError((name,), _("Enter a finite number."))]
    if data_type == DataType.PROPORTION and not 0 <= value <= 100:
        return [FieldError((name,), _("A proportion is between 0 and 100 %."))]
    if data_type in (DataType.COUNT, DataType.RATE) and value < 0:
        return [FieldError((name,), _("The value must be at least %(n)s.") % {"n": 0})]
    return []


def validate(data: MeasureData) -> MeasureData:
    """Check every rule of a measure and return it normalised (trimmed text, % unit for proportions)."""
    data = replace(data, name=data.name.strip(), definition=data.definition.strip(), unit=data.unit.strip())
    errors: list[FieldError] = []
    if not data.name:
        errors.append(FieldError(("name",), _("Give the measure a name.")))
    elif len(data.name) > MAX_NAME:
        errors.append(FieldError(("name",), _("Enter at most %(n)s characters.") % {"n": MAX_NAME}))
    if not data.definition:
        errors.append(
            FieldError(
                ("definition",),
                _("Write the operational definition: what is counted, how, by whom and how often."),
            )
        )
    elif len(data.definition) > MAX_DEFINITION:
        errors.append(FieldError(("definition",), _("Enter at most %(n)s characters.") % {"n": MAX_DEFINITION}))
    if len(data.unit) > MAX_UNIT:
        errors.append(FieldError(("unit",), _("Enter at most %(n)s characters.") % {"n": MAX_UNIT}))
    for name, enum in (
        ("kind", MeasureKind),
        ("data_type", DataType),
        ("direction", Direction),
        ("frequency", Frequency),
        ("chart", ChartKind),
    ):
        if getattr(data, name) not in {e.value for e in enum}:
            errors.append(FieldError((name,), _("Choose one of the options.")))
    if data.data_type in {e.value for e in DataType} and data.chart not in allowed_charts(data.data_type):
        errors.append(FieldError(("chart",), _("This chart type does not fit the measure's kind of data.")))
    if data.freeze is not None and not 2 <= data.freeze <= MAX_FREEZE:
        errors.append(FieldError(("freeze",), _("Freeze the baseline on at least 2 values, or leave it empty.")))
    errors += _number_errors("baseline", data.baseline, data_type=data.data_type)
    errors += _number_errors("target", data.target, data_type=data.data_type)
    if data.target_date is not None and not EARLIEST_TARGET_DATE <= data.target_date <= LATEST_TARGET_DATE:
        errors.append(FieldError(("target_date",), _("Enter a date between 2000 and 2100.")))
    multiplier = data.rate_multiplier
    if data.data_type == DataType.RATE and not (math.isfinite(multiplier) and 0 < multiplier <= MAX_RATE_MULTIPLIER):
        errors.append(FieldError(("rate_multiplier",), _("The multiplier must be a positive number, e.g. 1000.")))
    if errors:
        raise InvalidInput(errors)
    if data.data_type != DataType.RATE:
        data = replace(data, rate_multiplier=1.0)  # only rates are scaled; keep others neutral
    if data.data_type == DataType.PROPORTION and not data.unit:
        data = replace(data, unit="%")
    return data


def _visible_query(principal: Principal) -> Any:
    return (
        select(Measure)
        .join(Initiative, Initiative.id == Measure.initiative_id)
        .where(Measure.deleted_at.is_(None), policy.initiatives_visible(principal))
    )


def get_visible_measure(db: Session, principal: Principal, measure_id: int) -> Measure:
    """The measure if the user may read its initiative; otherwise NotFound (existence is not revealed)."""
    measure: Measure | None = db.scalar(_visible_query(principal).where(Measure.id == measure_id))
    if measure is None:
        raise NotFound(_("Measure not found"))
    return measure


def get_editable_measure(db: Session, principal: Principal, measure_id: int) -> Measure:
    """The measure if the user is on its team (or admin); NotFound if invisible, Forbidden if read-only."""
    measure = get_visible_measure(db, principal, measure_id)
    require_edit(principal, measure.initiative)
    return measure


def require_edit(principal: Principal, initiative: Initiative) -> None:
    policy.require(
        policy.can_edit(principal, initiative),
        _("Only the initiative's improvement team can change its measures and values."),
    )


def list_measures(db: Session, principal: Principal, *, initiative_id: int) -> Sequence[Measure]:
    initiative = get_visible(db, principal, initiative_id)
    return db.scalars(
        select(Measure)
        .where(Measure.initiative_id == initiative.id, Measure.deleted_at.is_(None))
        .order_by(Measure.position, Measure.id)
    ).all()


def _has_values(db: Session, measure: Measure) -> bool:
    return (
        db.scalar(
            select(Measurement.id)
            .where(Measurement.measure_id == measure.id, Measurement.deleted_at.is_(None))
            .limit(1)
        )
        is not None
    )


def _actor(db: Session, principal: Principal) -> User | None:
    return db.get(User, principal.user_id)


def create_measure(
    db: Session,
    principal: Principal,
    *,
    initiative_id: int,
    data: MeasureData,
    confirm_personal_data: bool = False,
) -> Measure:
    """Add a measure to an initiative (its team or an admin)."""
    initiative = get_visible(db, principal, initiative_id)
    require_edit(principal, initiative)
    data = validate(data)
    check_free_text({"name": data.name, "definition": data.definition}, confirmed=confirm_personal_data)
    last = db.scalar(select(func.max(Measure.position)).where(Measure.initiative_id == initiative.id))
    measure = Measure(initiative_id=initiative.id, position=(last or 0) + 1, **asdict(data))
    db.add(measure)
    db.flush()
    audit.record(
        db,
        actor=_actor(db, principal),
        action="create",
        entity="measure",
        entity_id=measure.id,
        initiative_id=initiative.id,
        after=audit.snapshot(measure),
    )
    return measure


def update_measure(
    db: Session,
    principal: Principal,
    *,
    measure_id: int,
    version: int | None,
    changes: Mapping[str, Any],
    confirm_personal_data: bool = False,
) -> Measure:
    """Change some fields of a measure, based on the `version` the user read (stale → Conflict).

    The frequency and data type are fixed once values exist: the stored periods and numbers
    would no longer fit. A new rate multiplier rescales the stored rates.
    """
    measure = get_editable_measure(db, principal, measure_id)
    check_version(measure, version, current=snapshot(measure))
    old = MeasureData.of(measure)
    data = validate(replace(old, **{k: v for k, v in changes.items() if k in MeasureData.__dataclass_fields__}))
    if (data.frequency != old.frequency or data.data_type != old.data_type) and _has_values(db, measure):
        field = "frequency" if data.frequency != old.frequency else "data_type"
        raise InvalidInput(
            [FieldError((field,), _("This cannot change once values are logged. Create a new measure instead."))]
        )
    check_free_text({"name": data.name, "definition": data.definition}, confirmed=confirm_personal_data)
    if data == old:
        return measure
    before = audit.snapshot(measure)
    for name, value in asdict(data).items():
        setattr(measure, name, value)
    if data.rate_multiplier != old.rate_multiplier and data.data_type == DataType.RATE:
        _rescale_rates(db, measure)
    try:
        db.flush()
    except StaleDataError as exc:
        raise Conflict(_("Someone else changed this measure in the meantime. Reload and try again.")) from exc
    audit.record(
        db,
        actor=_actor(db, principal),
        action="update",
        entity="measure",
        entity_id=measure.id,
        initiative_id=measure.initiative_id,
        before=before,
        after=audit.snapshot(measure),
    )
    return measure


def _rescale_rates(db: Session, measure: Measure) -> None:
    rows = db.scalars(
        select(Measurement).where(Measurement.measure_id == measure.id, Measurement.numerator.is_not(None))
    )
    for row in rows:
        if row.numerator is not None and row.denominator:
            row.value = row.numerator / row.denominator * measure.rate_multiplier


def delete_measure(db: Session, principal: Principal, *, measure_id: int, version: int | None = None) -> None:
    """Soft-delete a measure (its values stay, so it can be restored); `version` is checked when given."""
    measure = get_editable_measure(db, principal, measure_id)
    if version is not None:
        check_version(measure, version, current=snapshot(measure))
    actor = _actor(db, principal)
    before = audit.snapshot(measure)
    if actor is not None:
        soft_delete(measure, actor)
    db.flush()
    audit.record(
        db,
        actor=actor,
        action="delete",
        entity="measure",
        entity_id=measure.id,
        initiative_id=measure.initiative_id,
        before=before,
    )


def snapshot(measure: Measure) -> dict[str, Any]:
    """The stored measure as shown beside the user's input in a conflict."""
    return {
        "id": measure.id,
        "version": measure.version,
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(MeasureData.of(measure)).items()},
    }
