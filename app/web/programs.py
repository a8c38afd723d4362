"""Programme pages for coordinators: the list, one programme's overview, and its lessons learned."""

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from app.core.db import read_only_from_here
from app.services import dashboard as dashboard_service
from app.services import lesson_search
from app.services import programs as program_service
from app.web.dashboard import filters_of
from app.web.deps import CurrentPrincipal, DbSession
from app.web.page_cache import CACHEABLE
from app.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

ProgramId = Annotated[int, Path(ge=1, le=2_000_000_000)]
LESSONS_PER_PAGE = 25
MAX_PROGRAMS = 500


@router.get("/programs")
def program_list(request: Request, db: DbSession, principal: CurrentPrincipal) -> Response:
    programs, total = program_service.list_programs(db, principal, limit=MAX_PROGRAMS)
    return render(request, "programs/index.html", {"programs": programs, "total": total, "nav": "programs"})


@router.get("/programs/{program_id}", dependencies=[CACHEABLE])
def program_page(request: Request, program_id: ProgramId, db: DbSession, principal: CurrentPrincipal) -> Response:
    read_only_from_here(db)  # only reads: on SQLite without holding the write lock (see core.db)
    base = f"/programs/{program_id}"
    if is_htmx(request):  # sorting, filtering or paging the table swaps only the table
        board = dashboard_service.program_table(db, principal, program_id=program_id, filters=filters_of(request))
        return render(request, "dashboard/_table.html", {"board": board, "base": base})
    page = dashboard_service.program_page(db, principal, program_id=program_id, filters=filters_of(request))
    context = {
        "overview": page.overview,
        "program": page.overview.program,
        "board": page.dashboard,
        "base": base,
        "nav": "programs",
    }
    return render(request, "programs/detail.html", context)


@router.get("/programs/{program_id}/lessons")
def program_lessons(
    request: Request,
    program_id: ProgramId,
    db: DbSession,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(max_length=200)] = "",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    found = lesson_search.search_program_lessons(
        db, principal, program_id=program_id, q=q, limit=LESSONS_PER_PAGE, offset=offset
    )
    context = {
        "program": found.program,
        "lessons": found.lessons,
        "total": found.total,
        "q": q,
        "offset": offset,
        "per_page": LESSONS_PER_PAGE,
        "nav": "programs",
    }
    return render(request, "programs/lessons.html", context, partial="programs/_lessons.html")
