"""Status review pages: the review form, the review history and the "Att följa upp" agenda."""

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.schemas.reviews import ReviewForm
from app.services import reviews as review_service
from app.services.errors import InvalidInput
from app.web.auth_routes import safe_next
from app.web.deps import CurrentPrincipal, DbSession
from app.web.forms import validate_form
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

InitiativeId = Annotated[int, Path(ge=1, le=2_000_000_000)]
DEFAULT_REVIEW_INTERVAL = timedelta(weeks=4)
AGENDA_HORIZONS = (7, 14, 30, 90)


async def form_data(request: Request) -> dict[str, str]:
    """The submitted form as plain strings (files are ignored)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormData = Annotated[dict[str, str], Depends(form_data)]


def _next_target(value: str | None, default: str) -> str:
    """A local path to return to after saving; anything else (other sites, control characters) is ignored."""
    if not value or any(ord(c) < 32 for c in value):
        return default
    return safe_next(value)


def _blank_form(rag: str | None) -> dict[str, Any]:
    today = date.today()
    return {
        "review_date": today.isoformat(),
        "rag": rag or "",
        "status": "",
        "assessment": "",
        "decision": "",
        "next_review_on": (today + DEFAULT_REVIEW_INTERVAL).isoformat(),
    }


@router.get("/initiatives/{initiative_id}/reviews")
def review_history(
    request: Request, initiative_id: InitiativeId, db: DbSession, principal: CurrentPrincipal
) -> Response:
    panel = review_service.review_panel(db, principal, initiative_id=initiative_id)
    context = {"initiative": panel.initiative, "reviews": panel.reviews, "can_review": panel.can_review}
    return render(request, "reviews/index.html", context, partial="reviews/_history.html")


@router.get("/initiatives/{initiative_id}/reviews/new")
def new_review(
    request: Request,
    initiative_id: InitiativeId,
    db: DbSession,
    principal: CurrentPrincipal,
    next: Annotated[str | None, Query(max_length=2000)] = None,
) -> Response:
    panel = review_service.review_panel(db, principal, initiative_id=initiative_id, for_review=True)
    context = {
        "initiative": panel.initiative,
        "reviews": panel.reviews,
        "review_form": _blank_form(panel.initiative.rag),
        "review_errors": {},
        "next": _next_target(next, f"/initiatives/{initiative_id}"),
    }
    return render(request, "reviews/new.html", context, partial="reviews/_form.html")


@router.post("/initiatives/{initiative_id}/reviews")
def create_review(
    request: Request, initiative_id: InitiativeId, db: DbSession, principal: CurrentPrincipal, data: FormData
) -> Response:
    panel = review_service.review_panel(db, principal, initiative_id=initiative_id, for_review=True)
    target = _next_target(data.get("next"), f"/initiatives/{initiative_id}")
    form, errors = validate_form(ReviewForm, data)
    personal_data_warning = False
    if form is not None:
        try:
            review_service.create_review(
                db,
                principal,
                initiative_id=initiative_id,
                review_date=form.review_date,
                rag=form.rag.value,
                assessment=form.assessment or "",
                decision=form.decision or "",
                next_review_on=form.next_review_on,
                status=form.status.value if form.status else None,
                confirm_personal_data=form.confirm_personal_data,
            )
        except InvalidInput as exc:
            errors = exc.by_field()
            personal_data_warning = any(e.type == "personal_number" for e in exc.errors)
        else:
            if is_htmx(request):
                return Response(status_code=200, headers={"HX-Redirect": target})
            return RedirectResponse(target, status_code=303)
    context = {
        "initiative": panel.initiative,
        "reviews": panel.reviews,
        "review_form": data,
        "review_errors": errors,
        "personal_data_warning": personal_data_warning,
        "next": target,
    }
    return render(request, "reviews/new.html", context, partial="reviews/_form.html", status_code=422)


@router.get("/reviews/due")
def due_reviews(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    within: Annotated[int, Query(ge=0, le=366)] = 14,
) -> Response:
    today = date.today()
    items = review_service.due_for_review(db, principal, on_or_before=today + timedelta(days=within), today=today)
    context = {"items": items, "within": within, "horizons": AGENDA_HORIZONS, "today": today, "nav": "dashboard"}
    return render(request, "reviews/due.html", context)
