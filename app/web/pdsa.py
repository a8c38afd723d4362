"""PDSA pages ("PGSA-cykler"): the board, a cycle with its ramp, the cycle form and moving cycles forward."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from app.core.i18n import _
from app.models import PdsaCycle
from app.models.enums import PdsaAct
from app.schemas.pdsa import PdsaCycleCreate, PdsaCycleUpdate
from app.services import pdsa as service
from app.services.errors import Conflict, InvalidInput
from app.web.deps import CurrentPrincipal, DbSession
from app.web.initiatives import (
    FormResult,
    ObjectId,
    PostedForm,
    as_form_values,
    conflict_rows,
    pick,
    see_other,
    submit,
)
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

TEXT_FIELDS = (
    "title",
    "change_idea",
    "plan",
    "prediction",
    "do_notes",
    "study_notes",
    "act",
    "status",
    "started_on",
    "ended_on",
    "previous_cycle_id",
    "confirm_personal_data",
)


def field_labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "change_idea": _("Change idea"),
        "plan": _("Plan"),
        "prediction": _("Prediction"),
        "do_notes": _("Do: what happened"),
        "study_notes": _("Study: what did we learn?"),
        "act": _("Decision"),
        "status": _("Status"),
        "started_on": _("Started"),
        "ended_on": _("Ended"),
        "previous_cycle_id": _("Builds on"),
        "new_phase": _("New phase on the charts"),
    }


def _form_values(form: FormData, *, with_version: bool) -> dict[str, Any]:
    values = pick(form, (*TEXT_FIELDS, "version") if with_version else TEXT_FIELDS)
    # Checkboxes are absent when unticked, so these two are always sent explicitly.
    values["new_phase"] = "new_phase" in form
    values["measure_ids"] = [v for v in form.getlist("measure_ids") if isinstance(v, str)]
    return values


def _stored(cycle: PdsaCycle) -> dict[str, Any]:
    return as_form_values(service.editable_values(cycle))


def _form_page(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    initiative_id: int,
    *,
    values: dict[str, Any],
    cycle: PdsaCycle | None = None,
    result: FormResult | None = None,
) -> Response:
    choices = service.form_choices(db, principal, initiative_id, cycle_id=cycle.id if cycle else None)
    result = result or FormResult()
    labels = field_labels()
    context = {
        "initiative": choices.initiative,
        "cycle": cycle,
        "measures": choices.measures,
        "cycles": choices.cycles,
        "values": values,
        "labels": labels,
        "selected_measures": {str(v) for v in values.get("measure_ids", [])},
        "status_options": list(service.status_labels().items()),
        "act_options": list(service.act_labels().items()),
        "cycle_options": [(str(c.id), c.title) for c in choices.cycles],
        "conflict_rows": conflict_rows(result.conflict, values, labels),
        **result.context(),
    }
    status = result.status_code if result.failed else 200
    return render(request, "pdsa/form.html", context, status_code=status)


@router.get("/initiatives/{initiative_id}/pdsa")
def board(request: Request, initiative_id: ObjectId, db: DbSession, principal: CurrentPrincipal) -> Response:
    page = service.board_page(db, principal, initiative_id)
    return render(request, "pdsa/board.html", _board_context(page), partial="pdsa/_board.html")


def _board_context(page: service.BoardPage, *, message: str = "", error: str = "") -> dict[str, Any]:
    return {
        "initiative": page.initiative,
        "page": page,
        "act_labels": service.act_labels(),
        "message": message,
        "error": error,
    }


@router.get("/initiatives/{initiative_id}/pdsa/new")
def new_cycle(
    request: Request,
    initiative_id: ObjectId,
    db: DbSession,
    principal: CurrentPrincipal,
    from_cycle: Annotated[int | None, Query(alias="from", ge=1, le=2_000_000_000)] = None,
) -> Response:
    values: dict[str, Any] = {"status": "planned", "measure_ids": []}
    if from_cycle is not None:
        values = as_form_values(service.next_cycle_draft(db, principal, from_cycle, initiative_id=initiative_id))
    return _form_page(request, db, principal, initiative_id, values=values)


@router.post("/initiatives/{initiative_id}/pdsa/new")
def create_cycle(
    request: Request, initiative_id: ObjectId, db: DbSession, principal: CurrentPrincipal, form: PostedForm
) -> Response:
    values = _form_values(form, with_version=False)
    cycle, result = submit(
        PdsaCycleCreate, values, lambda data: service.create_cycle(db, principal, initiative_id, data=data)
    )
    if cycle is None:
        return _form_page(request, db, principal, initiative_id, values=values, result=result)
    return see_other(f"/initiatives/{initiative_id}/pdsa/{cycle.id}")


@router.get("/initiatives/{initiative_id}/pdsa/{cycle_id}")
def cycle_page(
    request: Request, initiative_id: ObjectId, cycle_id: ObjectId, db: DbSession, principal: CurrentPrincipal
) -> Response:
    page = service.cycle_page(db, principal, initiative_id, cycle_id)
    context = {
        "initiative": page.initiative,
        "cycle": page.cycle,
        "page": page,
        "labels": field_labels(),
        "act_labels": service.act_labels(),
    }
    return render(request, "pdsa/cycle.html", context)


@router.get("/initiatives/{initiative_id}/pdsa/{cycle_id}/edit")
def edit_cycle(
    request: Request, initiative_id: ObjectId, cycle_id: ObjectId, db: DbSession, principal: CurrentPrincipal
) -> Response:
    cycle = service.get_editable_cycle(db, principal, cycle_id, initiative_id=initiative_id)
    return _form_page(request, db, principal, initiative_id, values=_stored(cycle), cycle=cycle)


@router.post("/initiatives/{initiative_id}/pdsa/{cycle_id}/edit")
def update_cycle(
    request: Request,
    initiative_id: ObjectId,
    cycle_id: ObjectId,
    db: DbSession,
    principal: CurrentPrincipal,
    form: PostedForm,
) -> Response:
    values = _form_values(form, with_version=True)
    updated, result = submit(
        PdsaCycleUpdate,
        values,
        lambda data: service.update_cycle(db, principal, cycle_id, data=data, initiative_id=initiative_id),
    )
    if updated is not None:
        return see_other(f"/initiatives/{initiative_id}/pdsa/{cycle_id}")
    cycle = service.get_editable_cycle(db, principal, cycle_id, initiative_id=initiative_id)
    if result.conflict is not None:
        # Submitting again overwrites deliberately: the form now carries the stored version.
        values = {**values, "version": str(cycle.version)}
    return _form_page(request, db, principal, initiative_id, values=values, cycle=cycle, result=result)


@router.post("/initiatives/{initiative_id}/pdsa/{cycle_id}/advance")
def advance_cycle(
    request: Request,
    initiative_id: ObjectId,
    cycle_id: ObjectId,
    db: DbSession,
    principal: CurrentPrincipal,
    form: PostedForm,
) -> Response:
    """One step forward from the board (HTMX: the board is swapped) or from the cycle page."""
    error, status = "", 200
    try:
        act_value = form.get("act")
        act = PdsaAct(act_value) if isinstance(act_value, str) and act_value else None
        version = int(str(form.get("version", "")))
        cycle = service.advance_cycle(db, principal, cycle_id, version=version, act=act, initiative_id=initiative_id)
        message = _("“%(title)s” is now: %(status)s.") % {
            "title": cycle.title,
            "status": service.status_labels()[cycle.status],
        }
    except ValueError:  # a tampered form: no version number or an unknown decision
        error, status, message = _("The form was incomplete. Reload the page and try again."), 422, ""
    except InvalidInput as exc:
        error, status, message = exc.message, 422, ""
    except Conflict:
        error, status, message = (
            _("Someone else changed this cycle in the meantime. The board now shows it as saved."),
            409,
            "",
        )
    if not is_htmx(request):
        target = f"/initiatives/{initiative_id}/pdsa"
        if form.get("back") == "cycle":
            target += f"/{cycle_id}"
        if error:
            page = service.board_page(db, principal, initiative_id)
            return render(request, "pdsa/board.html", _board_context(page, error=error), status_code=status)
        return see_other(target)
    page = service.board_page(db, principal, initiative_id)
    context = _board_context(page, message=message, error=error)
    return render(request, "pdsa/board.html", context, partial="pdsa/_board.html", status_code=status)


@router.post("/initiatives/{initiative_id}/pdsa/{cycle_id}/delete")
def delete_cycle(initiative_id: ObjectId, cycle_id: ObjectId, db: DbSession, principal: CurrentPrincipal) -> Response:
    service.delete_cycle(db, principal, cycle_id, initiative_id=initiative_id)
    return see_other(f"/initiatives/{initiative_id}/pdsa")
