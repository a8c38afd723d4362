from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models.enums import Role
from app.schemas.lessons import LessonCreate, LessonUpdate
from app.services import lessons as service
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound


@pytest.fixture
def team(make: Any) -> Any:
    initiative = make.initiative()
    return initiative, Principal.of(make.user(Role.MEMBER, initiative))


def test_create_with_comma_separated_tags(db: Session, team: Any) -> None:
    initiative, p = team
    lesson = service.create_lesson(
        db, p, initiative.id, data=LessonCreate(text="Testa smått först.", tags=" PDSA, delaktighet ,pdsa,, ")
    )
    assert lesson.tags == ["PDSA", "delaktighet"]
    assert lesson.lesson_date == date.today()
    assert lesson.created_by_id == p.user_id


def test_update_with_version_and_delete(db: Session, team: Any) -> None:
    initiative, p = team
    lesson = service.create_lesson(db, p, initiative.id, data=LessonCreate(text="A", lesson_date=date(2024, 5, 1)))
    lesson = service.update_lesson(db, p, lesson.id, data=LessonUpdate(version=1, text="B", tags=["x"]))
    assert (lesson.text, lesson.tags, lesson.version) == ("B", ["x"], 2)
    with pytest.raises(Conflict):
        service.update_lesson(db, p, lesson.id, data=LessonUpdate(version=1, text="C"))
    service.delete_lesson(db, p, lesson.id)
    assert service.lessons_of(db, initiative.id) == []
    with pytest.raises(NotFound):
        service.get_lesson(db, p, lesson.id)


def test_personnummer_warning(db: Session, team: Any) -> None:
    initiative, p = team
    with pytest.raises(InvalidInput) as exc:
        service.create_lesson(db, p, initiative.id, data=LessonCreate(text="Brukaren 121212-1212 tyckte om det"))
    assert exc.value.by_field().keys() == {"text"}
    data = LessonCreate(text="Brukaren 121212-1212 tyckte om det", confirm_personal_data=True)
    assert service.create_lesson(db, p, initiative.id, data=data).id


def test_viewer_reads_but_may_not_write(db: Session, make: Any, team: Any) -> None:
    initiative, p = team
    service.create_lesson(db, p, initiative.id, data=LessonCreate(text="A"))
    viewer = Principal.of(make.user(Role.VIEWER, initiative.organisation))
    rows, total = service.list_lessons(db, viewer, initiative.id)
    assert total == 1
    with pytest.raises(Forbidden):
        service.create_lesson(db, viewer, initiative.id, data=LessonCreate(text="B"))
    with pytest.raises(Forbidden):
        service.delete_lesson(db, viewer, rows[0].id)
    outsider = Principal.of(make.user(Role.VIEWER, make.organisation()))
    with pytest.raises(NotFound):
        service.list_lessons(db, outsider, initiative.id)


def test_search_across_visible_initiatives(db: Session, make: Any, team: Any) -> None:
    initiative, p = team
    service.create_lesson(db, p, initiative.id, data=LessonCreate(text="Ägarskap hos enhetschefen", tags=["Ledning"]))
    service.create_lesson(db, p, initiative.id, data=LessonCreate(text="Annat", tags=["Läkemedel"]))
    other = make.initiative()
    other_p = Principal.of(make.user(Role.MEMBER, other))
    service.create_lesson(db, other_p, other.id, data=LessonCreate(text="Ägarskap syns inte här"))
    rows, total = service.search_lessons(db, p, q="ägarskap")
    assert total == 1
    assert rows[0].initiative_id == initiative.id
    assert service.search_lessons(db, p, q="LÄKEMEDEL")[1] == 1
    assert service.search_lessons(db, p, program_id=initiative.program_id)[1] == 2
    assert service.search_lessons(db, p, program_id=other.program_id)[1] == 0


def test_tag_limits() -> None:
    for tags in (",".join(f"t{i}" for i in range(25)), ["x" * 60], ["a\x00b"]):
        with pytest.raises(ValidationError) as exc:
            LessonCreate(text="A", tags=tags)
        assert exc.value.errors()[0]["loc"] == ("tags",)
