"""Programmes and organisations: /api/v1/programs and /api/v1/organisations."""

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from app.api.common import NOT_PERMITTED, NOT_VISIBLE, FilterId, Id, Paging, Responses, api_router, page_of
from app.export.formats import SPECS, ExportFormat, export
from app.schemas.common import Page
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

router = api_router()

NAME_TAKEN: Responses = {409: {"description": "The name is already in use"}}


@router.get("/programs", response_model=Page[ProgramRead], tags=["programs"])
def list_programs(db: DbSession, principal: CurrentPrincipal, page: Paging) -> Page[ProgramRead]:
    """Programmes the user coordinates or has an initiative in (all, for admins)."""
    rows, total = program_service.list_programs(db, principal, limit=page.limit, offset=page.offset)
    items = [ProgramRead.model_validate(p) for p in rows]
    return page_of(items, total, page)


@router.post(
    "/programs",
    response_model=ProgramRead,
    status_code=201,
    tags=["programs"],
    responses={**NOT_PERMITTED, **NAME_TAKEN},
)
def create_program(body: ProgramCreate, db: DbSession, principal: CurrentPrincipal) -> ProgramRead:
    """Create a programme (admins only); 409 if the name is taken."""
    program = program_service.create_program(db, principal, **body.model_dump())
    return ProgramRead.model_validate(program)


@router.get("/programs/{program_id}", response_model=ProgramRead, tags=["programs"], responses=NOT_VISIBLE)
def read_program(program_id: Id, db: DbSession, principal: CurrentPrincipal) -> ProgramRead:
    return ProgramRead.model_validate(program_service.get_program(db, principal, program_id))


@router.patch(
    "/programs/{program_id}",
    response_model=ProgramRead,
    tags=["programs"],
    responses={**NOT_VISIBLE, **NOT_PERMITTED, 409: {"description": "Stale `version`, or the name is taken"}},
)
def update_program(program_id: Id, body: ProgramUpdate, db: DbSession, principal: CurrentPrincipal) -> ProgramRead:
    """Change a programme (admins and its coordinators); send the `version` you read, 409 if it changed."""
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    program = program_service.update_program(
        db, principal, program_id=program_id, version=body.version, changes=changes
    )
    return ProgramRead.model_validate(program)


@router.get("/organisations", response_model=Page[OrganisationRead], tags=["organisations"])
def list_organisations(
    db: DbSession, principal: CurrentPrincipal, page: Paging, program_id: FilterId = None
) -> Page[OrganisationRead]:
    rows, total = program_service.list_organisations(
        db, principal, program_id=program_id, limit=page.limit, offset=page.offset
    )
    items = [OrganisationRead.of(o) for o in rows]
    return page_of(items, total, page)


@router.post(
    "/organisations",
    response_model=OrganisationRead,
    status_code=201,
    tags=["organisations"],
    responses={
        **NOT_PERMITTED,
        404: {"description": "The programme (`program_id`) is not found or not visible"},
        **NAME_TAKEN,
    },
)
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
        **NOT_VISIBLE,
    },
)
def export_program(
    program_id: Id,
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
