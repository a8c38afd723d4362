"""Ledningsgrupp dashboard pages: /dashboard and /organisations/{id}/dashboard.

Filters and sorting live in the query string, so a filtered view is a link; the filter form and the
column headers update only the table through HTMX (`_table.html`) and push the URL.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.core.db import read_only_from_here
from app.services import dashboard as dashboard_service
from app.services.dashboard import DashboardFilters
from app.web.deps import CurrentPrincipal, DbSession
from app.web.page_cache import CACHEABLE
from app.web.templating import render

router = APIRouter(include_in_schema=False)

OrganisationId = Annotated[int, Path(ge=1, le=2_000_000_000)]


def filters_of(request: Request) -> DashboardFilters:
    return DashboardFilters.from_params({k: v for k, v in request.query_params.items() if len(v) <= 50})


@router.get("/dashboard", dependencies=[CACHEABLE])
def dashboard(request: Request, db: DbSession, principal: CurrentPrincipal) -> Response:
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    home = dashboard_service.home_dashboard(db, principal, filters=filters_of(request))
    context = {"board": home.dashboard, "choices": home.choices, "base": "/dashboard", "nav": "dashboard"}
    # Without a board (several organisations to choose from) there is no table to swap: the whole page.
    partial = "dashboard/_table.html" if home.dashboard else None
    return render(request, "dashboard/index.html", context, partial=partial)


@router.get("/organisations/{organisation_id}/dashboard", dependencies=[CACHEABLE])
def organisation_dashboard(
    request: Request, organisation_id: OrganisationId, db: DbSession, principal: CurrentPrincipal
) -> Response:
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    board = dashboard_service.organisation_dashboard(
        db, principal, organisation_id=organisation_id, filters=filters_of(request)
    )
    context = {
        "board": board,
        "choices": [],
        "organisation_id": organisation_id,
        "base": f"/organisations/{organisation_id}/dashboard",
        "nav": "dashboard",
    }
    return render(request, "dashboard/index.html", context, partial="dashboard/_table.html")
