"""Lessons learned ("Detta har vi lärt oss"): the team writes them, everyone who sees the initiative reads them.

Adding, editing and deleting (soft) need the member role (policy.can_edit); searching covers every
initiative the user may see.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from app.auth import policy
from app.auth.policy import Principal
from app.models import Initiative, Lesson
from app.schemas.lessons import LessonCreate, LessonUpdate
from app.services import audit
from app.services.common import check_version, soft_delete
from app.services.errors import NotFound
from app.services.initiatives import actor_of, flush_versioned, get_editable, get_visible
from app.services.personal_data import check_free_text


def _live() -> Select[Lesson]:
    return (
        select(Lesson)
        .where(Lesson.deleted_at.is_(None))
        .options(selectinload(Lesson.created_by))
        .order_by(Lesson.lesson_date.desc(), Lesson.id.desc())
    )


def lessons_of(db: Session, initiative_id: int) -> list[Lesson]:
    """Live lessons of an initiative (caller has checked visibility), newest first."""
    return list(db.scalars(_live().where(Lesson.initiative_id == initiative_id)).all())


def list_lessons(
    db: Session, principal: Principal, initiative_id: int, *, limit: int = 50, offset: int = 0
) -> tuple[Sequence[Lesson], int]:
    initiative = get_visible(db, principal, initiative_id)
    query = _live().where(Lesson.initiative_id == initiative.id)
    total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return db.scalars(query.limit(limit).offset(offset)).all(), total


def _matches(lesson: Lesson, needle: str) -> bool:
    return needle in lesson.text.casefold() or any(needle in tag.casefold() for tag in lesson.tags or ())


def search_lessons(
    db: Session,
    principal: Principal,
    *,
    q: str | None = None,
    program_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[Lesson], int]:
    """Lessons of every initiative the user may see, optionally in one programme and matching `q` in the
    text or a tag (case-insensitive, also for å, ä and ö, which SQLite's lower() does not fold)."""
    query = _live().join(Initiative, Lesson.initiative_id == Initiative.id).where(policy.initiatives_visible(principal))
    if program_id is not None:
        query = query.where(Initiative.program_id == program_id)
    if not q:
        total = db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        return db.scalars(query.limit(limit).offset(offset)).all(), total
    needle = q.casefold()
    found = [lesson for lesson in db.scalars(query).all() if _matches(lesson, needle)]
    return found[offset : offset + limit], len(found)


def get_lesson(db: Session, principal: Principal, lesson_id: int, *, initiative_id: int | None = None) -> Lesson:
    lesson = db.scalar(_live().where(Lesson.id == lesson_id))
    if lesson is None or (initiative_id is not None and lesson.initiative_id != initiative_id):
        raise NotFound("Lesson not found")
    get_visible(db, principal, lesson.initiative_id)
    return lesson


def get_editable_lesson(
    db: Session, principal: Principal, lesson_id: int, *, initiative_id: int | None = None
) -> Lesson:
    """A lesson the user may change (member of its initiative): NotFound if invisible, else Forbidden."""
    lesson = get_lesson(db, principal, lesson_id, initiative_id=initiative_id)
    get_editable(db, principal, lesson.initiative_id)
    return lesson


def create_lesson(db: Session, principal: Principal, initiative_id: int, *, data: LessonCreate) -> Lesson:
    initiative = get_editable(db, principal, initiative_id)
    check_free_text({"text": data.text, "tags": ", ".join(data.tags)}, confirmed=data.confirm_personal_data)
    actor = actor_of(db, principal)
    lesson = Lesson(
        initiative_id=initiative.id,
        text=data.text,
        tags=list(data.tags),
        lesson_date=data.lesson_date or date.today(),
        created_by_id=actor.id,
    )
    db.add(lesson)
    db.flush()
    audit.record(
        db,
        actor=actor,
        action="create",
        entity="lesson",
        entity_id=lesson.id,
        initiative_id=initiative.id,
        after=audit.snapshot(lesson),
    )
    return lesson


def update_lesson(
    db: Session, principal: Principal, lesson_id: int, *, data: LessonUpdate, initiative_id: int | None = None
) -> Lesson:
    lesson = get_editable_lesson(db, principal, lesson_id, initiative_id=initiative_id)
    check_version(
        lesson,
        data.version,
        current={
            "text": lesson.text,
            "tags": lesson.tags,
            "lesson_date": lesson.lesson_date,
            "version": lesson.version,
        },
    )
    changes = {
        k: v
        for k, v in data.model_dump(exclude_unset=True, include={"text", "tags", "lesson_date"}).items()
        if getattr(lesson, k) != v
    }
    texts = {k: (", ".join(v) if k == "tags" else v) for k, v in changes.items() if k in ("text", "tags")}
    check_free_text(texts, confirmed=data.confirm_personal_data)
    if not changes:
        return lesson
    before = audit.snapshot(lesson)
    for name, value in changes.items():
        setattr(lesson, name, list(value) if name == "tags" else value)
    flush_versioned(db)
    audit.record(
        db,
        actor=actor_of(db, principal),
        action="update",
        entity="lesson",
        entity_id=lesson.id,
        initiative_id=lesson.initiative_id,
        before=before,
        after=audit.snapshot(lesson),
    )
    return lesson


def delete_lesson(db: Session, principal: Principal, lesson_id: int, *, initiative_id: int | None = None) -> None:
    lesson = get_editable_lesson(db, principal, lesson_id, initiative_id=initiative_id)
    actor = actor_of(db, principal)
    before = audit.snapshot(lesson)
    soft_delete(lesson, actor)
    flush_versioned(db)
    audit.record(
        db,
        actor=actor,
        action="delete",
        entity="lesson",
        entity_id=lesson.id,
        initiative_id=lesson.initiative_id,
        before=before,
        after=audit.snapshot(lesson),
    )


@dataclass(frozen=True)
class LessonsPanel:
    """What the lessons section of the initiative page shows."""

    initiative: Initiative
    lessons: list[Lesson]
    can_edit: bool


def lessons_panel(db: Session, principal: Principal, initiative_id: int) -> LessonsPanel:
    initiative = get_visible(db, principal, initiative_id)
    return LessonsPanel(initiative, lessons_of(db, initiative.id), policy.can_edit(principal, initiative))
