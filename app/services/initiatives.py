"""Initiatives: listing within what the user may see, reading with access checks."""

from collections.abc import Sequence

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from app.auth import policy
from app.auth.policy import Principal
from app.models import Initiative
from app.services.errors import NotFound


def _visible(principal: Principal) -> Select[Initiative]:
    return select(Initiative).where(policy.initiatives_visible(principal))


def list_for_home(db: Session, principal: Principal) -> Sequence[Initiative]:
    query = (
        _visible(principal)
        .options(selectinload(Initiative.organisation), selectinload(Initiative.program))
        .order_by(Initiative.title)
    )
    return db.scalars(query).all()


def search(
    db: Session,
    principal: Principal,
    *,
    program_id: int | None = None,
    organisation_id: int | None = None,
    status: str | None = None,
    rag: str | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[Initiative], int]:
    query = _visible(principal)
    if program_id is not None:
        query = query.where(Initiative.program_id == program_id)
    if organisation_id is not None:
        query = query.where(Initiative.organisation_id == organisation_id)
    if status:
        query = query.where(Initiative.status == status)
    if rag:
        query = query.where(Initiative.rag == rag)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(func.lower(Initiative.title).like(pattern), func.lower(Initiative.problem).like(pattern))
        )
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(
        query.options(selectinload(Initiative.organisation)).order_by(Initiative.id).limit(limit).offset(offset)
    ).all()
    return rows, total


def get_visible(db: Session, principal: Principal, initiative_id: int) -> Initiative:
    """The initiative if the user may read it; otherwise NotFound, so its existence is not revealed."""
    initiative = db.scalar(_visible(principal).where(Initiative.id == initiative_id))
    if initiative is None:
        raise NotFound("Initiative not found")
    return initiative
