"""Initiative pages: the initiative page, create and edit forms (with the conflict view), the team."""

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from starlette.datastructures import FormData

from app.auth import policy
from app.core.db import read_only_from_here
from app.core.i18n import _
from app.models import Initiative
from app.models.enums import InitiativeStatus, Rag
from app.schemas.initiatives import InitiativeCreate, InitiativeUpdate, TeamMemberIn
from app.services import initiatives as service
from app.services.errors import Conflict, InvalidInput
from app.web.deps import CurrentPrincipal, DbSession
from app.web.forms import validate_form
from app.web.page_cache import CACHEABLE
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

ObjectId = Annotated[int, Path(ge=1, le=2_000_000_000)]


# --- form plumbing shared by the initiative, PDSA and lesson pages ------------------------------------


async def posted_form(request: Request) -> FormData:
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def pick(form: FormData, names: Iterable[str]) -> dict[str, Any]:
    """The named text fields of a form (missing ones left out, so they count as "unchanged")."""
    return {name: value for name in names if isinstance(value := form.get(name), str)}


def as_form_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored values as a form shows them: dates as YYYY-MM-DD, None as ""."""
    shown: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, date):
            shown[name] = value.isoformat()
        elif value is None:
            shown[name] = ""
        else:
            shown[name] = value
    return shown


class FormResult:
    """The outcome of a submitted form: the saved object, or messages per field (and a conflict)."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}
        self.personal_data = False
        self.conflict: dict[str, Any] | None = None
        self.conflict_message = ""

    @property
    def failed(self) -> bool:
        return bool(self.errors) or self.conflict is not None

    @property
    def status_code(self) -> int:
        return 409 if self.conflict is not None else 422

    def invalid(self, exc: InvalidInput) -> None:
        self.errors = exc.by_field()
        self.personal_data = any(e.type == "personal_number" for e in exc.errors)

    def stale(self, exc: Conflict) -> None:
        self.conflict = as_form_values(exc.current or {})
        self.conflict_message = exc.message

    def context(self) -> dict[str, Any]:
        return {
            "errors": self.errors,
            "personal_data_warning": self.personal_data,
            "conflict": self.conflict,
            "conflict_message": self.conflict_message,
        }


M = TypeVar("M", bound=BaseModel)
R = TypeVar("R")


def submit(model: type[M], values: dict[str, Any], action: Callable[[M], R]) -> tuple[R | None, FormResult]:
    """Validate `values` with `model`, then call `action(data)`; collect what went wrong for the form."""
    result = FormResult()
    data, result.errors = validate_form(model, values)
    if data is None:
        return None, result
    try:
        return action(data), result
    except InvalidInput as exc:
        result.invalid(exc)
    except Conflict as exc:
        result.stale(exc)
    return None, result


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# --- labels --------------------------------------------------------------------------------------------


def field_labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "organisation_id": _("Organisation"),
        "program_id": _("Programme"),
        "problem": _("What is the problem?"),
        "rationale": _("Why is it important?"),
        "target_group": _("Target group"),
        "aim": _("Aim"),
        "started_on": _("Start date"),
        "ends_on": _("End date"),
        "what_we_did": _("What we did"),
        "results": _("Results"),
        "status": _("Status"),
        "rag": _("RAG status"),
    }


def status_options() -> list[tuple[str, str]]:
    labels = {
        InitiativeStatus.DRAFT: _("Draft"),
        InitiativeStatus.ACTIVE: _("Active"),
        InitiativeStatus.SUSTAINING: _("Sustaining"),
        InitiativeStatus.COMPLETED: _("Completed"),
        InitiativeStatus.STOPPED: _("Stopped"),
    }
    return [(s.value, labels[s]) for s in InitiativeStatus]


def rag_options() -> list[tuple[str, str]]:
    labels = {Rag.GREEN: _("Green"), Rag.AMBER: _("Amber"), Rag.RED: _("Red")}
    return [("", _("Not assessed")), *((r.value, labels[r]) for r in Rag)]


def conflict_rows(
    conflict: Mapping[str, Any] | None, yours: Mapping[str, Any], labels: Mapping[str, str]
) -> list[tuple[str, str, str]]:
    """(label, stored value, your value) for every field where the two differ."""
    if conflict is None:
        return []
    return [
        (label, str(conflict.get(name, "")), str(yours.get(name, "")))
        for name, label in labels.items()
        if name in conflict and name in yours and str(conflict.get(name, "")) != str(yours.get(name, ""))
    ]


# --- the initiative page -------------------------------------------------------------------------------


CREATE_FIELDS = (
    "title",
    "organisation_id",
    "program_id",
    "problem",
    "rationale",
    "target_group",
    "aim",
    "started_on",
    "ends_on",
    "confirm_personal_data",
)
CONTENT_FIELDS = (
    "title",
    "problem",
    "rationale",
    "target_group",
    "aim",
    "started_on",
    "ends_on",
    "what_we_did",
    "results",
)


def _form_context(db: DbSession, principal: CurrentPrincipal) -> dict[str, Any]:
    choices = service.creation_choices(db, principal)
    return {
        "organisations": choices.organisations,
        "organisation_options": [(str(o.id), o.name) for o in choices.organisations],
        "program_options": [(str(p.id), p.name) for p in choices.programs],
        "programs": choices.programs,
        "labels": field_labels(),
    }


@router.get("/initiatives/new")
def new_initiative(request: Request, db: DbSession, principal: CurrentPrincipal) -> Response:
    service.require_can_create_somewhere(principal)
    context = _form_context(db, principal)
    organisations = context["organisations"]
    programs = context["programs"]
    values = {
        "organisation_id": str(organisations[0].id) if len(organisations) == 1 else "",
        "program_id": str(programs[0].id) if len(programs) == 1 else "",
    }
    return render(request, "initiatives/new.html", {**context, "values": values, **FormResult().context()})


@router.post("/initiatives/new")
def create_initiative(request: Request, db: DbSession, principal: CurrentPrincipal, form: PostedForm) -> Response:
    values = pick(form, CREATE_FIELDS)
    initiative, result = submit(
        InitiativeCreate, values, lambda data: service.create_initiative(db, principal, data=data)
    )
    if initiative is None:
        context = {**_form_context(db, principal), "values": values, **result.context()}
        return render(request, "initiatives/new.html", context, status_code=result.status_code)
    return see_other(f"/initiatives/{initiative.id}")


@router.get("/initiatives/{initiative_id}", dependencies=[CACHEABLE])
def initiative_page(request: Request, initiative_id: ObjectId, db: DbSession, principal: CurrentPrincipal) -> Response:
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    page = service.initiative_page(db, principal, initiative_id)
    context = {
        "page": page,
        "initiative": page.initiative,
        "reviews": page.reviews,
        "role_labels": service.team_role_labels(),
        "can_see_audit": policy.can_see_audit(principal, page.initiative),
        "lesson_errors": {},
        "lesson_values": {},
    }
    return render(request, "initiatives/page.html", context)


# --- editing -------------------------------------------------------------------------------------------


def _edit_context(
    initiative: Initiative, principal: CurrentPrincipal, values: dict[str, Any], result: FormResult
) -> dict[str, Any]:
    labels = field_labels()
    can_review = policy.can_review(principal, initiative)
    can_edit = policy.can_edit(principal, initiative)
    return {
        "initiative": initiative,
        "values": values,
        "labels": labels,
        "can_review": can_review,
        "can_edit": can_edit,
        "status_options": status_options(),
        "rag_options": rag_options(),
        "role_labels": service.team_role_labels(),
        "can_delete": service.can_delete(principal, initiative),
        "conflict_rows": conflict_rows(result.conflict, values, labels),
        "team_errors": {},
        "team_values": {},
        **result.context(),
    }


def _stored_values(initiative: Initiative) -> dict[str, Any]:
    return as_form_values(service.editable_values(initiative))


@router.get("/initiatives/{initiative_id}/edit")
def edit_initiative(request: Request, initiative_id: ObjectId, db: DbSession, principal: CurrentPrincipal) -> Response:
    initiative = service.get_changeable(db, principal, initiative_id)
    context = _edit_context(initiative, principal, _stored_values(initiative), FormResult())
    return render(request, "initiatives/edit.html", context)


@router.post("/initiatives/{initiative_id}/edit")
def update_initiative(
    request: Request, initiative_id: ObjectId, db: DbSession, principal: CurrentPrincipal, form: PostedForm
) -> Response:
    values = pick(form, (*CONTENT_FIELDS, "status", "rag", "version", "confirm_personal_data"))
    updated, result = submit(
        InitiativeUpdate,
        values,
        lambda data: service.update_initiative(db, principal, initiative_id, data=data),
    )
    if updated is not None:
        return see_other(f"/initiatives/{initiative_id}")
    initiative = service.get_visible(db, principal, initiative_id)
    if result.conflict is not None:
        # Submitting again overwrites deliberately: the form now carries the stored version.
        values = {**values, "version": str(initiative.version)}
    context = _edit_context(initiative, principal, values, result)
    return render(request, "initiatives/edit.html", context, status_code=result.status_code)


@router.post("/initiatives/{initiative_id}/delete")
def delete_initiative(initiative_id: ObjectId, db: DbSession, principal: CurrentPrincipal) -> Response:
    service.delete_initiative(db, principal, initiative_id)
    return see_other("/")


# --- team ----------------------------------------------------------------------------------------------


def _team_response(
    request: Request,
    initiative_id: int,
    db: DbSession,
    principal: CurrentPrincipal,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Response:
    """The team editor (HTMX) or, for a plain form post, back to the edit page."""
    if not errors and not is_htmx(request):
        return see_other(f"/initiatives/{initiative_id}/edit#team")
    initiative = service.get_editable(db, principal, initiative_id)
    context = _edit_context(initiative, principal, _stored_values(initiative), FormResult())
    context.update(team_errors=errors or {}, team_values=values or {})
    status = 422 if errors else 200
    return render(
        request, "initiatives/edit.html", context, partial="initiatives/_team_editor.html", status_code=status
    )


TEAM_FIELDS = ("name", "role", "user_id")


def _team_change(
    request: Request, initiative_id: int, db: DbSession, principal: CurrentPrincipal, form: FormData, action: Any
) -> Response:
    values = pick(form, TEAM_FIELDS)
    values.pop("user_id", None)  # linking accounts is done by administrators, not in this form
    _, result = submit(TeamMemberIn, values, action)
    return _team_response(request, initiative_id, db, principal, errors=result.errors, values=values)


@router.post("/initiatives/{initiative_id}/team")
def add_team_member(
    request: Request, initiative_id: ObjectId, db: DbSession, principal: CurrentPrincipal, form: PostedForm
) -> Response:
    return _team_change(
        request,
        initiative_id,
        db,
        principal,
        form,
        lambda data: service.add_team_member(db, principal, initiative_id, data=data),
    )


@router.post("/initiatives/{initiative_id}/team/{member_id}/delete")
def remove_team_member(
    request: Request, initiative_id: ObjectId, member_id: ObjectId, db: DbSession, principal: CurrentPrincipal
) -> Response:
    service.remove_team_member(db, principal, initiative_id, member_id)
    return _team_response(request, initiative_id, db, principal)


@router.post("/initiatives/{initiative_id}/team/{member_id}/move")
def move_team_member(
    request: Request,
    initiative_id: ObjectId,
    member_id: ObjectId,
    db: DbSession,
    principal: CurrentPrincipal,
    form: PostedForm,
) -> Response:
    offset = -1 if form.get("direction") == "up" else 1
    service.move_team_member(db, principal, initiative_id, member_id, offset=offset)
    return _team_response(request, initiative_id, db, principal)
