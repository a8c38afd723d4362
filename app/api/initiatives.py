"""Initiatives API (DESIGN.md §4): GET/POST /initiatives, GET/PATCH/DELETE /initiatives/{id}."""

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from app.api.common import NOT_PERMITTED, NOT_VISIBLE, STALE, FilterId, Id, Paging, api_router, page_of
from app.core.db import read_only_from_here
from app.models.enums import InitiativeStatus, Rag
from app.schemas.common import Page
from app.schemas.initiatives import InitiativeCreate, InitiativeRead, InitiativeSummaryRead, InitiativeUpdate
from app.services import initiatives as service
from app.web.deps import CurrentPrincipal, DbSession
from app.web.page_cache import CACHEABLE

router = api_router(tags=["initiatives"])


def _read(db: DbSession, principal: CurrentPrincipal, initiative_id: int) -> InitiativeRead:
    detail = service.get_detail(db, principal, initiative_id)
    return InitiativeRead.build(detail.initiative, detail.measures, detail.latest)


@router.get(
    "/initiatives", response_model=Page[InitiativeSummaryRead], summary="List initiatives", dependencies=[CACHEABLE]
)
def list_initiatives(
    db: DbSession,
    principal: CurrentPrincipal,
    page: Paging,
    program_id: FilterId = None,
    organisation_id: FilterId = None,
    status: InitiativeStatus | None = None,
    rag: Rag | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the title, problem or aim.")] = None,
) -> Page[InitiativeSummaryRead]:
    """The initiatives you may see, by id, optionally filtered."""
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    rows, total = service.search(
        db,
        principal,
        program_id=program_id,
        organisation_id=organisation_id,
        status=status.value if status else None,
        rag=rag.value if rag else None,
        q=q.replace("\x00", "") if q else None,
        limit=page.limit,
        offset=page.offset,
    )
    items = [InitiativeSummaryRead.model_validate(r) for r in rows]
    return page_of(items, total, page)


@router.post(
    "/initiatives",
    response_model=InitiativeRead,
    status_code=201,
    summary="Create an initiative",
    responses=NOT_PERMITTED,
)
def create_initiative(body: InitiativeCreate, db: DbSession, principal: CurrentPrincipal) -> InitiativeRead:
    """Admins, leaders of the organisation and coordinators of the programme create initiatives; the creator
    joins the team (member role). Setting `rag` needs a leader. Free text that looks like a personal identity
    number is refused (422, type `personal_number`) unless `confirm_personal_data` is true."""
    initiative = service.create_initiative(db, principal, data=body)
    return _read(db, principal, initiative.id)


@router.get(
    "/initiatives/{initiative_id}", response_model=InitiativeRead, summary="Read an initiative", responses=NOT_VISIBLE
)
def read_initiative(initiative_id: Id, db: DbSession, principal: CurrentPrincipal) -> InitiativeRead:
    """One initiative with its team and a summary of its measures (latest period and value of each)."""
    return _read(db, principal, initiative_id)


@router.patch(
    "/initiatives/{initiative_id}",
    response_model=InitiativeRead,
    summary="Update an initiative",
    responses={**NOT_VISIBLE, **NOT_PERMITTED, **STALE},
)
def update_initiative(
    initiative_id: Id, body: InitiativeUpdate, db: DbSession, principal: CurrentPrincipal
) -> InitiativeRead:
    """Change the fields sent; `version` must be the one you read. Members change the content and `team`
    (replaced as a whole); leaders change `status` and `rag`."""
    service.update_initiative(db, principal, initiative_id, data=body)
    return _read(db, principal, initiative_id)


@router.delete(
    "/initiatives/{initiative_id}",
    status_code=204,
    summary="Delete an initiative",
    responses={**NOT_VISIBLE, **NOT_PERMITTED},
)
def delete_initiative(initiative_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    """Soft delete (an administrator can restore it). Leaders, coordinators and admins; not team members."""
    service.delete_initiative(db, principal, initiative_id)
    return Response(status_code=204)
