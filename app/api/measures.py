"""Measures, measurements and analysis API (DESIGN.md §4): thin routes over the services."""

from typing import Annotated, Literal

from fastapi import Body, Path, Query
from fastapi.responses import JSONResponse, Response

from app.api.common import NOT_VISIBLE, STALE, Id, Paging, Responses, api_router, slice_page
from app.core.db import read_only_from_here
from app.schemas.common import Page
from app.schemas.measures import (
    AnalysisRead,
    ImportRejectedRead,
    ImportResult,
    MeasureCreate,
    MeasurementCreate,
    MeasurementPut,
    MeasurementRead,
    MeasureRead,
    MeasureUpdate,
)
from app.services import analysis as analysis_service
from app.services import imports as import_service
from app.services import measurements as measurement_service
from app.services import measures as measure_service
from app.services.measures import MeasureData
from app.web.deps import CurrentPrincipal, DbSession
from app.web.page_cache import CACHEABLE

router = api_router(tags=["measures"])

PeriodPath = Annotated[
    str, Path(min_length=1, max_length=16, description="`YYYY-Www` (weekly) or `YYYY-MM` (monthly).")
]
Rules = Annotated[Literal["anhoej", "ihi", "mdc"], Query(description="Run rules: Anhøj (default), IHI or NHS MDC.")]
Chart = Annotated[
    Literal["auto", "run", "i", "p", "u", "c"] | None,
    Query(description="Chart type; default: the measure's own setting."),
]

NOT_PERMITTED: Responses = {403: {"description": "Visible, but only the initiative's team may change it"}}


@router.get("/initiatives/{initiative_id}/measures", response_model=Page[MeasureRead], responses=NOT_VISIBLE)
def list_measures(initiative_id: Id, db: DbSession, principal: CurrentPrincipal, page: Paging) -> Page[MeasureRead]:
    """The initiative's measures in their display order."""
    measures = measure_service.list_measures(db, principal, initiative_id=initiative_id)
    return slice_page([MeasureRead.model_validate(m) for m in measures], page)


@router.post(
    "/initiatives/{initiative_id}/measures",
    response_model=MeasureRead,
    status_code=201,
    responses={**NOT_VISIBLE, **NOT_PERMITTED},
)
def create_measure(initiative_id: Id, body: MeasureCreate, db: DbSession, principal: CurrentPrincipal) -> MeasureRead:
    """Add a measure. The operational definition is required: what is counted, how, by whom, how often."""
    measure = measure_service.create_measure(
        db,
        principal,
        initiative_id=initiative_id,
        data=MeasureData.from_mapping(body.model_dump()),
        confirm_personal_data=body.confirm_personal_data,
    )
    return MeasureRead.model_validate(measure)


@router.get("/measures/{measure_id}", response_model=MeasureRead, responses=NOT_VISIBLE)
def read_measure(measure_id: Id, db: DbSession, principal: CurrentPrincipal) -> MeasureRead:
    """One measure with its current `version`."""
    return MeasureRead.model_validate(measure_service.get_visible_measure(db, principal, measure_id))


@router.patch("/measures/{measure_id}", response_model=MeasureRead, responses={**NOT_VISIBLE, **NOT_PERMITTED, **STALE})
def update_measure(measure_id: Id, body: MeasureUpdate, db: DbSession, principal: CurrentPrincipal) -> MeasureRead:
    """Change the fields sent. Frequency and data type are fixed once values are logged."""
    measure = measure_service.update_measure(
        db,
        principal,
        measure_id=measure_id,
        version=body.version,
        changes=body.changes(),
        confirm_personal_data=body.confirm_personal_data,
    )
    return MeasureRead.model_validate(measure)


@router.delete("/measures/{measure_id}", status_code=204, responses={**NOT_VISIBLE, **NOT_PERMITTED})
def delete_measure(measure_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    """Remove a measure (soft delete: its values are kept and it can be restored by an administrator)."""
    measure_service.delete_measure(db, principal, measure_id=measure_id)
    return Response(status_code=204)


@router.get(
    "/measures/{measure_id}/measurements",
    response_model=Page[MeasurementRead],
    responses=NOT_VISIBLE,
    dependencies=[CACHEABLE],
)
def list_measurements(
    measure_id: Id, db: DbSession, principal: CurrentPrincipal, page: Paging
) -> Page[MeasurementRead]:
    """The measure's values in period order."""
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    _, rows = measurement_service.list_measurements(db, principal, measure_id=measure_id)
    return slice_page([MeasurementRead.of(r) for r in rows], page)


@router.post(
    "/measures/{measure_id}/measurements",
    response_model=MeasurementRead,
    status_code=201,
    responses={**NOT_VISIBLE, **NOT_PERMITTED, 409: {"description": "The period already has a value"}},
)
def create_measurement(
    measure_id: Id, body: MeasurementCreate, db: DbSession, principal: CurrentPrincipal
) -> MeasurementRead:
    """Log one period: `{period, value}`, or `{period, numerator, denominator}` for proportions and rates."""
    row = measurement_service.log_value(
        db,
        principal,
        measure_id=measure_id,
        period=body.period,
        value=body.value,
        numerator=body.numerator,
        denominator=body.denominator,
        comment=body.comment,
        confirm_personal_data=body.confirm_personal_data,
    )
    return MeasurementRead.of(row)


@router.put(
    "/measures/{measure_id}/measurements/{period}",
    response_model=MeasurementRead,
    responses={**NOT_VISIBLE, **NOT_PERMITTED, **STALE},
)
def put_measurement(
    measure_id: Id, period: PeriodPath, body: MeasurementPut, db: DbSession, principal: CurrentPrincipal
) -> MeasurementRead:
    """Create or replace one period's value. Replacing needs the `version` you read (missing or stale: 409)."""
    row = measurement_service.log_value(
        db,
        principal,
        measure_id=measure_id,
        period=period,
        value=body.value,
        numerator=body.numerator,
        denominator=body.denominator,
        comment=body.comment,
        version=body.version,
        confirm_personal_data=body.confirm_personal_data,
    )
    return MeasurementRead.of(row)


@router.delete(
    "/measures/{measure_id}/measurements/{period}", status_code=204, responses={**NOT_VISIBLE, **NOT_PERMITTED}
)
def delete_measurement(measure_id: Id, period: PeriodPath, db: DbSession, principal: CurrentPrincipal) -> Response:
    """Remove one period's value (kept in the edit history; logging the period again restores it)."""
    measurement_service.delete_measurement(db, principal, measure_id=measure_id, period=period)
    return Response(status_code=204)


CSV_EXAMPLE = "period;value;comment\n2024-W01;21;\n2024-W02;19,5;Ny rutin från måndag\n"


@router.post(
    "/measures/{measure_id}/measurements/import",
    response_model=ImportResult,
    responses={
        **NOT_VISIBLE,
        **NOT_PERMITTED,
        422: {"model": ImportRejectedRead, "description": "Bad rows; nothing was saved. Every bad row is listed."},
    },
)
def import_measurements(
    measure_id: Id,
    body: Annotated[
        bytes,
        Body(
            media_type="text/csv",
            description="Columns `period,value` or `period,numerator,denominator`, optional `comment`, with or "
            "without a header row. Comma, semicolon or tab separated; decimal commas are accepted.",
            examples=[CSV_EXAMPLE],
        ),
    ],
    db: DbSession,
    principal: CurrentPrincipal,
) -> ImportResult | JSONResponse:
    """Log many periods at once: all rows are saved, or none. Existing values are replaced."""
    try:
        rows = import_service.read_upload("import.csv", body)
        result = import_service.save(db, principal, measure_id=measure_id, rows=rows)
    except import_service.ImportRejected as rejected:
        detail = [{"row": line, "msg": msg, "loc": ["body", line], "type": "import_row"} for line, msg in rejected.rows]
        return JSONResponse({"detail": detail}, status_code=422)
    return ImportResult(
        created=result.count("new"), updated=result.count("changed"), unchanged=result.count("unchanged")
    )


@router.get(
    "/measures/{measure_id}/analysis", response_model=AnalysisRead, responses=NOT_VISIBLE, dependencies=[CACHEABLE]
)
def analysis(
    measure_id: Id, db: DbSession, principal: CurrentPrincipal, rules: Rules = "anhoej", chart: Chart = None
) -> AnalysisRead:
    """Run or control chart analysis with run rules, progress against the target and the suggested RAG."""
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    measure = measure_service.get_visible_measure(db, principal, measure_id)
    result = analysis_service.analyse_measure(db, measure, rules=rules, chart=chart)
    return AnalysisRead.of(measure, result.to_dict())


@router.get(
    "/measures/{measure_id}/chart.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The chart as SVG"}, **NOT_VISIBLE},
    dependencies=[CACHEABLE],
)
def chart_svg(
    measure_id: Id,
    db: DbSession,
    principal: CurrentPrincipal,
    rules: Rules = "anhoej",
    chart: Chart = None,
    width: Annotated[int, Query(ge=240, le=2400)] = 720,
    height: Annotated[int, Query(ge=160, le=1600)] = 300,
) -> Response:
    """The measure's chart, with PDSA cycles marked at the period they started."""
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    measure = measure_service.get_visible_measure(db, principal, measure_id)
    svg = analysis_service.chart_svg(db, measure, rules=rules, chart=chart, width=width, height=height)
    return Response(svg, media_type="image/svg+xml", headers={"Cache-Control": "private, no-cache"})
