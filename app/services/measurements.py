"""Measurements: one value per measure and period, with full edit history.

Every change (create, correction, delete, revival) writes a `MeasurementRevision` row and an audit
event. A correction must be based on the version the user read, so two people logging the same
week never silently overwrite each other: the second gets a Conflict carrying the stored values.
"""

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.analysis import (
    AnalysisResult,
    ChartChoice,
    Frequency,
    PeriodError,
    RuleSet,
    parse_period,
    period_for_date,
    period_start,
)
from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Initiative, Measure, Measurement, MeasurementRevision, User
from app.models.base import utcnow
from app.models.enums import DataType, InitiativeStatus
from app.services import analysis, audit
from app.services.common import check_version, soft_delete
from app.services.errors import Conflict, FieldError, InvalidInput, NotFound
from app.services.measures import MAX_ABS_NUMBER, get_editable_measure, get_visible_measure
from app.services.personal_data import check_free_text

MAX_COMMENT = 2_000
FINISHED_STATUSES = (InitiativeStatus.COMPLETED.value, InitiativeStatus.STOPPED.value)
EARLIEST_YEAR = 1990


@dataclass(frozen=True, slots=True)
class Reading:
    """A period's numbers after validation: the value on the page scale and its fraction, if any."""

    value: float
    numerator: float | None = None
    denominator: float | None = None


def _finite(name: str, number: float | None, errors: list[FieldError]) -> float | None:
    if number is None:
        return None
    if not math.isfinite(number) or abs(number) > MAX_ABS_NUMBER:
        errors.append(FieldError((name,), _("Enter a finite number.")))
        return None
    return float(number)


def compute_reading(
    data_type: str,
    *,
    rate_multiplier: float = 1.0,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
) -> Reading:
    """Check a period's numbers against the measure's data type (DESIGN §1) and compute its value.

    Proportions and rates are entered as numerator and denominator; the value is derived
    (100·n/d, or n/d·multiplier). A value sent along with them must agree. Pure, so the bulk
    import uses exactly the same rules.
    """
    errors: list[FieldError] = []
    value = _finite("value", value, errors)
    numerator = _finite("numerator", numerator, errors)
    denominator = _finite("denominator", denominator, errors)
    if errors:
        raise InvalidInput(errors)
    if DataType(data_type).is_fraction:
        if numerator is None:
            errors.append(FieldError(("numerator",), _("Enter the numerator.")))
        elif numerator < 0:
            errors.append(FieldError(("numerator",), _("The numerator cannot be negative.")))
        if denominator is None:
            errors.append(FieldError(("denominator",), _("Enter the denominator.")))
        elif denominator <= 0:
            errors.append(FieldError(("denominator",), _("The denominator must be greater than 0.")))
        if (
            data_type == DataType.PROPORTION
            and numerator is not None
            and denominator is not None
            and numerator > denominator
        ):
            errors.append(FieldError(("numerator",), _("The numerator cannot be larger than the denominator.")))
        if errors or numerator is None or denominator is None:
            raise InvalidInput(errors)
        factor = 100.0 if data_type == DataType.PROPORTION else rate_multiplier
        derived = numerator / denominator * factor
        if value is not None and abs(value - derived) > 1e-6 * max(1.0, abs(derived)):
            raise InvalidInput(
                [FieldError(("value",), _("The value does not match the numerator and denominator; leave it out."))]
            )
        return Reading(derived, numerator, denominator)
    if numerator is not None or denominator is not None:
        raise InvalidInput([FieldError(("value",), _("This measure takes a single value, not a fraction."))])
    if value is None:
        raise InvalidInput([FieldError(("value",), _("Enter a value."))])
    if data_type == DataType.COUNT and (value < 0 or not value.is_integer()):
        raise InvalidInput([FieldError(("value",), _("A count is a whole number, 0 or more."))])
    return Reading(value)


def parse_measure_period(measure: Measure, text: str, *, as_of: date | None = None, for_logging: bool = True) -> str:
    """The period as canonical text if it fits the measure's frequency.

    For logging it must also have started (a value for next week is a typo) and be after 1990.
    """
    frequency = cast(Frequency, measure.frequency)
    example = "2024-W07" if frequency == "week" else "2024-03"
    try:
        period = parse_period(text.strip(), frequency)
    except PeriodError:
        message = (
            _("Enter a week as YYYY-Www, for example %(example)s.")
            if frequency == "week"
            else _("Enter a month as YYYY-MM, for example %(example)s.")
        )
        raise InvalidInput([FieldError(("period",), message % {"example": example})]) from None
    start = period_start(period)
    if not for_logging:
        return period
    if start.year < EARLIEST_YEAR:
        raise InvalidInput([FieldError(("period",), _("The period is too far back in time."))])
    if start > (as_of or analysis.today()):
        raise InvalidInput([FieldError(("period",), _("The period has not started yet."))])
    return period


def stored(row: Measurement) -> dict[str, Any]:
    """The stored state of a measurement, shown beside the user's input in a conflict."""
    return {
        "period": row.period,
        "value": row.value,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "comment": row.comment,
        "version": row.version,
        "updated_by": row.updated_by.name if row.updated_by else None,
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }


def _revision(db: Session, row: Measurement, action: str, user_id: int | None) -> None:
    db.add(
        MeasurementRevision(
            measurement_id=row.id,
            measure_id=row.measure_id,
            period=row.period,
            action=action,
            value=row.value if action != "delete" else None,
            numerator=row.numerator if action != "delete" else None,
            denominator=row.denominator if action != "delete" else None,
            comment=row.comment if action != "delete" else "",
            changed_by_id=user_id,
            changed_at=utcnow(),
        )
    )


def _find(db: Session, measure_id: int, period: str) -> Measurement | None:
    """The row for a period, live or soft-deleted (the unique constraint covers both)."""
    return db.scalar(select(Measurement).where(Measurement.measure_id == measure_id, Measurement.period == period))


def _clean_comment(comment: str | None, *, confirmed: bool) -> str:
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT:
        raise InvalidInput([FieldError(("comment",), _("Enter at most %(n)s characters.") % {"n": MAX_COMMENT})])
    check_free_text({"comment": text}, confirmed=confirmed)
    return text


def log_value(
    db: Session,
    principal: Principal,
    *,
    measure_id: int,
    period: str,
    value: float | None = None,
    numerator: float | None = None,
    denominator: float | None = None,
    comment: str | None = "",
    version: int | None = None,
    replace: bool = False,
    confirm_personal_data: bool = False,
    as_of: date | None = None,
) -> Measurement:
    """Record the value of one period: create it, revive a deleted one, or correct an existing one.

    Correcting needs the `version` the user read (stale or missing → Conflict with the stored
    values in `current`), unless `replace` says the caller already showed the user what will be
    overwritten (the bulk import's preview). Unchanged input changes nothing.
    """
    measure = get_editable_measure(db, principal, measure_id)
    return write_reading(
        db,
        principal,
        measure,
        period=parse_measure_period(measure, period, as_of=as_of),
        reading=compute_reading(
            measure.data_type,
            rate_multiplier=measure.rate_multiplier,
            value=value,
            numerator=numerator,
            denominator=denominator,
        ),
        comment=_clean_comment(comment, confirmed=confirm_personal_data),
        version=version,
        replace=replace,
    )


def write_reading(
    db: Session,
    principal: Principal,
    measure: Measure,
    *,
    period: str,
    reading: Reading,
    comment: str,
    version: int | None,
    replace: bool,
) -> Measurement:
    """Write one validated reading (shared by `log_value` and the bulk import).

    The caller has loaded `measure` with `get_editable_measure` and validated period and numbers.
    """
    actor = db.get(User, principal.user_id)
    fields = {
        "value": reading.value,
        "numerator": reading.numerator,
        "denominator": reading.denominator,
        "comment": comment,
    }
    row = _find(db, measure.id, period)
    if row is None:
        row = Measurement(
            measure_id=measure.id,
            period=period,
            is_rate=measure.data_type == DataType.RATE,
            created_by_id=principal.user_id,
            **fields,
        )
        _set_editor(row, actor, principal)
        try:
            with db.begin_nested():  # a concurrent insert of the same period fails only this savepoint
                db.add(row)
                db.flush()
        except IntegrityError as exc:
            raise Conflict(_("Someone else logged a value for this period in the meantime.")) from exc
        record_write(db, measure, row, "create", actor, before=None)
        return row
    if row.deleted_at is not None:
        before = audit.snapshot(row)
        for name, new in fields.items():
            setattr(row, name, new)
        row.deleted_at, row.deleted_by_id = None, None
        _set_editor(row, actor, principal)
        _flush(db)
        record_write(db, measure, row, "restore", actor, before=before)
        return row
    if version is not None or not replace:
        if version is None:
            raise Conflict(_("A value for this period already exists."), current=stored(row))
        check_version(row, version, current=stored(row))
    if all(getattr(row, name) == new for name, new in fields.items()):
        return row
    before = audit.snapshot(row)
    for name, new in fields.items():
        setattr(row, name, new)
    _set_editor(row, actor, principal)
    _flush(db)
    record_write(db, measure, row, "update", actor, before=before)
    return row


def _set_editor(row: Measurement, actor: User | None, principal: Principal) -> None:
    # Set the relationship, not only the id, so a conflict in this same session names the right person.
    if actor is not None:
        row.updated_by = actor
    else:
        row.updated_by_id = principal.user_id


def _flush(db: Session) -> None:
    try:
        db.flush()
    except StaleDataError as exc:  # changed by another request between our read and write
        raise Conflict(_("Someone else changed this value in the meantime. Reload and try again.")) from exc


def record_write(
    db: Session, measure: Measure, row: Measurement, action: str, actor: User | None, *, before: dict[str, Any] | None
) -> None:
    _revision(db, row, action, row.updated_by_id)
    audit.record(
        db,
        actor=actor,
        action=action,
        entity="measurement",
        entity_id=row.id,
        initiative_id=measure.initiative_id,
        before=before,
        after=audit.snapshot(row) if action != "delete" else None,
    )


def delete_measurement(
    db: Session, principal: Principal, *, measure_id: int, period: str, version: int | None = None
) -> None:
    """Soft-delete a period's value (a later log revives the row); `version` is checked when given."""
    measure = get_editable_measure(db, principal, measure_id)
    row = get_measurement(db, principal, measure=measure, period=period)
    if version is not None:
        check_version(row, version, current=stored(row))
    actor = db.get(User, principal.user_id)
    before = audit.snapshot(row)
    if actor is not None:
        soft_delete(row, actor)
    _set_editor(row, actor, principal)
    _flush(db)
    record_write(db, measure, row, "delete", actor, before=before)


def get_measurement(db: Session, principal: Principal, *, measure: Measure, period: str) -> Measurement:
    """The live value of `period`; NotFound when there is none (an invalid period is InvalidInput)."""
    period = parse_measure_period(measure, period, for_logging=False)
    row = _find(db, measure.id, period)
    if row is None or row.deleted_at is not None:
        raise NotFound(_("No value for this period"))
    return row


def list_measurements(db: Session, principal: Principal, *, measure_id: int) -> tuple[Measure, list[Measurement]]:
    """The measure and its live values in period order."""
    measure = get_visible_measure(db, principal, measure_id)
    rows = db.scalars(
        select(Measurement)
        .where(Measurement.measure_id == measure.id, Measurement.deleted_at.is_(None))
        .options(selectinload(Measurement.updated_by))
        .order_by(Measurement.period)
    ).all()
    return measure, list(rows)


def history(
    db: Session, principal: Principal, *, measure_id: int, period: str | None = None
) -> list[MeasurementRevision]:
    """Who changed which value when, newest first (optionally for one period)."""
    measure = get_visible_measure(db, principal, measure_id)
    return _revisions(db, measure.id, period)


def _revisions(db: Session, measure_id: int, period: str | None = None) -> list[MeasurementRevision]:
    query = (
        select(MeasurementRevision)
        .where(MeasurementRevision.measure_id == measure_id)
        .options(selectinload(MeasurementRevision.changed_by))
        .order_by(MeasurementRevision.changed_at.desc(), MeasurementRevision.id.desc())
    )
    if period is not None:
        query = query.where(MeasurementRevision.period == period)
    return list(db.scalars(query))


def history_by_period(revisions: Sequence[MeasurementRevision]) -> dict[str, list[MeasurementRevision]]:
    grouped: dict[str, list[MeasurementRevision]] = defaultdict(list)
    for revision in revisions:
        grouped[revision.period].append(revision)
    return grouped


# --- The weekly logging sheet -------------------------------------------------------------------


@dataclass(frozen=True)
class LogRow:
    """One line of "Veckans mätningar": a measure, the period to log, its value and the one before."""

    measure: Measure
    period: str
    current: Measurement | None
    previous: Measurement | None


@dataclass(frozen=True)
class LogGroup:
    initiative: Initiative
    rows: list[LogRow]


def row_period(measure: Measure, week: str) -> str:
    """The period a weekly sheet shows for a measure: the week itself, or the month of its Thursday.

    The Thursday decides, as it decides which year an ISO week belongs to.
    """
    if measure.frequency == "week":
        return week
    return period_for_date(period_start(week) + timedelta(days=3), "month")


def _rows(db: Session, measures: Sequence[Measure], week: str) -> list[LogRow]:
    """Current and previous values of many measures in one query."""
    by_measure = analysis.live_measurements(db, [m.id for m in measures])
    rows = []
    for measure in measures:
        period = row_period(measure, week)
        values = by_measure[measure.id]
        current = next((v for v in values if v.period == period), None)
        previous = next((v for v in reversed(values) if v.period < period), None)
        rows.append(LogRow(measure, period, current, previous))
    return rows


def weekly_sheet(db: Session, principal: Principal, *, week: str, everything: bool = False) -> list[LogGroup]:
    """Every measure the user logs, grouped by initiative, for the given ISO week.

    Team members see their own initiatives. Admins see the initiatives they are members of, or
    with `everything` every live initiative they may edit (i.e. all of them). Completed and
    stopped initiatives are left out: nobody logs weekly values for them any more.
    """
    query = select(Initiative).where(policy.initiatives_visible(principal), Initiative.status.not_in(FINISHED_STATUSES))
    if not (everything and principal.is_admin):
        query = query.where(Initiative.id.in_(sorted(principal.member_initiatives)))
    initiatives = db.scalars(query.options(selectinload(Initiative.measures)).order_by(Initiative.title)).all()
    measures = [m for i in initiatives for m in i.measures]
    rows = _rows(db, measures, week)
    by_initiative: dict[int, list[LogRow]] = defaultdict(list)
    for row in rows:
        by_initiative[row.measure.initiative_id].append(row)
    return [LogGroup(i, by_initiative[i.id]) for i in initiatives if by_initiative[i.id]]


def log_row(db: Session, principal: Principal, *, measure_id: int, week: str) -> LogRow:
    """One row of the sheet, fresh from the database (after saving or to discard a conflict)."""
    measure = get_editable_measure(db, principal, measure_id)
    return _rows(db, [measure], week)[0]


# --- The measure page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurePage:
    """Everything the measure page shows: the analysis, the chart and every value with its history."""

    measure: Measure
    result: AnalysisResult
    chart_svg: str
    sentences: list[str]
    values: list[Measurement]
    history: dict[str, list[MeasurementRevision]]
    can_edit: bool
    rules: RuleSet
    chart: ChartChoice

    def log_week(self, period: str) -> str:
        """The week to open on the weekly page to correct `period` (a month opens at its middle)."""
        return week_of(period)


def week_of(period: str) -> str:
    """The ISO week that shows `period` on the weekly page: itself, or a week in the middle of the month."""
    if "-W" in period:
        return period
    return period_for_date(period_start(period) + timedelta(days=14), "week")


def measure_page(
    db: Session,
    principal: Principal,
    *,
    measure_id: int,
    rules: RuleSet = "anhoej",
    chart: ChartChoice | None = None,
    width: int = 960,
    height: int = 360,
) -> MeasurePage:
    measure, values = list_measurements(db, principal, measure_id=measure_id)
    chosen: ChartChoice = chart or cast(ChartChoice, measure.chart)
    # Load once, use for the analysis (phases) and the chart (annotations) alike.
    cycles = analysis.cycles_for_measure(db, measure)
    result = analysis.analyse_measure(db, measure, rules=rules, chart=chosen, rows=values, cycles=cycles)
    return MeasurePage(
        measure=measure,
        result=result,
        chart_svg=analysis.responsive_chart(db, measure, result=result, cycles=cycles, width=width, height=height),
        sentences=analysis.signal_sentences(measure, result),
        values=values,
        history=history_by_period(_revisions(db, measure.id)),
        can_edit=policy.can_edit(principal, measure.initiative),
        rules=rules,
        chart=chosen,
    )
