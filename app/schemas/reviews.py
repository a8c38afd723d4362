"""Status reviews in the API and in the review form."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.models import StatusReview
from app.models.enums import InitiativeStatus, Rag
from app.schemas.common import ReadModel, StrictModel
from app.schemas.programs import Text

MAX_TEXT = 10_000


class ReviewCreate(StrictModel):
    review_date: date
    rag: Rag
    assessment: Text = Field("", max_length=MAX_TEXT)
    decision: Text = Field("", max_length=MAX_TEXT)
    next_review_on: date | None = None
    status: InitiativeStatus | None = Field(None, description="Also change the initiative's status.")
    confirm_personal_data: bool = Field(False, description="The text holds no personal identity number.")


class ReviewForm(BaseModel):
    """The page form: like ReviewCreate, but empty fields arrive as None and the CSRF field is ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    review_date: date
    rag: Rag
    assessment: Text | None = Field(None, max_length=MAX_TEXT)
    decision: Text | None = Field(None, max_length=MAX_TEXT)
    next_review_on: date | None = None
    status: InitiativeStatus | None = None
    confirm_personal_data: bool = False


class ReviewRead(ReadModel):
    id: int
    initiative_id: int
    review_date: date
    rag: Rag
    assessment: str
    decision: str
    next_review_on: date | None
    reviewer_id: int | None
    reviewer_name: str | None
    created_at: datetime
    version: int

    @classmethod
    def of(cls, review: StatusReview) -> "ReviewRead":
        return cls(
            id=review.id,
            initiative_id=review.initiative_id,
            review_date=review.review_date,
            rag=Rag(review.rag),
            assessment=review.assessment,
            decision=review.decision,
            next_review_on=review.next_review_on,
            reviewer_id=review.reviewer_id,
            reviewer_name=review.reviewer.name if review.reviewer else None,
            created_at=review.created_at,
            version=review.version,
        )
