"""Lessons learned API (DESIGN.md §4): /initiatives/{id}/lessons, /lessons (search) and /lessons/{id}."""

from typing import Annotated

from fastapi import Query
from fastapi.responses import Response

from app.api.common import NOT_PERMITTED, NOT_VISIBLE, STALE, FilterId, Id, Paging, api_router, page_of
from app.schemas.common import Page
from app.schemas.lessons import LessonCreate, LessonRead, LessonUpdate
from app.services import lessons as service
from app.web.deps import CurrentPrincipal, DbSession

router = api_router(tags=["lessons"])


@router.get("/lessons", response_model=Page[LessonRead], summary="Search lessons learned")
def search_lessons(
    db: DbSession,
    principal: CurrentPrincipal,
    page: Paging,
    q: Annotated[str | None, Query(max_length=200, description="Words in the text or a tag.")] = None,
    program_id: FilterId = None,
) -> Page[LessonRead]:
    """Lessons of every initiative you may see, newest first."""
    rows, total = service.search_lessons(
        db, principal, q=q, program_id=program_id, limit=page.limit, offset=page.offset
    )
    return page_of([LessonRead.build(r) for r in rows], total, page)


@router.get(
    "/initiatives/{initiative_id}/lessons",
    response_model=Page[LessonRead],
    summary="List an initiative's lessons",
    responses=NOT_VISIBLE,
)
def list_lessons(
    initiative_id: Id,
    db: DbSession,
    principal: CurrentPrincipal,
    page: Paging,
) -> Page[LessonRead]:
    """ "Detta har vi lärt oss", newest first."""
    rows, total = service.list_lessons(db, principal, initiative_id, limit=page.limit, offset=page.offset)
    return page_of([LessonRead.build(r) for r in rows], total, page)


@router.post(
    "/initiatives/{initiative_id}/lessons",
    response_model=LessonRead,
    status_code=201,
    summary="Add a lesson learned",
    responses={**NOT_VISIBLE, **NOT_PERMITTED},
)
def create_lesson(initiative_id: Id, body: LessonCreate, db: DbSession, principal: CurrentPrincipal) -> LessonRead:
    """Team members add lessons; `tags` is a list (or a comma-separated string)."""
    return LessonRead.build(service.create_lesson(db, principal, initiative_id, data=body))


@router.get("/lessons/{lesson_id}", response_model=LessonRead, summary="Read a lesson", responses=NOT_VISIBLE)
def read_lesson(lesson_id: Id, db: DbSession, principal: CurrentPrincipal) -> LessonRead:
    """One lesson with its `version`."""
    return LessonRead.build(service.get_lesson(db, principal, lesson_id))


@router.patch(
    "/lessons/{lesson_id}",
    response_model=LessonRead,
    summary="Update a lesson",
    responses={**NOT_VISIBLE, **NOT_PERMITTED, **STALE},
)
def update_lesson(lesson_id: Id, body: LessonUpdate, db: DbSession, principal: CurrentPrincipal) -> LessonRead:
    """Change the fields sent; `version` must be the one you read."""
    return LessonRead.build(service.update_lesson(db, principal, lesson_id, data=body))


@router.delete(
    "/lessons/{lesson_id}", status_code=204, summary="Delete a lesson", responses={**NOT_VISIBLE, **NOT_PERMITTED}
)
def delete_lesson(lesson_id: Id, db: DbSession, principal: CurrentPrincipal) -> Response:
    """Soft delete (team members)."""
    service.delete_lesson(db, principal, lesson_id)
    return Response(status_code=204)
