"""Status reviews: the ledningsgrupp's assessment of an initiative, its RAG status and decision.

A review is recorded by a leader of the initiative's organisation (or an admin). In one
transaction it stores the review, sets the initiative's RAG (and status, when given) and records
audit events for both, so the initiative never shows a RAG that no review explains.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from app.auth import policy
from app.auth.policy import Principal
from app.core.i18n import _
from app.models import Initiative, StatusReview, User
from app.models.enums import InitiativeStatus, Rag
from app.services import audit
from app.services.errors import Conflict, FieldError, InvalidInput
from app.services.initiatives import get_visible
from app.services.personal_data import check_free_text

# Initiatives that are over need no further follow-up from the ledningsgrupp.
CLOSED_STATUSES = (InitiativeStatus.COMPLETED.value, InitiativeStatus.STOPPED.value)
MAX_TEXT = 10_000


def _validate(
    *,
    review_date: date,
    rag: str,
    assessment: str,
    decision: str,
    next_review_on: date | None,
    status: str | None,
    confirm_personal_data: bool,
) -> None:
    errors: list[FieldError] = []
    if rag not in {r.value for r in Rag}:
        errors.append(FieldError(("rag",), _("Choose green, amber or red.")))
    if status is not None and status not in {s.value for s in InitiativeStatus}:
        errors.append(FieldError(("status",), _("Choose one of the options.")))
    if next_review_on is not None and next_review_on <= review_date:
        errors.append(FieldError(("next_review_on",), _("The next review must be after the review date.")))
    for name, text in (("assessment", assessment), ("decision", decision)):
        if len(text) > MAX_TEXT:
            errors.append(FieldError((name,), _("Enter at most %(n)s characters.") % {"n": MAX_TEXT}))
    if not assessment.strip() and not decision.strip():
        errors.append(FieldError(("assessment",), _("Write an assessment or a decision.")))
    if errors:
        raise InvalidInput(errors)
    check_free_text({"assessment": assessment, "decision": decision}, confirmed=confirm_personal_data)


def _require_reviewer(principal: Principal, initiative: Initiative) -> None:
    policy.require(
        policy.can_review(principal, initiative),
        _("Only the management team of the initiative's organisation can record a status review."),
    )


def create_review(
    db: Session,
    principal: Principal,
    *,
    initiative_id: int,
    review_date: date,
    rag: str,
    assessment: str,
    decision: str,
    next_review_on: date | None,
    status: str | None = None,
    confirm_personal_data: bool = False,
) -> StatusReview:
    """Record a review and apply its RAG (and status) to the initiative, with audit events.

    A review dated before the latest existing review is stored but leaves the initiative unchanged.

    NotFound when the initiative is not visible, Forbidden unless the user leads its organisation
    (or is an admin), InvalidInput for bad values, Conflict if the initiative changed meanwhile.
    """
    initiative = get_visible(db, principal, initiative_id)
    _require_reviewer(principal, initiative)
    assessment, decision = assessment.strip(), decision.strip()
    _validate(
        review_date=review_date,
        rag=rag,
        assessment=assessment,
        decision=decision,
        next_review_on=next_review_on,
        status=status,
        confirm_personal_data=confirm_personal_data,
    )
    actor = db.get(User, principal.user_id)
    latest = db.scalar(select(func.max(StatusReview.review_date)).where(StatusReview.initiative_id == initiative.id))
    review = StatusReview(
        initiative=initiative,
        review_date=review_date,
        rag=rag,
        assessment=assessment,
        decision=decision,
        next_review_on=next_review_on,
        reviewer_id=principal.user_id,
    )
    db.add(review)
    before = audit.snapshot(initiative)
    # A back-dated review goes into the history but does not override a later review's decision.
    if latest is None or review_date >= latest:
        initiative.rag = rag
        if status is not None:
            initiative.status = status
    try:
        db.flush()
    except StaleDataError as exc:  # the initiative was changed by someone else in between
        raise Conflict(_("Someone else changed this initiative in the meantime. Reload and try again.")) from exc
    audit.record(
        db,
        actor=actor,
        action="create",
        entity="status_review",
        entity_id=review.id,
        initiative_id=initiative.id,
        after=audit.snapshot(review),
    )
    after = audit.snapshot(initiative)
    if any(before.get(k) != after.get(k) for k in ("rag", "status")):
        audit.record(
            db,
            actor=actor,
            action="update",
            entity="initiative",
            entity_id=initiative.id,
            initiative_id=initiative.id,
            before=before,
            after=after,
        )
    db.flush()
    return review


def list_reviews(db: Session, principal: Principal, *, initiative_id: int) -> Sequence[StatusReview]:
    """The initiative's reviews, newest first (NotFound when the initiative is not visible)."""
    get_visible(db, principal, initiative_id)
    return _reviews_of(db, initiative_id)


def _reviews_of(db: Session, initiative_id: int) -> Sequence[StatusReview]:
    query = (
        select(StatusReview)
        .where(StatusReview.initiative_id == initiative_id)
        .options(selectinload(StatusReview.reviewer))
        .order_by(StatusReview.review_date.desc(), StatusReview.id.desc())
    )
    return db.scalars(query).all()


@dataclass(frozen=True)
class ReviewPanel:
    """What a page needs to show the review history and, for leaders, the review form."""

    initiative: Initiative
    reviews: Sequence[StatusReview]
    can_review: bool


def review_panel(db: Session, principal: Principal, *, initiative_id: int, for_review: bool = False) -> ReviewPanel:
    """The initiative, its reviews and whether the user may add one (`for_review`: require that)."""
    initiative = get_visible(db, principal, initiative_id)
    can_review = policy.can_review(principal, initiative)
    if for_review:
        _require_reviewer(principal, initiative)
    return ReviewPanel(
        initiative=initiative,
        reviews=_reviews_of(db, initiative.id),
        can_review=can_review,
    )


@dataclass(frozen=True)
class DueReview:
    """An initiative on the ledningsgrupp's agenda: never reviewed, or its next review is due."""

    initiative: Initiative
    last_review_on: date | None
    next_review_on: date | None
    overdue: bool
    can_review: bool


def latest_review(column: Any) -> Any:
    """Correlated subquery: `column` of the initiative's most recent review."""
    return (
        select(column)
        .where(StatusReview.initiative_id == Initiative.id)
        .order_by(StatusReview.review_date.desc(), StatusReview.id.desc())
        .limit(1)
        .correlate(Initiative)
        .scalar_subquery()
    )


def due_for_review(
    db: Session,
    principal: Principal,
    *,
    on_or_before: date,
    today: date | None = None,
    organisation_id: int | None = None,
) -> list[DueReview]:
    """Open initiatives the user may see whose next review is due by `on_or_before`, or never reviewed.

    Never-reviewed first, then by due date. Two queries (initiatives, organisations), whatever the number.
    """
    today = today or date.today()
    last_on = latest_review(StatusReview.review_date)
    next_on = latest_review(StatusReview.next_review_on)
    query = (
        select(Initiative, last_on, next_on)
        .where(
            policy.initiatives_visible(principal),
            Initiative.status.not_in(CLOSED_STATUSES),
            or_(last_on.is_(None), and_(next_on.is_not(None), next_on <= on_or_before)),
        )
        .options(selectinload(Initiative.organisation))
        .order_by(next_on.is_not(None), next_on, Initiative.title)
    )
    if organisation_id is not None:
        query = query.where(Initiative.organisation_id == organisation_id)
    return [
        DueReview(
            initiative=initiative,
            last_review_on=last,
            next_review_on=nxt,
            overdue=nxt is not None and nxt < today,
            can_review=policy.can_review(principal, initiative),
        )
        for initiative, last, nxt in db.execute(query).all()
    ]
