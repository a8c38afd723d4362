"""Lesson search across a programme: case-insensitive, Swedish letters, tags, visibility."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import Initiative, Lesson
from app.models.enums import Role
from app.services.lesson_search import search_lessons


def _lesson(db: Session, initiative: Initiative, text: str, tags: list[str] | None = None, **kw: object) -> Lesson:
    lesson = Lesson(
        initiative_id=initiative.id, text=text, tags=tags or [], lesson_date=kw.pop("lesson_date", date(2024, 5, 1))
    )
    db.add(lesson)
    db.flush()
    return lesson


def _texts(rows: object) -> set[str]:
    return {lesson.text for lesson in rows}  # type: ignore[attr-defined]


def test_search_is_case_insensitive_with_swedish_letters(db: Session, make) -> None:
    initiative = make.initiative()
    admin = Principal.of(make.user(admin=True))
    _lesson(db, initiative, "ÄLDRE brukare vill vara ute oftare", ["Utevistelse"])
    _lesson(db, initiative, "Överenskommelser med Arbetsförmedlingen tar tid", ["Samverkan", "Ålder"])
    _lesson(db, initiative, "Mät varje vecka", ["mätning"])
    for q, expected in (
        ("äldre", {"ÄLDRE brukare vill vara ute oftare"}),
        ("ÖVERENSKOMMELSER", {"Överenskommelser med Arbetsförmedlingen tar tid"}),
        ("åLDER", {"Överenskommelser med Arbetsförmedlingen tar tid"}),  # a tag, with Å
        ("utevistelse", {"ÄLDRE brukare vill vara ute oftare"}),  # a tag, ASCII
        ("MÄTNING", {"Mät varje vecka"}),  # a tag, with Ä
        ("mät vecka", {"Mät varje vecka"}),  # every word must match
        ("100%", set()),  # LIKE wildcards are literal
        ("_", set()),
    ):
        rows, total = search_lessons(db, admin, q=q, program_id=initiative.program_id)
        assert _texts(rows) == expected, q
        assert total == len(expected)


def test_blank_query_lists_all_newest_first_and_paginates(db: Session, make) -> None:
    initiative = make.initiative()
    admin = Principal.of(make.user(admin=True))
    for day in (1, 3, 2):
        _lesson(db, initiative, f"Lärdom {day}", lesson_date=date(2024, 5, day))
    rows, total = search_lessons(db, admin, q="  ", program_id=initiative.program_id, limit=2)
    assert total == 3
    assert [r.text for r in rows] == ["Lärdom 3", "Lärdom 2"]
    rows, _ = search_lessons(db, admin, q=None, program_id=initiative.program_id, limit=2, offset=2)
    assert [r.text for r in rows] == ["Lärdom 1"]


def test_only_visible_and_live_lessons(db: Session, make) -> None:
    program = make.program()
    mine = make.initiative(program=program)
    theirs = make.initiative(program=program)
    _lesson(db, mine, "Delaktighet ger resultat")
    _lesson(db, theirs, "Delaktighet kräver tid")
    gone = _lesson(db, mine, "Delaktighet borttagen")
    gone.deleted_at = gone.created_at
    db.flush()
    viewer = Principal.of(make.user(Role.VIEWER, mine.organisation))
    rows, total = search_lessons(db, viewer, q="delaktighet", program_id=program.id)
    assert _texts(rows) == {"Delaktighet ger resultat"}
    assert total == 1
    coordinator = Principal.of(make.user(Role.COORDINATOR, program))
    rows, _ = search_lessons(db, coordinator, q="DELAKTIGHET", program_id=program.id)
    assert _texts(rows) == {"Delaktighet ger resultat", "Delaktighet kräver tid"}


def test_postgres_also_matches_swedish_word_forms(db: Session, make) -> None:
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("full-text stemming is a PostgreSQL extra")
    initiative = make.initiative()
    admin = Principal.of(make.user(admin=True))
    _lesson(db, initiative, "Brukarna vill bestämma mer själva")
    rows, _ = search_lessons(db, admin, q="brukare", program_id=initiative.program_id)
    assert _texts(rows) == {"Brukarna vill bestämma mer själva"}
