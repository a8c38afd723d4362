"""Papperskorg pages: an initiative's deleted items (/initiatives/{id}/trash) and deleted initiatives (/trash)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.services import trash as trash_service
from app.services.errors import Conflict
from app.web.deps import CurrentPrincipal, DbSession
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
ItemKind = Annotated[trash_service.Kind, Path()]


async def submitted_version(request: Request) -> int | None:
    """The `version` field of the submitted form; anything but a plain number counts as missing."""
    value = (await request.form()).get("version")
    if isinstance(value, str) and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


Version = Annotated[int | None, Depends(submitted_version)]


def _initiative_page(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    initiative_id: int,
    *,
    restored: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    trash = trash_service.initiative_trash(db, principal, initiative_id=initiative_id)
    context = {
        "trash": trash,
        "initiative": trash.initiative,
        "kinds": trash_service.Kind,
        "retention_days": trash_service.RETENTION_DAYS,
        "restored": restored,
        "error": error,
    }
    return render(request, "trash/initiative.html", context, partial="trash/_items.html", status_code=status_code)


@router.get("/initiatives/{initiative_id}/trash")
def initiative_trash(
    request: Request,
    initiative_id: Id,
    db: DbSession,
    principal: CurrentPrincipal,
    restored: Annotated[trash_service.Kind | None, Query()] = None,
) -> Response:
    return _initiative_page(request, db, principal, initiative_id, restored=restored)


@router.post("/initiatives/{initiative_id}/trash/{kind}/{item_id}/restore")
def restore_item(
    request: Request,
    initiative_id: Id,
    kind: ItemKind,
    item_id: Id,
    version: Version,
    db: DbSession,
    principal: CurrentPrincipal,
) -> Response:
    if kind == trash_service.Kind.INITIATIVE:
        return RedirectResponse("/trash", status_code=303)
    try:
        trash_service.restore(db, principal, kind=kind, item_id=item_id, version=version, initiative_id=initiative_id)
    except Conflict as exc:
        db.rollback()
        return _initiative_page(request, db, principal, initiative_id, error=exc.message, status_code=409)
    if is_htmx(request):
        return _initiative_page(request, db, principal, initiative_id, restored=kind)
    return RedirectResponse(f"/initiatives/{initiative_id}/trash?restored={kind.value}", status_code=303)


def _overview_page(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    *,
    restored: bool = False,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "overview": trash_service.overview(db, principal),
        "retention_days": trash_service.RETENTION_DAYS,
        "restored": restored,
        "error": error,
    }
    return render(request, "trash/index.html", context, partial="trash/_initiatives.html", status_code=status_code)


@router.get("/trash")
def trash_overview(
    request: Request, db: DbSession, principal: CurrentPrincipal, restored: Annotated[bool, Query()] = False
) -> Response:
    return _overview_page(request, db, principal, restored=restored)


@router.post("/trash/initiatives/{initiative_id}/restore")
def restore_initiative(
    request: Request, initiative_id: Id, version: Version, db: DbSession, principal: CurrentPrincipal
) -> Response:
    try:
        trash_service.restore(db, principal, kind=trash_service.Kind.INITIATIVE, item_id=initiative_id, version=version)
    except Conflict as exc:
        db.rollback()
        return _overview_page(request, db, principal, error=exc.message, status_code=409)
    if is_htmx(request):
        return _overview_page(request, db, principal, restored=True)
    return RedirectResponse("/trash?restored=true", status_code=303)
