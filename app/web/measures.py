"""Measure pages: create and edit forms, the measure page with its chart and values, bulk import."""

import csv
import io
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import UploadFile

from app.core.db import read_only_from_here
from app.core.i18n import _
from app.schemas.measures import MeasureForm
from app.services import imports as import_service
from app.services import measurements as measurement_service
from app.services import measures as measure_service
from app.services.errors import Conflict, FieldError, InvalidInput
from app.services.initiatives import get_visible
from app.services.measures import MeasureData
from app.web.deps import CurrentPrincipal, DbSession
from app.web.forms import parse_number, validate_form
from app.web.page_cache import CACHEABLE
from app.web.templating import render

router = APIRouter(include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
NUMBER_FIELDS = ("baseline", "target", "rate_multiplier")
MAX_PASTE = 2 * 1024 * 1024


@dataclass(frozen=True)
class SubmittedForm:
    """A posted form: text fields, and the first uploaded file if any."""

    fields: dict[str, str]
    filename: str = ""
    file: bytes = b""


async def submitted_form(request: Request) -> SubmittedForm:
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    upload = next((v for v in form.values() if isinstance(v, UploadFile) and v.filename), None)
    if upload is None:
        return SubmittedForm(fields)
    data = await upload.read(import_service.MAX_BYTES + 1)
    return SubmittedForm(fields, upload.filename or "", data)


Form = Annotated[SubmittedForm, Depends(submitted_form)]


# --- Create and edit ----------------------------------------------------------------------------


def _form_values(measure: MeasureData | None) -> dict[str, str]:
    """A measure as the text the form fields show (decimal numbers as typed in Swedish: no trailing .0)."""
    if measure is None:
        return {"kind": "outcome", "data_type": "value", "frequency": "week", "direction": "increase", "chart": "auto"}

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:g}" if abs(value) < 1e15 else repr(value)
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    values = {name: text(getattr(measure, name)) for name in MeasureData.__dataclass_fields__}
    if measure.data_type != "rate":
        values["rate_multiplier"] = ""
    return values


def _parse(fields: dict[str, str]) -> tuple[MeasureForm | None, dict[str, str]]:
    """Validate the form; numbers may be written with a decimal comma."""
    data: dict[str, Any] = dict(fields)
    for name in NUMBER_FIELDS:
        # Unparseable text is left as it is, so the schema reports "Enter a number" for it.
        with suppress(ValueError):
            data[name] = parse_number(fields.get(name))
    return validate_form(MeasureForm, data)


def _data(form: MeasureForm) -> MeasureData:
    values = form.model_dump(exclude={"confirm_personal_data"})
    values["unit"] = values["unit"] or ""
    values["rate_multiplier"] = values["rate_multiplier"] or 1.0
    return MeasureData.from_mapping(values)


def _form_page(
    request: Request, *, initiative: Any, measure: Any, form: dict[str, str], errors: dict[str, str], **extra: Any
) -> Response:
    action = f"/measures/{measure.id}/edit" if measure else f"/initiatives/{initiative.id}/measures/new"
    context = {
        "initiative": initiative,
        "measure": measure,
        "form": form,
        "errors": errors,
        "action": action,
        "version": extra.pop("version", measure.version if measure else None),
        "conflict": extra.pop("conflict", None),
        "conflict_changes": extra.pop("conflict_changes", []),
        "personal_data_warning": any(e for e in extra.pop("error_types", []) if e == "personal_number"),
    }
    return render(request, "measures/form.html", context, status_code=extra.pop("status_code", 200))


@router.get("/initiatives/{initiative_id}/measures/new")
def new_measure(request: Request, initiative_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    initiative = get_visible(db, principal, initiative_id)
    measure_service.require_edit(principal, initiative)
    return _form_page(request, initiative=initiative, measure=None, form=_form_values(None), errors={})


@router.post("/initiatives/{initiative_id}/measures/new")
def create_measure(
    request: Request, initiative_id: Id, db: DbSession, principal: CurrentPrincipal, submitted: Form
) -> Response:
    initiative = get_visible(db, principal, initiative_id)
    measure_service.require_edit(principal, initiative)
    parsed, errors = _parse(submitted.fields)
    if parsed is not None:
        try:
            measure = measure_service.create_measure(
                db,
                principal,
                initiative_id=initiative.id,
                data=_data(parsed),
                confirm_personal_data=parsed.confirm_personal_data,
            )
        except InvalidInput as exc:
            return _form_page(
                request,
                initiative=initiative,
                measure=None,
                form=submitted.fields,
                errors=exc.by_field(),
                error_types=[e.type for e in exc.errors],
                status_code=422,
            )
        return RedirectResponse(f"/measures/{measure.id}?created=1", status_code=303)
    return _form_page(
        request, initiative=initiative, measure=None, form=submitted.fields, errors=errors, status_code=422
    )


@router.get("/measures/{measure_id}/edit")
def edit_measure(request: Request, measure_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    measure = measure_service.get_editable_measure(db, principal, measure_id)
    form = _form_values(MeasureData.of(measure))
    return _form_page(request, initiative=measure.initiative, measure=measure, form=form, errors={})


def _differences(theirs: MeasureData, mine: dict[str, str]) -> list[tuple[str, str]]:
    """The fields where the stored measure differs from what the user submitted, with the stored text."""
    labels = {
        "name": _("Name"),
        "definition": _("Operational definition"),
        "unit": _("Unit"),
        "baseline": _("Baseline"),
        "target": _("Target value"),
        "target_date": _("Target date"),
        "chart": _("Chart type"),
        "freeze": _("Freeze baseline after"),
        "kind": _("Kind of measure"),
        "direction": _("Which way is better?"),
        "data_type": _("Type of data"),
        "frequency": _("How often"),
        "rate_multiplier": _("Rate per"),
    }
    stored = _form_values(theirs)
    return [
        (label, stored[name] or "–")
        for name, label in labels.items()
        if stored.get(name, "") != (mine.get(name) or "").strip()
    ]


@router.post("/measures/{measure_id}/edit")
def update_measure(
    request: Request, measure_id: Id, db: DbSession, principal: CurrentPrincipal, submitted: Form
) -> Response:
    measure = measure_service.get_editable_measure(db, principal, measure_id)
    parsed, errors = _parse(submitted.fields)
    version = form_version(submitted.fields.get("version"))
    page: dict[str, Any] = {
        "initiative": measure.initiative,
        "measure": measure,
        "form": submitted.fields,
        "version": version,
    }
    if parsed is None:
        return _form_page(request, **page, errors=errors, status_code=422)
    try:
        measure_service.update_measure(
            db,
            principal,
            measure_id=measure.id,
            version=version,
            changes=asdict(_data(parsed)),
            confirm_personal_data=parsed.confirm_personal_data,
        )
    except Conflict:
        # Keep the user's input; the new version in the form lets "save again" overwrite deliberately.
        changes = _differences(MeasureData.of(measure), submitted.fields)
        page["version"] = measure.version
        return _form_page(request, **page, errors={}, conflict=True, conflict_changes=changes, status_code=409)
    except InvalidInput as exc:
        return _form_page(
            request, **page, errors=exc.by_field(), error_types=[e.type for e in exc.errors], status_code=422
        )
    return RedirectResponse(f"/measures/{measure.id}?saved=1", status_code=303)


@router.post("/measures/{measure_id}/delete")
def delete_measure(measure_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    measure = measure_service.get_editable_measure(db, principal, measure_id)
    measure_service.delete_measure(db, principal, measure_id=measure.id)
    return RedirectResponse(f"/initiatives/{measure.initiative_id}", status_code=303)


def form_version(text: str | None) -> int | None:
    """The version a form sent back; missing or nonsense is None (the service then reports a conflict)."""
    try:
        number = int(text or "")
    except ValueError:
        return None
    return number if 0 < number < 2_000_000_000 else None


# --- The measure page ---------------------------------------------------------------------------

RulesChoice = Literal["anhoej", "ihi", "mdc"]
ChartChoiceParam = Literal["auto", "run", "i", "p", "u", "c"]


@router.get("/measures/{measure_id}", dependencies=[CACHEABLE])
def measure_detail(
    request: Request,
    measure_id: Id,
    db: DbSession,
    principal: CurrentPrincipal,
    rules: Annotated[RulesChoice, Query()] = "anhoej",
    chart: Annotated[ChartChoiceParam | None, Query()] = None,
    saved: Annotated[str | None, Query(max_length=10)] = None,
    created: Annotated[str | None, Query(max_length=10)] = None,
    imported: Annotated[int | None, Query(ge=0, le=1_000_000)] = None,
) -> Response:
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    try:
        page = measurement_service.measure_page(db, principal, measure_id=measure_id, rules=rules, chart=chart)
    except InvalidInput:
        # A chart type that does not fit (e.g. a p chart of plain values): show the measure's own chart.
        page = measurement_service.measure_page(db, principal, measure_id=measure_id, rules=rules)
    notice = None
    if created:
        notice = _("The measure was added. Log its first value below or on the weekly page.")
    elif saved:
        notice = _("The changes were saved.")
    elif imported is not None:
        notice = _("%(n)s values were saved.") % {"n": imported}
    context = {
        "page": page,
        "measure": page.measure,
        "initiative": page.measure.initiative,
        "chart_options": measure_service.allowed_charts(page.measure.data_type),
        "notice": notice,
    }
    return render(request, "measures/detail.html", context, partial="measures/_analysis.html")


# --- Bulk import --------------------------------------------------------------------------------


def _import_page(
    request: Request, measure: Any, *, text: str, preview: Any = None, errors: dict[str, str] | None = None
) -> Response:
    status = 422 if errors or (preview is not None and preview.errors) else 200
    context = {"measure": measure, "initiative": measure.initiative, "text": text, "preview": preview}
    return render(request, "measures/import.html", {**context, "errors": errors or {}}, status_code=status)


def _as_csv(rows: list[import_service.RawRow]) -> str:
    """Rows read from an upload, as the semicolon CSV the "Save all" form sends back."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    for row in rows:
        writer.writerow(row.cells)
    return buffer.getvalue()


@router.get("/measures/{measure_id}/import")
def import_form(request: Request, measure_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    measure = measure_service.get_editable_measure(db, principal, measure_id)
    return _import_page(request, measure, text="")


def _rows(submitted: SubmittedForm) -> tuple[str, list[import_service.RawRow]]:
    if submitted.file:
        rows = import_service.read_upload(submitted.filename, submitted.file)
        return _as_csv(rows), rows
    text = submitted.fields.get("text", "")
    if len(text) > MAX_PASTE:
        raise InvalidInput([FieldError(("text",), _("The text is too long (at most 2 MB)."))])
    return text, import_service.read_csv(text)


@router.post("/measures/{measure_id}/import")
def import_preview(
    request: Request, measure_id: Id, db: DbSession, principal: CurrentPrincipal, submitted: Form
) -> Response:
    measure = measure_service.get_editable_measure(db, principal, measure_id)
    try:
        text, rows = _rows(submitted)
    except InvalidInput as exc:
        return _import_page(request, measure, text=submitted.fields.get("text", ""), errors=exc.by_field())
    preview = import_service.preview(db, principal, measure_id=measure.id, rows=rows)
    return _import_page(request, measure, text=text, preview=preview)


@router.post("/measures/{measure_id}/import/save")
def import_save(
    request: Request, measure_id: Id, db: DbSession, principal: CurrentPrincipal, submitted: Form
) -> Response:
    measure = measure_service.get_editable_measure(db, principal, measure_id)
    text = submitted.fields.get("text", "")
    rows = import_service.read_csv(text[:MAX_PASTE])
    try:
        result = import_service.save(db, principal, measure_id=measure.id, rows=rows)
    except import_service.ImportRejected:
        # Nothing was saved; show the preview again with every problem.
        preview = import_service.preview(db, principal, measure_id=measure.id, rows=rows)
        return _import_page(request, measure, text=text, preview=preview)
    saved = result.count("new") + result.count("changed")
    return RedirectResponse(f"/measures/{measure.id}?imported={saved}", status_code=303)
