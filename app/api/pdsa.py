"""PDSA cycles API (DESIGN.md §4): /initiatives/{id}/pdsa-cycles and /pdsa-cycles/{id}."""

from fastapi.responses import Response

from app.api.common import NOT_PERMITTED, NOT_VISIBLE, STALE, Id, Paging, api_router, page_of
from app.schemas.common import Page
from app.schemas.pdsa import PdsaAdvance, PdsaCycleCreate, PdsaCycleRead, PdsaCycleUpdate
from app.services import pdsa as service
from app.web.deps import CurrentPrincipal, DbSession

router = api_router(tags=["pdsa"])


@router.get(
    "/initiatives/{initiative_id}/pdsa-cycles",
    response_model=Page[PdsaCycleRead],
    summary="List an initiative's PDSA cycles",
    responses=NOT_VISIBLE,
)
def list_cycles(
    initiative_id: Id,
    db: DbSession,
    principal: CurrentPrincipal,
    page: Paging,
) -> Page[PdsaCycleRead]:
    """Cycles by start date (unstarted last)."""
    rows, total = service.list_cycles(db, principal, initiative_id, limit=page.limit, offset=page.offset)
    return page_of([PdsaCycleRead.build(c) for c in rows], total, page)


@router.post(
    "/initiatives/{initiative_id}/pdsa-cycles",
    response_model=PdsaCycleRead,
    status_code=201,
    summary="Create a PDSA cycle",
    responses={**NOT_VISIBLE, **NOT_PERMITTED},
)
def create_cycle(initiative_id: Id, body: PdsaCycleCreate, db: DbSession, principal: CurrentPrincipal) -> PdsaCycleRead:
    """A new test of change (team members). `act` (adopt/adapt/abandon) is accepted once the cycle is
    `studied`; `done` needs an `act`. A started cycle without `started_on` is dated today."""
    return PdsaCycleRead.build(service.create_cycle(db, principal, initiative_id, data=body))


@router.get("/pdsa-cycles/{cycle_id}", response_model=PdsaCycleRead, summary="Read a PDSA cycle", responses=NOT_VISIBLE)
def read_cycle(cycle_id: Id, db: DbSession, principal: CurrentPrincipal) -> PdsaCycleRead:
    """One cycle with its linked measures and `version`."""
    return PdsaCycleRead.build(service.get_cycle(db, principal, cycle_id))


@router.patch(
    "/pdsa-cycles/{cycle_id}",
    response_model=PdsaCycleRead,
    summary="Update a PDSA cycle",
    responses={**NOT_VISIBLE, **NOT_PERMITTED, **STALE},
)
def update_cycle(cycle_id: Id, body: PdsaCycleUpdate, db: DbSession, principal: CurrentPrincipal) -> PdsaCycleRead:
    """Change the fields sent; `version` must be the one you read. `measure_ids` replaces the links. The
    same rules as for creating apply to the result."""
    return PdsaCycleRead.build(service.update_cycle(db, principal, cycle_id, data=body))


@router.post(
    "/pdsa-cycles/{cycle_id}/advance",
    response_model=PdsaCycleRead,
    summary="Move a PDSA cycle one step forward",
    responses={**NOT_VISIBLE, **NOT_PERMITTED, **STALE},
)
def advance_cycle(cycle_id: Id, body: PdsaAdvance, db: DbSession, principal: CurrentPrincipal) -> PdsaCycleRead:
    """planned → running → studied → done; the step to done takes the decision (`act`)."""
    cycle = service.advance_cycle(db, principal, cycle_id, version=body.version, act=body.act)
    return PdsaCycleRead.build(cycle)


@router.delete(
    "/pdsa-cycles/{cycle_id}",
    status_code=204,
    summary="Delete a PDSA cycle",
    responses={**NOT_VISIBLE, **NOT_PERMITTED},
)
def delete_cycle(cycle_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    """Soft delete (team members)."""
    service.delete_cycle(db, principal, cycle_id)
    return Response(status_code=204)
