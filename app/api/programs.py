"""Programmes and organisations: /api/v1/programs and /api/v1/organisations."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from app.export.formats import SPECS, ExportFormat, export
from app.schemas.common import Page, Pagination, pagination
from app.schemas.programs import (
    OrganisationCreate,
    OrganisationRead,
    ProgramCreate,
    ProgramRead,
    ProgramUpdate,
)
from app.services import programs as program_service
from app.web.deps import CurrentPrincipal, DbSession
from app.web.exports import file_response

router = APIRouter(prefix="/api/v1")

ProgramId = Annotated[int, Path(ge=1, le=2_000_000_000)]
OptionalId = Annotated[int | None, Query(ge=1, le=2_000_000_000)]
Paging = Annotated[Pagination, Depends(pagination)]


@router.get("/programs", response_model=Page[ProgramRead], tags=["programs"])
def list_programs(db: DbSession, principal: CurrentPrincipal, page: Paging) -> Page[ProgramRead]:
    """Programmes the user coordinates or has an initiative in (all, for admins)."""
    rows, total = program_service.list_programs(db, principal, limit=page.limit, offset=page.offset)
    items = [ProgramRead.model_validate(p) for p in rows]
    return Page[ProgramRead](items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/programs", response_model=ProgramRead, status_code=201, tags=["programs"])
def create_program(body: ProgramCreate, db: DbSession, principal: CurrentPrincipal) -> ProgramRead:
    """Create a programme (admins only); 409 if the name is taken."""
    program = program_service.create_program(db, principal, **body.model_dump())
    return ProgramRead.model_validate(program)


@router.get("/programs/{program_id}", response_model=ProgramRead, tags=["programs"])
def read_program(program_id: ProgramId, db: DbSession, principal: CurrentPrincipal) -> ProgramRead:
    return ProgramRead.model_validate(program_service.get_program(db, principal, program_id))


@router.patch("/programs/{program_id}", response_model=ProgramRead, tags=["programs"])
def update_program(
    program_id: ProgramId, body: ProgramUpdate, db: DbSession, principal: CurrentPrincipal
) -> ProgramRead:
    """Change a programme (admins and its coordinators); send the `version` you read, 409 if it changed."""
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    program = program_service.update_program(
        db, principal, program_id=program_id, version=body.version, changes=changes
    )
    return ProgramRead.model_validate(program)


@router.get("/organisations", response_model=Page[OrganisationRead], tags=["organisations"])
def list_organisations(
    db: DbSession, principal: CurrentPrincipal, page: Paging, program_id: OptionalId = None
) -> Page[OrganisationRead]:
    rows, total = program_service.list_organisations(
        db, principal, program_id=program_id, limit=page.limit, offset=page.offset
    )
    items = [OrganisationRead.of(o) for o in rows]
    return Page[OrganisationRead](items=items, total=total, limit=page.limit, offset=page.offset)


@router.post("/organisations", response_model=OrganisationRead, status_code=201, tags=["organisations"])
def create_organisation(body: OrganisationCreate, db: DbSession, principal: CurrentPrincipal) -> OrganisationRead:
    """Create an organisation: admins, or a coordinator attaching it to their own programme (`program_id`)."""
    organisation = program_service.create_organisation(db, principal, **body.model_dump())
    return OrganisationRead.of(organisation)


@router.get(
    "/programs/{program_id}/export",
    tags=["programs"],
    response_class=Response,
    responses={
        200: {
            "description": "The programme summary in the chosen format (JSON inline, other formats as attachments).",
            "content": {spec.media_type.split(";")[0]: {} for spec in SPECS.values()},
        },
        404: {"description": "Not found or not visible"},
    },
)
def export_program(
    program_id: ProgramId,
    db: DbSession,
    principal: CurrentPrincipal,
    fmt: Annotated[
        ExportFormat, Query(alias="format", description="json, csv, csv-excel, xlsx, html, pdf or docx")
    ] = "json",
) -> Response:
    """One entry per initiative the user may see: organisation, team, problem, aim, what was done, results,
    lessons, and per measure baseline, target, current, progress and signals. `csv` is RFC 4180 (comma,
    decimal point); `csv-excel` is for Swedish Excel (semicolon, decimal comma, BOM)."""
    file = export(db, principal, fmt=fmt, program_id=program_id)
    if fmt == "json":
        return Response(file.content, media_type=file.media_type)
    return file_response(file)
