"""Status reviews API: GET/POST /api/v1/initiatives/{id}/reviews."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from app.schemas.common import Page, Pagination, pagination
from app.schemas.reviews import ReviewCreate, ReviewRead
from app.services import reviews as review_service
from app.web.deps import CurrentPrincipal, DbSession

router = APIRouter(prefix="/api/v1", tags=["reviews"])

InitiativeId = Annotated[int, Path(ge=1, le=2_000_000_000)]


@router.get("/initiatives/{initiative_id}/reviews", response_model=Page[ReviewRead])
def list_reviews(
    initiative_id: InitiativeId,
    db: DbSession,
    principal: CurrentPrincipal,
    page: Annotated[Pagination, Depends(pagination)],
) -> Page[ReviewRead]:
    """The initiative's status reviews, newest first (anyone who may read the initiative)."""
    reviews = review_service.list_reviews(db, principal, initiative_id=initiative_id)
    items = [ReviewRead.of(r) for r in reviews[page.offset : page.offset + page.limit]]
    return Page[ReviewRead](items=items, total=len(reviews), limit=page.limit, offset=page.offset)


@router.post(
    "/initiatives/{initiative_id}/reviews",
    response_model=ReviewRead,
    status_code=201,
    responses={403: {"description": "Not a leader of the organisation"}, 404: {"description": "Not found"}},
)
def create_review(
    initiative_id: InitiativeId, body: ReviewCreate, db: DbSession, principal: CurrentPrincipal
) -> ReviewRead:
    """Record a ledningsgrupp review; sets the initiative's RAG (and status, if given). Leaders and admins."""
    review = review_service.create_review(
        db,
        principal,
        initiative_id=initiative_id,
        review_date=body.review_date,
        rag=body.rag.value,
        assessment=body.assessment,
        decision=body.decision,
        next_review_on=body.next_review_on,
        status=body.status.value if body.status else None,
        confirm_personal_data=body.confirm_personal_data,
    )
    return ReviewRead.of(review)
