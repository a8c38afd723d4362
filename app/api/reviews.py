"""Status reviews API: GET/POST /api/v1/initiatives/{id}/reviews."""

from app.api.common import NOT_PERMITTED, NOT_VISIBLE, Id, Paging, api_router, slice_page
from app.schemas.common import Page
from app.schemas.reviews import ReviewCreate, ReviewRead
from app.services import reviews as review_service
from app.web.deps import CurrentPrincipal, DbSession

router = api_router(tags=["reviews"])


@router.get("/initiatives/{initiative_id}/reviews", response_model=Page[ReviewRead], responses=NOT_VISIBLE)
def list_reviews(
    initiative_id: Id,
    db: DbSession,
    principal: CurrentPrincipal,
    page: Paging,
) -> Page[ReviewRead]:
    """The initiative's status reviews, newest first (anyone who may read the initiative)."""
    reviews = review_service.list_reviews(db, principal, initiative_id=initiative_id)
    return slice_page([ReviewRead.of(r) for r in reviews], page)


@router.post(
    "/initiatives/{initiative_id}/reviews",
    response_model=ReviewRead,
    status_code=201,
    responses={
        **NOT_VISIBLE,
        **NOT_PERMITTED,
        409: {"description": "The initiative changed meanwhile (try again)"},
    },
)
def create_review(initiative_id: Id, body: ReviewCreate, db: DbSession, principal: CurrentPrincipal) -> ReviewRead:
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
