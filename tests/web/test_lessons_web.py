"""Lessons on the initiative page: add, edit and delete in place (HTMX) and without JavaScript."""

from typing import Any

from sqlalchemy.orm import Session

from app.models import Lesson
from app.models.enums import Role
from tests.support.web import WebClient


def member_of_new_initiative(client: WebClient, db: Session, make: Any) -> Any:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    db.commit()
    client.login(member.email)
    return initiative


def test_add_edit_delete_with_htmx(client: WebClient, db: Session, make: Any) -> None:
    initiative = member_of_new_initiative(client, db, make)
    base = f"/initiatives/{initiative.id}/lessons"
    response = client.htmx("POST", base, data={"text": "Börja smått.", "tags": "PDSA, ledarskap"})
    assert response.status_code == 200
    assert 'id="lessons"' in response.text
    assert "<html" not in response.text
    assert "Börja smått." in response.text
    assert '<span class="tag">ledarskap</span>' in response.text
    lesson = db.query(Lesson).filter_by(initiative_id=initiative.id).one()
    assert lesson.tags == ["PDSA", "ledarskap"]

    edit = client.htmx("GET", f"{base}/{lesson.id}/edit")
    assert 'value="PDSA, ledarskap"' in edit.text
    assert 'name="version" value="1"' in edit.text
    response = client.htmx(
        "POST", f"{base}/{lesson.id}", data={"version": "1", "text": "Börja riktigt smått.", "tags": "PDSA"}
    )
    assert response.status_code == 200
    assert "Börja riktigt smått." in response.text
    stale = client.htmx("POST", f"{base}/{lesson.id}", data={"version": "1", "text": "Gammal", "tags": ""})
    assert stale.status_code == 409
    assert "Börja riktigt smått." in stale.text  # the saved text is shown beside the form
    assert 'name="version" value="2"' in stale.text
    response = client.htmx("POST", f"{base}/{lesson.id}/delete")
    assert response.status_code == 200
    assert "Börja riktigt smått." not in response.text


def test_errors_and_personnummer_in_place(client: WebClient, db: Session, make: Any) -> None:
    initiative = member_of_new_initiative(client, db, make)
    base = f"/initiatives/{initiative.id}/lessons"
    response = client.htmx("POST", base, data={"text": "", "tags": "a"})
    assert response.status_code == 422
    assert 'id="new-lesson-text-error"' in response.text
    response = client.htmx("POST", base, data={"text": "Brukare 121212-1212", "tags": ""})
    assert response.status_code == 422
    assert 'name="confirm_personal_data"' in response.text
    assert "Brukare 121212-1212" in response.text
    response = client.htmx("POST", base, data={"text": "Brukare 121212-1212", "confirm_personal_data": "true"})
    assert response.status_code == 200


def test_without_javascript(client: WebClient, db: Session, make: Any) -> None:
    initiative = member_of_new_initiative(client, db, make)
    base = f"/initiatives/{initiative.id}/lessons"
    response = client.post_form(base, {"text": "Fråga brukarna först.", "tags": ""})
    assert response.status_code == 303
    assert response.headers["location"].endswith("#lessons")
    assert "Fråga brukarna först." in client.get(f"/initiatives/{initiative.id}").text
    lesson = db.query(Lesson).filter_by(initiative_id=initiative.id).one()
    page = client.get(f"{base}/{lesson.id}/edit")
    assert page.status_code == 200
    assert "<html" in page.text
    response = client.post_form(f"{base}/{lesson.id}", {"version": "1", "text": ""})
    assert response.status_code == 422
    assert "<html" in response.text


def test_viewer_cannot_add(client: WebClient, db: Session, make: Any) -> None:
    initiative = make.initiative()
    viewer = make.user(Role.VIEWER, initiative.organisation)
    db.commit()
    client.login(viewer.email)
    page = client.get(f"/initiatives/{initiative.id}").text
    assert f'action="/initiatives/{initiative.id}/lessons"' not in page
    assert client.post_form(f"/initiatives/{initiative.id}/lessons", {"text": "X"}).status_code == 403
