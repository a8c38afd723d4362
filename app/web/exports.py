"""Export pages: /programs/{id}/export and /organisations/{id}/export.

Without JavaScript every button is a plain GET that returns the file (`?format=pdf`). With HTMX the
button asks `/export/prepare`, which makes the file in a worker thread while the page shows
"Creating PDF…", keeps it briefly (app.export.files) and answers with HX-Redirect to `/exports/{token}`,
where the browser downloads it. Routes are sync functions: FastAPI runs them in its thread pool, so a
long PDF never blocks other requests.
"""

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.core.db import read_only_from_here
from app.export import files
from app.export.formats import ExportFile, ExportFormat, export, export_scope
from app.services.errors import NotFound
from app.web.deps import CurrentPrincipal, DbSession
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

ScopeId = Annotated[int, Path(ge=1, le=2_000_000_000)]
Format = Annotated[ExportFormat | None, Query(alias="format")]
RequiredFormat = Annotated[ExportFormat, Query(alias="format")]


def file_response(file: ExportFile) -> Response:
    disposition = "inline" if file.inline else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{file.filename}"', "Cache-Control": "no-store"}
    return Response(file.content, media_type=file.media_type, headers=headers)


@dataclass(frozen=True)
class Scope:
    program_id: int | None = None
    organisation_id: int | None = None


def _page_or_file(
    request: Request, db: DbSession, principal: CurrentPrincipal, fmt: ExportFormat | None, scope: Scope
) -> Response:
    if fmt is not None:
        read_only_from_here(db)
        file = export(db, principal, fmt=fmt, program_id=scope.program_id, organisation_id=scope.organisation_id)
        return file_response(file)
    found = export_scope(db, principal, program_id=scope.program_id, organisation_id=scope.organisation_id)
    return render(request, "export/page.html", {"scope": found, "nav": "programs"})


def _prepare(request: Request, db: DbSession, principal: CurrentPrincipal, fmt: ExportFormat, scope: Scope) -> Response:
    read_only_from_here(db)
    token = files.prepare_download(
        db, principal, fmt=fmt, program_id=scope.program_id, organisation_id=scope.organisation_id
    )
    target = f"/exports/{token}"
    if is_htmx(request):
        return Response(status_code=200, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.get("/programs/{program_id}/export")
def program_export(
    request: Request, program_id: ScopeId, db: DbSession, principal: CurrentPrincipal, fmt: Format = None
) -> Response:
    return _page_or_file(request, db, principal, fmt, Scope(program_id=program_id))


@router.get("/programs/{program_id}/export/prepare")
def program_export_prepare(
    request: Request, program_id: ScopeId, db: DbSession, principal: CurrentPrincipal, fmt: RequiredFormat
) -> Response:
    return _prepare(request, db, principal, fmt, Scope(program_id=program_id))


@router.get("/organisations/{organisation_id}/export")
def organisation_export(
    request: Request, organisation_id: ScopeId, db: DbSession, principal: CurrentPrincipal, fmt: Format = None
) -> Response:
    return _page_or_file(request, db, principal, fmt, Scope(organisation_id=organisation_id))


@router.get("/organisations/{organisation_id}/export/prepare")
def organisation_export_prepare(
    request: Request, organisation_id: ScopeId, db: DbSession, principal: CurrentPrincipal, fmt: RequiredFormat
) -> Response:
    return _prepare(request, db, principal, fmt, Scope(organisation_id=organisation_id))


@router.get("/exports/{token}")
def download(token: Annotated[str, Path(max_length=64)], principal: CurrentPrincipal) -> Response:
    file = files.fetch(token, user_id=principal.user_id)
    if file is None:
        raise NotFound("Export not found or expired")
    return file_response(file)
