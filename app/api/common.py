"""Pieces every JSON API router shares: the route class, path ids, documented error answers, pagination."""

from collections.abc import Callable, Coroutine
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Security
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from app.schemas.common import Page, Pagination, pagination

Id = Annotated[int, Path(ge=1, le=2_000_000_000)]
FilterId = Annotated[int | None, Query(ge=1, le=2_000_000_000)]
Paging = Annotated[Pagination, Depends(pagination)]

Responses = dict[int | str, dict[str, Any]]
NOT_VISIBLE: Responses = {404: {"description": "Not found, or not visible to you"}}
NOT_PERMITTED: Responses = {403: {"description": "Visible, but your role does not allow this"}}
STALE: Responses = {409: {"description": "The version you sent is not the current one (someone else changed it)"}}

UNAUTHENTICATED: Responses = {401: {"description": "No token or session, or an invalid or revoked token"}}

# Declares the bearer scheme in the OpenAPI document (Swagger UI's "Authorize"); app.web.deps checks the token.
BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A personal API token: `framsteg token create --email E --name N`, or the profile page.",
)

UNREADABLE_BODY = "The body could not be read as JSON (it must be UTF-8 encoded JSON)."


class ApiRoute(APIRoute):
    """A route whose unreadable request body is a 422 like every other invalid input (DESIGN §4).

    FastAPI answers malformed JSON with a 422 (`json_invalid`) already, but a body it cannot decode at all
    (not UTF-8, nested too deeply) with a bare 400. Raised as a validation error instead, the app's handler
    answers `{"detail": [{"loc": ["body"], "msg": ..., "type": "json_invalid"}]}`.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                return await handler(request)
            except HTTPException as exc:
                # FastAPI raises exactly this, chained to the decoding error, when reading the body fails.
                if exc.status_code != 400 or exc.__cause__ is None:
                    raise
                error = {"type": "json_invalid", "loc": ("body",), "msg": UNREADABLE_BODY, "input": None}
                raise RequestValidationError([error]) from exc

        return handle


def api_router(*, tags: list[str] | None = None, public: bool = False) -> APIRouter:
    """A router under /api/v1 whose routes answer unreadable bodies with 422; `public`: no login needed."""
    if public:
        return APIRouter(prefix="/api/v1", tags=list(tags or []), route_class=ApiRoute)
    return APIRouter(
        prefix="/api/v1",
        tags=list(tags or []),
        route_class=ApiRoute,
        dependencies=[Security(BEARER)],
        responses=UNAUTHENTICATED,
    )


T = TypeVar("T")


def page_of(items: list[T], total: int, page: Pagination) -> Page[T]:
    """One page `{"items", "total", "limit", "offset"}` of a list the service already cut to the page."""
    return Page[T](items=items, total=total, limit=page.limit, offset=page.offset)


def slice_page(items: list[T], page: Pagination) -> Page[T]:
    """One page of a complete list (services that return every row)."""
    return page_of(items[page.offset : page.offset + page.limit], len(items), page)
