"""Programme structure API: the measure library, adoption, comparison, workshops and stages."""

from typing import Annotated

from fastapi import Query

from app.api.common import NOT_PERMITTED, NOT_VISIBLE, STALE, Id, Paging, api_router, slice_page
from app.models import LibraryMeasure
from app.models.library import Stage
from app.schemas.common import Page
from app.schemas.library import (
    AdoptedMeasureRead,
    AdoptRequest,
    ComparisonRead,
    LibraryMeasureCreate,
    LibraryMeasureRead,
    LibraryMeasureUpdate,
    LibraryVersionRead,
    StageRead,
    StageUpdate,
    WorkshopCreate,
    WorkshopRead,
)
from app.services import library as library_service
from app.services import stages as stage_service
from app.services import workshops as workshop_service
from app.services.library import DefinitionData
from app.services.workshops import WorkshopData
from app.web.deps import CurrentPrincipal, DbSession

router = api_router(tags=["programme structure"])


def _read(item: LibraryMeasure, adoptions: int | None = None) -> LibraryMeasureRead:
    return LibraryMeasureRead(
        id=item.id,
        program_id=item.program_id,
        key=item.key,
        current_version=item.current_number,
        current=LibraryVersionRead.of(item.current),
        versions=[LibraryVersionRead.of(v) for v in item.versions],
        adoptions=adoptions,
        version=item.version,
    )


@router.get("/programs/{program_id}/library-measures", response_model=Page[LibraryMeasureRead], responses=NOT_VISIBLE)
def list_library_measures(
    program_id: Id, db: DbSession, principal: CurrentPrincipal, page: Paging
) -> Page[LibraryMeasureRead]:
    """The programme's standard measures by name, with how many measures you can see use each."""
    entries = library_service.list_library(db, principal, program_id=program_id)
    return slice_page([_read(e.library_measure, e.adoptions) for e in entries], page)


@router.post(
    "/programs/{program_id}/library-measures",
    response_model=LibraryMeasureRead,
    status_code=201,
    responses={**NOT_VISIBLE, **NOT_PERMITTED},
)
def create_library_measure(
    program_id: Id, body: LibraryMeasureCreate, db: DbSession, principal: CurrentPrincipal
) -> LibraryMeasureRead:
    """Add a standard measure (version 1 of its definition). The programme's coordinators and admins."""
    item = library_service.create_library_measure(
        db,
        principal,
        program_id=program_id,
        data=DefinitionData.from_mapping(body.model_dump()),
        confirm_personal_data=body.confirm_personal_data,
    )
    return _read(item)


@router.get("/library-measures/{library_measure_id}", response_model=LibraryMeasureRead, responses=NOT_VISIBLE)
def read_library_measure(library_measure_id: Id, db: DbSession, principal: CurrentPrincipal) -> LibraryMeasureRead:
    """A standard measure with every version of its definition."""
    return _read(library_service.get_library_measure(db, principal, library_measure_id))


@router.patch(
    "/library-measures/{library_measure_id}",
    response_model=LibraryMeasureRead,
    responses={**NOT_VISIBLE, **NOT_PERMITTED, **STALE},
)
def update_library_measure(
    library_measure_id: Id, body: LibraryMeasureUpdate, db: DbSession, principal: CurrentPrincipal
) -> LibraryMeasureRead:
    """Change the definition: adds a new version; measures adopted earlier keep theirs until their team moves."""
    item = library_service.update_library_measure(
        db,
        principal,
        library_measure_id=library_measure_id,
        version=body.version,
        changes=body.changes(),
        change_note=body.change_note,
        confirm_personal_data=body.confirm_personal_data,
    )
    return _read(item)


@router.post(
    "/initiatives/{initiative_id}/measures/adopt",
    response_model=AdoptedMeasureRead,
    status_code=201,
    responses={**NOT_VISIBLE, **NOT_PERMITTED, 409: {"description": "The initiative already uses this measure"}},
)
def adopt_library_measure(
    initiative_id: Id, body: AdoptRequest, db: DbSession, principal: CurrentPrincipal
) -> AdoptedMeasureRead:
    """Adopt a standard measure of the initiative's programme: creates a measure with its current definition."""
    adoption = library_service.adopt(
        db, principal, initiative_id=initiative_id, library_measure_id=body.library_measure_id
    )
    return AdoptedMeasureRead.of(adoption)


@router.get(
    "/library-measures/{library_measure_id}/comparison",
    response_model=ComparisonRead,
    responses=NOT_VISIBLE,
)
def compare_organisations(
    library_measure_id: Id,
    db: DbSession,
    principal: CurrentPrincipal,
    periods: Annotated[
        int | None,
        Query(ge=1, le=104, description="Periods to pool (default 3 months or 12 weeks; at most 24 months)."),
    ] = None,
) -> ComparisonRead:
    """Funnel-plot data: each visible organisation's pooled value over the window against the programme mean,
    with 95 % and 99.8 % limits for its denominator (p or u chart limits around the mean)."""
    item = library_service.get_library_measure(db, principal, library_measure_id)
    result = library_service.comparison(
        db, principal, program_id=item.program_id, library_measure_id=item.id, periods=periods
    )
    return ComparisonRead.of(result)


@router.get("/programs/{program_id}/workshops", response_model=Page[WorkshopRead], responses=NOT_VISIBLE)
def list_workshops(program_id: Id, db: DbSession, principal: CurrentPrincipal, page: Paging) -> Page[WorkshopRead]:
    """The programme's workshops and learning sessions in date order."""
    items = workshop_service.list_workshops(db, principal, program_id=program_id)
    return slice_page([WorkshopRead.of(w) for w in items], page)


@router.post(
    "/programs/{program_id}/workshops",
    response_model=WorkshopRead,
    status_code=201,
    responses={**NOT_VISIBLE, **NOT_PERMITTED},
)
def create_workshop(program_id: Id, body: WorkshopCreate, db: DbSession, principal: CurrentPrincipal) -> WorkshopRead:
    """Add a workshop or learning session to the calendar. The programme's coordinators and admins."""
    workshop = workshop_service.create_workshop(
        db,
        principal,
        program_id=program_id,
        data=WorkshopData.from_mapping(body.model_dump()),
        confirm_personal_data=body.confirm_personal_data,
    )
    return WorkshopRead.of(workshop)


@router.put(
    "/initiatives/{initiative_id}/stage",
    response_model=StageRead,
    responses={**NOT_VISIBLE, **NOT_PERMITTED, **STALE},
)
def set_stage(initiative_id: Id, body: StageUpdate, db: DbSession, principal: CurrentPrincipal) -> StageRead:
    """Move the initiative to a stage of the programme's process (its team). Send the initiative's `version`."""
    initiative = stage_service.set_stage(
        db, principal, initiative_id=initiative_id, stage=body.stage.value, version=body.version
    )
    return StageRead(
        initiative_id=initiative.id,
        stage=Stage(initiative.stage),
        stage_number=stage_service.stage_number(initiative.stage),
        version=initiative.version,
    )
