"""Search lessons learned ("Detta har vi lärt oss") across everything the user may see.

One function for SQLite and PostgreSQL. Every word of the query must occur in the lesson's text or
tags, case-insensitively. Swedish letters need care: SQLite's lower() folds ASCII only, so both the
column and the pattern are folded with explicit replacements for the non-ASCII capitals (Å Ä Ö É Ü)
before comparing; PostgreSQL's lower() already handles them, so the replacements are harmless
there. Tags are stored as JSON, where non-ASCII letters may be escaped (\\u00e5); the pattern is also
matched in that form. On PostgreSQL a Swedish full-text match (`to_tsvector('swedish', ...)`, which
stems "brukarna" and "brukare" alike) is accepted as well.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, String, and_, cast, func, literal_column, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from app.auth import policy
from app.auth.policy import Principal
from app.models import Initiative, Lesson, Program
from app.services.programs import get_program

MAX_TERMS = 8
_SWEDISH: ColumnElement[str] = literal_column("'swedish'::regconfig")
# Capitals SQLite's lower() leaves alone, folded explicitly (PostgreSQL's lower() handles them anyway).
_CAPITALS = {"Å": "å", "Ä": "ä", "Ö": "ö", "É": "é", "Ü": "ü", "Æ": "æ", "Ø": "ø"}


def _fold(expr: ColumnElement[str] | InstrumentedAttribute[str]) -> ColumnElement[str]:
    folded: ColumnElement[str] = func.lower(expr)
    for upper, lower in _CAPITALS.items():
        folded = func.replace(folded, upper, lower)
        # JSON text may carry escapes (\u00c5); lower() turned "\u00C5" into "\u00c5".
        folded = func.replace(folded, _escaped(upper).lower(), _escaped(lower))
    return folded


def _escaped(text: str) -> str:
    """The text as it appears inside an ASCII-escaped JSON string."""
    return json.dumps(text)[1:-1]


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def terms_of(q: str | None) -> list[str]:
    """Lower-cased words of the query (at most MAX_TERMS); empty for a blank query."""
    # NUL cannot occur in stored text (PostgreSQL refuses it), so it matches nothing: drop it.
    return [t.lower() for t in (q or "").replace("\x00", "").split()][:MAX_TERMS]


def _term_matches(term: str, dialect: str) -> ColumnElement[bool]:
    text_hit = _fold(Lesson.text).like(_like_pattern(term), escape="\\")
    tags_text = _fold(cast(Lesson.tags, String))
    tag_hits = [tags_text.like(_like_pattern(term), escape="\\")]
    if (json_form := _escaped(term)) != term:
        tag_hits.append(tags_text.like(_like_pattern(json_form), escape="\\"))
    conditions = [text_hit, *tag_hits]
    if dialect == "postgresql":
        conditions.append(func.to_tsvector(_SWEDISH, Lesson.text).op("@@")(func.plainto_tsquery(_SWEDISH, term)))
    return or_(*conditions)


def search_lessons(
    db: Session,
    principal: Principal,
    *,
    q: str | None = None,
    program_id: int | None = None,
    organisation_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[Lesson], int]:
    """Live lessons of visible initiatives matching every word of `q` (all of them for a blank query),
    newest first, with their initiative and organisation loaded; and the total number of matches."""
    dialect = db.get_bind().dialect.name
    query = (
        select(Lesson)
        .join(Initiative, Initiative.id == Lesson.initiative_id)
        .where(Lesson.deleted_at.is_(None), policy.initiatives_visible(principal))
    )
    if program_id is not None:
        query = query.where(Initiative.program_id == program_id)
    if organisation_id is not None:
        query = query.where(Initiative.organisation_id == organisation_id)
    if terms := terms_of(q):
        query = query.where(and_(*(_term_matches(term, dialect) for term in terms)))
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(
        query.options(selectinload(Lesson.initiative).selectinload(Initiative.organisation))
        .order_by(Lesson.lesson_date.desc(), Lesson.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return rows, total


@dataclass(frozen=True)
class ProgramLessons:
    program: Program
    lessons: Sequence[Lesson]
    total: int


def search_program_lessons(
    db: Session, principal: Principal, *, program_id: int, q: str | None = None, limit: int = 50, offset: int = 0
) -> ProgramLessons:
    """A programme's lessons the user may see (NotFound when the programme is not visible)."""
    program = get_program(db, principal, program_id)
    lessons, total = search_lessons(db, principal, q=q, program_id=program.id, limit=limit, offset=offset)
    return ProgramLessons(program=program, lessons=lessons, total=total)
