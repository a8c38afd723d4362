"""Lessons endpoints of the JSON API (DESIGN §4)."""

from typing import Any

from app.models.enums import Role
from tests.api.test_initiatives_api import as_user  # noqa: F401 (fixture)


def test_lessons_create_list_search_update_delete(make: Any, as_user: Any) -> None:  # noqa: F811
    initiative = make.initiative()
    member = as_user(make.user(Role.MEMBER, initiative))
    response = member.post(
        f"/initiatives/{initiative.id}/lessons", json={"text": "Börja smått.", "tags": ["PDSA", "ledning"]}
    )
    assert response.status_code == 201, response.text
    lesson = response.json()
    assert lesson["tags"] == ["PDSA", "ledning"]
    assert lesson["created_by_name"] == member.user.name
    member.post(f"/initiatives/{initiative.id}/lessons", json={"text": "Fråga brukarna.", "tags": "delaktighet, röst"})

    page = member.get(f"/initiatives/{initiative.id}/lessons").json()
    assert page["total"] == 2
    assert member.get("/lessons?q=delaktighet").json()["total"] == 1
    assert member.get(f"/lessons?program_id={initiative.program_id}").json()["total"] == 2

    url = f"/lessons/{lesson['id']}"
    assert member.patch(url, json={"version": 1, "text": "Börja riktigt smått."}).json()["version"] == 2
    assert member.patch(url, json={"version": 1, "text": "Gammalt"}).status_code == 409
    assert member.delete(url).status_code == 204
    assert member.get(url).status_code == 404


def test_lessons_access(make: Any, as_user: Any) -> None:  # noqa: F811
    initiative = make.initiative()
    viewer = as_user(make.user(Role.VIEWER, initiative.organisation))
    stranger = as_user(make.user(Role.VIEWER, make.organisation()))
    assert viewer.post(f"/initiatives/{initiative.id}/lessons", json={"text": "X"}).status_code == 403
    assert stranger.get(f"/initiatives/{initiative.id}/lessons").status_code == 404
    assert stranger.get("/lessons").json()["total"] == 0
    member = as_user(make.user(Role.MEMBER, initiative))
    assert member.post(f"/initiatives/{initiative.id}/lessons", json={"text": ""}).status_code == 422
    response = member.post(f"/initiatives/{initiative.id}/lessons", json={"text": "Se 121212-1212"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "personal_number"
