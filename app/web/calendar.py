"""Programme calendar and stage pages: workshops, readiness before the next one, the stage board."""

from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Path, Request
from fastapi.responses import RedirectResponse, Response

from app.schemas.library import WorkshopForm
from app.services import stages as stage_service
from app.services import workshops as workshop_service
from app.services.analysis import today
from app.services.errors import Conflict, InvalidInput
from app.services.workshops import WorkshopData
from app.web.auth_routes import safe_next
from app.web.deps import CurrentPrincipal, DbSession
from app.web.forms import validate_form
from app.web.reviews import FormData
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]


def _redirect(request: Request, target: str) -> Response:
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _version(data: dict[str, str]) -> int | None:
    try:
        return int(data.get("version", ""))
    except ValueError:
        return None


@router.get("/programs/{program_id}/calendar")
def calendar(request: Request, program_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    result = workshop_service.calendar(db, principal, program_id=program_id, today=today())
    context = {"cal": result, "program": result.program, "today": today(), "nav": "programs"}
    return render(request, "calendar/index.html", context)


# --- workshop form -------------------------------------------------------------------------------------


def _values(workshop: Any) -> dict[str, str]:
    if workshop is None:
        return {"kind": "workshop"}
    values = {k: "" if v is None else str(v) for k, v in asdict(WorkshopData.of(workshop)).items()}
    values["version"] = str(workshop.version)
    return values


def _form_page(request: Request, context: dict[str, Any], *, status_code: int = 200) -> Response:
    context.setdefault("errors", {})
    context.setdefault("personal_data_warning", False)
    context["nav"] = "programs"
    return render(request, "calendar/form.html", context, partial="calendar/_form.html", status_code=status_code)


def _save(
    request: Request, db: DbSession, principal: CurrentPrincipal, data: dict[str, str], *, program: Any, workshop: Any
) -> Response:
    """Create (workshop None) or update from the posted form; the form again with messages on errors."""
    form, errors = validate_form(WorkshopForm, data)
    error_types: list[str] = []
    conflict = False
    if form is not None:
        values = WorkshopData.from_mapping(form.model_dump(exclude={"version", "confirm_personal_data"}))
        try:
            if workshop is None:
                workshop_service.create_workshop(
                    db, principal, program_id=program.id, data=values, confirm_personal_data=form.confirm_personal_data
                )
            else:
                workshop_service.update_workshop(
                    db,
                    principal,
                    workshop_id=workshop.id,
                    version=form.version,
                    data=values,
                    confirm_personal_data=form.confirm_personal_data,
                )
        except InvalidInput as exc:
            errors, error_types = exc.by_field(), [e.type for e in exc.errors]
        except Conflict:
            conflict = True
        else:
            return _redirect(request, f"/programs/{program.id}/calendar")
    context = {
        "program": program,
        "workshop": workshop,
        "form": {**data, "version": str(workshop.version)} if conflict and workshop else data,
        "errors": errors,
        "conflict": conflict,
        "personal_data_warning": "personal_number" in error_types,
    }
    return _form_page(request, context, status_code=409 if conflict else 422)


@router.get("/programs/{program_id}/workshops/new")
def new_workshop(request: Request, program_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    program = workshop_service.program_to_plan(db, principal, program_id=program_id)
    return _form_page(request, {"program": program, "workshop": None, "form": _values(None)})


@router.post("/programs/{program_id}/workshops/new")
def create_workshop(
    request: Request, program_id: Id, db: DbSession, principal: CurrentPrincipal, data: FormData
) -> Response:
    program = workshop_service.program_to_plan(db, principal, program_id=program_id)
    return _save(request, db, principal, data, program=program, workshop=None)


@router.get("/workshops/{workshop_id}/edit")
def edit_workshop(request: Request, workshop_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    workshop = workshop_service.get_editable_workshop(db, principal, workshop_id)
    context = {"program": workshop.program, "workshop": workshop, "form": _values(workshop)}
    return _form_page(request, context)


@router.post("/workshops/{workshop_id}/edit")
def update_workshop(
    request: Request, workshop_id: Id, db: DbSession, principal: CurrentPrincipal, data: FormData
) -> Response:
    workshop = workshop_service.get_editable_workshop(db, principal, workshop_id)
    return _save(request, db, principal, data, program=workshop.program, workshop=workshop)


@router.post("/workshops/{workshop_id}/delete")
def delete_workshop(
    request: Request, workshop_id: Id, db: DbSession, principal: CurrentPrincipal, data: FormData
) -> Response:
    program_id = workshop_service.delete_workshop(db, principal, workshop_id=workshop_id, version=_version(data))
    return _redirect(request, f"/programs/{program_id}/calendar")


# --- stages --------------------------------------------------------------------------------------------


@router.get("/programs/{program_id}/stages")
def stage_board(request: Request, program_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    board = stage_service.stage_board(db, principal, program_id=program_id)
    context = {"board": board, "program": board.program, "nav": "programs"}
    return render(request, "calendar/stages.html", context, partial="programs/_stage_board.html")


@router.get("/initiatives/{initiative_id}/stage")
def stage_page(request: Request, initiative_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    panel = stage_service.stage_panel(db, principal, initiative_id=initiative_id)
    context = {"panel": panel, "initiative": panel.initiative, "nav": "home"}
    return render(request, "calendar/stage.html", context, partial="programs/_stage_panel.html")


@router.post("/initiatives/{initiative_id}/stage")
def set_stage(
    request: Request, initiative_id: Id, db: DbSession, principal: CurrentPrincipal, data: FormData
) -> Response:
    error = None
    try:
        stage_service.set_stage(
            db, principal, initiative_id=initiative_id, stage=data.get("stage", ""), version=_version(data)
        )
    except InvalidInput as exc:
        error = exc.message
    except Conflict:
        error = "conflict"
    if error is None and not is_htmx(request):
        return RedirectResponse(safe_next(data.get("next") or f"/initiatives/{initiative_id}/stage"), status_code=303)
    panel = stage_service.stage_panel(db, principal, initiative_id=initiative_id)
    # Moved from the initiative page: its header badge is swapped too (out of band).
    on_initiative_page = urlsplit(request.headers.get("hx-current-url", "")).path == f"/initiatives/{initiative_id}"
    context = {
        "panel": panel,
        "initiative": panel.initiative,
        "stage_error": error,
        "badge_oob": on_initiative_page and error is None,
        "nav": "home",
    }
    status = 200 if error is None else 409 if error == "conflict" else 422
    return render(request, "calendar/stage.html", context, partial="programs/_stage_panel.html", status_code=status)
