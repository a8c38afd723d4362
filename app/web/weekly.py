""" "Veckans mätningar": log this week's value of every measure the user's teams follow, row by row.

Each row is its own small form that saves inline with HTMX and is swapped with `weekly/_row.html`;
without JavaScript the same form posts and the page reloads. A correction carries the version of
the value the user saw, so a value someone else changed meanwhile is shown, not overwritten.
"""

from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.analysis import (
    PeriodError,
    parse_period,
    period_end,
    period_for_date,
    period_from_index,
    period_index,
    period_start,
)
from app.auth.policy import Principal
from app.core.db import read_only_from_here
from app.core.i18n import _
from app.services import analysis as analysis_service
from app.services import measurements as measurement_service
from app.services.errors import Conflict, InvalidInput
from app.web.deps import CurrentPrincipal, DbSession
from app.web.forms import parse_number
from app.web.measures import Form, form_version
from app.web.page_cache import CACHEABLE
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
WeekParam = Annotated[str | None, Query(max_length=16)]
WEEKS_TO_CHOOSE = 12


@dataclass
class RowState:
    """What a row shows besides the stored values: the user's input, messages, a conflict or "saved"."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    status: Literal["saved", "conflict", "invalid"] | None = None
    conflict: dict[str, object] | None = None
    personal_data_warning: bool = False


def current_week() -> str:
    return period_for_date(analysis_service.today(), "week")


def chosen_week(text: str | None) -> str:
    """The week asked for, or this week when it is missing, malformed or in the future."""
    this_week = current_week()
    if not text:
        return this_week
    try:
        week = parse_period(text, "week")
    except PeriodError:
        return this_week
    return week if period_index(week) <= period_index(this_week) else this_week


def _week_choices(week: str) -> list[str]:
    last = period_index(current_week())
    weeks = [period_from_index(last - k, "week") for k in range(WEEKS_TO_CHOOSE)]
    return weeks if week in weeks else [*weeks, week]


def _sheet_context(db: DbSession, principal: Principal, week: str, everything: bool) -> dict[str, object]:
    index = period_index(week)
    this_week = current_week()
    return {
        "groups": measurement_service.weekly_sheet(db, principal, week=week, everything=everything),
        "week": week,
        "week_choices": _week_choices(week),
        "previous_week": period_from_index(index - 1, "week"),
        "next_week": period_from_index(index + 1, "week") if week != this_week else None,
        "is_current_week": week == this_week,
        "week_start": period_start(week),
        "week_end": period_end(week),
        "everything": everything,
        "is_admin": principal.is_admin,
        "states": {},
        "nav": "log",
    }


@router.get("/log", dependencies=[CACHEABLE])
def weekly_log(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    week: WeekParam = None,
    all: Annotated[bool, Query()] = False,
) -> Response:
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    context = _sheet_context(db, principal, chosen_week(week), all)
    return render(request, "weekly/index.html", context)


@router.get("/log/{measure_id}/row")
def weekly_row(
    request: Request, measure_id: Id, db: DbSession, principal: CurrentPrincipal, week: WeekParam = None
) -> Response:
    """A fresh row from the database, e.g. to keep someone else's value after a conflict."""
    week = chosen_week(week)
    row = measurement_service.log_row(db, principal, measure_id=measure_id, week=week)
    return render(request, "weekly/_row.html", {"row": row, "week": week, "state": RowState()})


def _numbers(fields: dict[str, str]) -> tuple[dict[str, float | None], dict[str, str]]:
    numbers: dict[str, float | None] = {}
    errors: dict[str, str] = {}
    for name in ("value", "numerator", "denominator"):
        try:
            numbers[name] = parse_number(fields.get(name))
        except ValueError:
            errors[name] = _("Enter a number, for example 4,2.")
    return numbers, errors


@router.post("/log/{measure_id}")
def save_row(request: Request, measure_id: Id, db: DbSession, principal: CurrentPrincipal, submitted: Form) -> Response:
    fields = submitted.fields
    week = chosen_week(fields.get("week"))
    row = measurement_service.log_row(db, principal, measure_id=measure_id, week=week)
    state = _save(db, principal, row, fields)
    if state.status == "saved":
        row = measurement_service.log_row(db, principal, measure_id=measure_id, week=week)
        if not is_htmx(request):
            return RedirectResponse(f"/log?week={week}&saved={measure_id}#log-{measure_id}", status_code=303)
    status_code = {"saved": 200, "conflict": 409}.get(state.status or "", 422)
    if is_htmx(request):
        return render(request, "weekly/_row.html", {"row": row, "week": week, "state": state}, status_code=status_code)
    context = _sheet_context(db, principal, week, bool(fields.get("all")))
    context["states"] = {measure_id: state}
    return render(request, "weekly/index.html", context, status_code=status_code)


def _save(db: DbSession, principal: Principal, row: measurement_service.LogRow, fields: dict[str, str]) -> RowState:
    kept = {k: fields.get(k, "") for k in ("value", "numerator", "denominator", "comment", "period")}
    numbers, errors = _numbers(fields)
    if errors:
        return RowState(values=kept, errors=errors, status="invalid")
    try:
        measurement_service.log_value(
            db,
            principal,
            measure_id=row.measure.id,
            period=fields.get("period") or row.period,
            comment=fields.get("comment", ""),
            version=form_version(fields.get("version")),
            confirm_personal_data=fields.get("confirm_personal_data") == "true",
            value=numbers["value"],
            numerator=numbers["numerator"],
            denominator=numbers["denominator"],
        )
    except InvalidInput as exc:
        personal = any(e.type == "personal_number" for e in exc.errors)
        return RowState(values=kept, errors=exc.by_field(), status="invalid", personal_data_warning=personal)
    except Conflict as exc:
        return RowState(values=kept, status="conflict", conflict=exc.current)
    return RowState(status="saved")
