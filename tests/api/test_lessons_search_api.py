"""GET /api/v1/lessons?q=&program_id=: only what the user may see, in the Page shape."""

from datetime import date

from sqlalchemy.orm import Session

from app.models import Initiative, Lesson
from app.models.enums import Role
from tests.support.web import WebClient


def _lesson(db: Session, initiative: Initiative, text: str, tags: list[str] | None = None) -> Lesson:
    lesson = Lesson(initiative_id=initiative.id, text=text, tags=tags or [], lesson_date=date(2024, 6, 1))
    db.add(lesson)
    db.flush()
    return lesson


def test_search_returns_only_visible_lessons_with_context(client: WebClient, db: Session, make) -> None:
    program = make.program()
    mine = make.initiative(program=program, title="Utevistelse på äldreboende")
    theirs = make.initiative(program=program)
    _lesson(db, mine, "Sätt brukaren i fokus", ["Brukarfokus"])
    _lesson(db, theirs, "Brukaren ska vara med från början")
    viewer = make.user(Role.VIEWER, mine.organisation)
    client.login(viewer.email)
    response = client.get("/api/v1/lessons", params={"q": "BRUKAREN", "program_id": program.id})
    assert response.status_code == 200
    page = response.json()
    assert (page["total"], page["limit"], page["offset"]) == (1, 50, 0)
    hit = page["items"][0]
    assert hit["text"] == "Sätt brukaren i fokus"
    assert hit["initiative_title"] == "Utevistelse på äldreboende"
    assert hit["organisation_name"] == mine.organisation.name
    assert hit["tags"] == ["Brukarfokus"]


def test_search_bad_input(client: WebClient, make) -> None:
    user = make.user()
    client.login(user.email)
    assert client.get("/api/v1/lessons?program_id=abc").status_code == 422
    assert client.get("/api/v1/lessons", params={"q": "x" * 201}).status_code == 422
    assert client.get("/api/v1/lessons?limit=0").status_code == 422
    empty = client.get("/api/v1/lessons", params={"q": "%_\\'\""})
    assert empty.status_code == 200
    assert empty.json()["total"] == 0
