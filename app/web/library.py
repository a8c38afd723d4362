"""Measure library pages: the programme's standard measures, their versions, adoption and comparison."""

from contextlib import suppress
from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.core.i18n import _
from app.schemas.library import LibraryMeasureForm
from app.services import library as library_service
from app.services.errors import Conflict, FieldError, InvalidInput
from app.services.library import DefinitionData
from app.web.auth_routes import safe_next
from app.web.deps import CurrentPrincipal, DbSession
from app.web.forms import parse_number, validate_form
from app.web.reviews import FormData
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

MAX_ID = 2_000_000_000
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
# Window choices offered on the comparison page, in periods of the measure's frequency.
WINDOWS = {"month": (3, 6, 12), "week": (12, 26, 52)}


def _redirect(request: Request, target: str) -> Response:
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.get("/programs/{program_id}/library")
def library_index(request: Request, program_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    page = library_service.library_index(db, principal, program_id=program_id)
    return render(request, "library/index.html", {"page": page, "program": page.program, "nav": "programs"})


# --- new standard measure and new versions --------------------------------------------------------------


def _values(data: DefinitionData | None) -> dict[str, str]:
    if data is None:
        return {"kind": "outcome", "data_type": "proportion", "frequency": "month", "direction": "increase"}
    values = {name: str(getattr(data, name)) for name in DefinitionData.__dataclass_fields__}
    values["rate_multiplier"] = f"{data.rate_multiplier:g}" if data.data_type == "rate" else ""
    return values


def _parse(fields: dict[str, str]) -> tuple[LibraryMeasureForm | None, dict[str, str]]:
    data: dict[str, Any] = dict(fields)
    with suppress(ValueError):  # unparseable text stays, so the schema says "Enter a number"
        data["rate_multiplier"] = parse_number(fields.get("rate_multiplier"))
    return validate_form(LibraryMeasureForm, data)


def _definition(form: LibraryMeasureForm) -> DefinitionData:
    values = form.model_dump(exclude={"confirm_personal_data", "change_note", "version"})
    values["unit"] = values["unit"] or ""
    values["rate_multiplier"] = values["rate_multiplier"] or 1.0
    return DefinitionData.from_mapping(values)


def _form_page(request: Request, context: dict[str, Any], *, status_code: int = 200) -> Response:
    context.setdefault("errors", {})
    context.setdefault("personal_data_warning", False)
    context["nav"] = "programs"
    return render(request, "library/form.html", context, partial="library/_form.html", status_code=status_code)


@router.get("/programs/{program_id}/library/new")
def new_library_measure(request: Request, program_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    page = library_service.library_index(db, principal, program_id=program_id, for_manage=True)
    return _form_page(request, {"program": page.program, "item": None, "form": _values(None)})


@router.post("/programs/{program_id}/library/new")
def create_library_measure(
    request: Request, program_id: Id, db: DbSession, principal: CurrentPrincipal, data: FormData
) -> Response:
    page = library_service.library_index(db, principal, program_id=program_id, for_manage=True)
    form, errors = _parse(data)
    error_types: list[str] = []
    if form is not None:
        try:
            item = library_service.create_library_measure(
                db,
                principal,
                program_id=program_id,
                data=_definition(form),
                confirm_personal_data=form.confirm_personal_data,
            )
        except InvalidInput as exc:
            errors, error_types = exc.by_field(), [e.type for e in exc.errors]
        else:
            return _redirect(request, f"/programs/{program_id}/library/{item.id}")
    context = {
        "program": page.program,
        "item": None,
        "form": data,
        "errors": errors,
        "personal_data_warning": "personal_number" in error_types,
    }
    return _form_page(request, context, status_code=422)


@router.get("/programs/{program_id}/library/{library_measure_id}")
def library_measure_page(
    request: Request, program_id: Id, library_measure_id: Id, db: DbSession, principal: CurrentPrincipal
) -> Response:
    detail = library_service.library_detail(db, principal, program_id=program_id, library_measure_id=library_measure_id)
    context = {"detail": detail, "item": detail.library_measure, "program": detail.program, "nav": "programs"}
    return render(request, "library/detail.html", context)


@router.get("/programs/{program_id}/library/{library_measure_id}/edit")
def edit_library_measure(
    request: Request, program_id: Id, library_measure_id: Id, db: DbSession, principal: CurrentPrincipal
) -> Response:
    item = library_service.get_for_change(db, principal, program_id=program_id, library_measure_id=library_measure_id)
    form = {**_values(DefinitionData.of(item.current)), "version": str(item.version)}
    return _form_page(request, {"program": item.program, "item": item, "form": form})


@router.post("/programs/{program_id}/library/{library_measure_id}/edit")
def update_library_measure(
    request: Request,
    program_id: Id,
    library_measure_id: Id,
    db: DbSession,
    principal: CurrentPrincipal,
    data: FormData,
) -> Response:
    item = library_service.get_for_change(db, principal, program_id=program_id, library_measure_id=library_measure_id)
    form, errors = _parse(data)
    error_types: list[str] = []
    conflict = False
    if form is not None:
        try:
            library_service.update_library_measure(
                db,
                principal,
                library_measure_id=item.id,
                version=form.version,
                changes=asdict(_definition(form)),
                change_note=form.change_note or "",
                confirm_personal_data=form.confirm_personal_data,
            )
        except InvalidInput as exc:
            errors, error_types = exc.by_field(), [e.type for e in exc.errors]
        except Conflict:
            conflict = True
        else:
            return _redirect(request, f"/programs/{program_id}/library/{item.id}")
    context = {
        "program": item.program,
        "item": item,
        "form": {**data, "version": str(item.version)} if conflict else data,
        "errors": errors,
        "conflict": conflict,
        "personal_data_warning": "personal_number" in error_types,
    }
    return _form_page(request, context, status_code=409 if conflict else 422)


# --- comparison ----------------------------------------------------------------------------------------


@router.get("/programs/{program_id}/library/{library_measure_id}/compare")
def compare(
    request: Request,
    program_id: Id,
    library_measure_id: Id,
    db: DbSession,
    principal: CurrentPrincipal,
    periods: Annotated[int | None, Query(ge=1, le=104)] = None,
) -> Response:
    result = library_service.comparison(
        db, principal, program_id=program_id, library_measure_id=library_measure_id, periods=periods
    )
    context = {
        "c": result,
        "program": result.program,
        "item": result.library_measure,
        "funnel_svg": library_service.funnel_svg(result),
        "charts": [(unit, library_service.unit_chart_svg(result, unit)) for unit in result.units],
        "sparklines": {unit.adoption.measure.id: library_service.unit_sparkline(unit) for unit in result.units},
        "windows": WINDOWS[result.current.frequency],
        "band_text": library_service.band_text,
        "favourable": library_service.favourable_side(result.current.direction),
        "nav": "programs",
    }
    return render(request, "library/compare.html", context)


# --- an initiative's library measures ------------------------------------------------------------------


@router.get("/initiatives/{initiative_id}/library")
def initiative_library(request: Request, initiative_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    panel = library_service.initiative_library(db, principal, initiative_id=initiative_id)
    context: dict[str, Any] = {"panel": panel, "initiative": panel.initiative, "nav": "home"}
    if urlsplit(request.headers.get("hx-current-url", "")).path == f"/initiatives/{initiative_id}":
        context["next_url"] = f"/initiatives/{initiative_id}#initiative-library"  # loaded into the initiative page
    return render(request, "library/initiative.html", context, partial="library/_initiative_library.html")


@router.post("/initiatives/{initiative_id}/library/adopt")
def adopt(request: Request, initiative_id: Id, db: DbSession, principal: CurrentPrincipal, data: FormData) -> Response:
    target = safe_next(data.get("next") or f"/initiatives/{initiative_id}/library")
    try:
        library_measure_id = int(data.get("library_measure_id", ""))
    except ValueError:
        library_measure_id = 0
    if not 1 <= library_measure_id <= MAX_ID:
        raise InvalidInput([FieldError(("library_measure_id",), _("Choose a standard measure."))])
    library_service.adopt(db, principal, initiative_id=initiative_id, library_measure_id=library_measure_id)
    return _redirect(request, target)


@router.get("/measures/{measure_id}/library")
def measure_notice(request: Request, measure_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    """The measure's library status (an HTMX fragment for the measure page; empty when not from the library)."""
    notice = library_service.measure_notice(db, principal, measure_id=measure_id)
    return render(request, "library/_version_notice.html", {"notice": notice}, partial="library/_version_notice.html")


@router.post("/measures/{measure_id}/library/upgrade")
def move_to_latest(
    request: Request, measure_id: Id, db: DbSession, principal: CurrentPrincipal, data: FormData
) -> Response:
    try:
        version: int | None = int(data.get("version", ""))
    except ValueError:
        version = None
    adoption = library_service.move_to_latest(db, principal, measure_id=measure_id, version=version)
    target = safe_next(data.get("next") or f"/initiatives/{adoption.measure.initiative_id}/library")
    return _redirect(request, target)
