"""Initiatives endpoints of the JSON API (DESIGN §4)."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.models import User
from app.models.enums import Role
from tests.support.web import WebClient


class ApiClient:
    """Calls /api/v1 with a Bearer token, as scripts and other systems do."""

    def __init__(self, client: WebClient, db: Session, user: User) -> None:
        self.client = client
        self.user = user
        _, token = create_api_token(db, user, "test")
        db.commit()  # the test data outlives a request that fails and rolls back
        self.headers = {"Authorization": f"Bearer {token}"}

    def __getattr__(self, method: str) -> Any:
        def call(url: str, **kwargs: Any) -> Any:
            headers = {**self.headers, **kwargs.pop("headers", {})}
            return self.client.request(method.upper(), "/api/v1" + url, headers=headers, **kwargs)

        return call


@pytest.fixture
def as_user(client: WebClient, db: Session) -> Any:
    return lambda user: ApiClient(client, db, user)


def test_create_read_update_delete(make: Any, as_user: Any) -> None:
    program = make.program()
    org = make.organisation(program)
    leader = as_user(make.user(Role.LEADER, org))
    body = {
        "organisation_id": org.id,
        "program_id": program.id,
        "title": "Fler boende rör sig",
        "aim": "Från 58 % till 75 % nöjda inom ett år.",
        "team": [{"name": "Linnea Bergström", "role": "enhetschef"}],
    }
    response = leader.post("/initiatives", json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["version"] == 1
    assert created["status"] == "draft"
    assert created["team"][0]["role"] == "enhetschef"
    assert created["measures"] == []

    url = f"/initiatives/{created['id']}"
    # The creator joined the team, so content edits are allowed; status needs the leader role, which it has.
    response = leader.patch(url, json={"version": 1, "problem": "Stillasittande", "status": "active", "rag": "green"})
    assert response.status_code == 200, response.text
    assert response.json()["version"] == 2
    assert response.json()["rag"] == "green"

    assert leader.patch(url, json={"version": 1, "title": "Gammal"}).status_code == 409
    assert leader.patch(url, json={"title": "Utan version"}).status_code == 422
    assert leader.patch(url, json={"version": 2, "colour": "blue"}).status_code == 422
    assert leader.patch(url, json={"version": 2, "title": None}).status_code == 422

    assert leader.delete(url).status_code == 204
    assert leader.get(url).status_code == 404


def test_read_includes_measures_summary_and_team(make: Any, as_user: Any) -> None:
    initiative = make.initiative()
    measure = make.measure(initiative, baseline=21.0, target=14.0)
    make.measurement(measure, "2024-W06", 18.0)
    make.measurement(measure, "2024-W07", 16.0)
    api = as_user(make.user(Role.VIEWER, initiative.organisation))
    data = api.get(f"/initiatives/{initiative.id}").json()
    summary = data["measures"][0]
    assert summary["id"] == measure.id
    assert summary["baseline"] == 21.0
    assert summary["target"] == 14.0
    assert summary["latest_period"] == "2024-W07"
    assert summary["latest_value"] == 16.0
    assert data["team"] == []


def test_list_filters_and_pagination(make: Any, as_user: Any) -> None:
    program = make.program()
    org = make.organisation(program)
    a = make.initiative(org, program, title="Kontinuitet", rag="amber")
    make.initiative(org, program, title="Fall", status="draft")
    make.initiative(title="Någon annans")
    api = as_user(make.user(Role.LEADER, org))
    page = api.get("/initiatives").json()
    assert page["total"] == 2
    assert page["limit"] == 50
    assert page["offset"] == 0
    assert [i["id"] for i in api.get("/initiatives?rag=amber").json()["items"]] == [a.id]
    assert api.get("/initiatives?status=draft").json()["total"] == 1
    assert api.get(f"/initiatives?q=kontin&program_id={program.id}&organisation_id={org.id}").json()["total"] == 1
    assert api.get("/initiatives?limit=1&offset=1").json()["items"][0]["title"] == "Fall"
    assert api.get("/initiatives?status=nonsense").status_code == 422
    assert api.get("/initiatives?limit=501").status_code == 422
    assert api.get("/initiatives?q=%00").status_code == 200


def test_access_codes(make: Any, as_user: Any) -> None:
    initiative = make.initiative()
    viewer = as_user(make.user(Role.VIEWER, initiative.organisation))
    member = as_user(make.user(Role.MEMBER, initiative))
    stranger = as_user(make.user(Role.LEADER, make.organisation()))
    url = f"/initiatives/{initiative.id}"
    assert viewer.patch(url, json={"version": 1, "title": "X"}).status_code == 403
    assert member.patch(url, json={"version": 1, "rag": "red"}).status_code == 403
    assert member.delete(url).status_code == 403
    assert stranger.get(url).status_code == 404
    assert stranger.patch(url, json={"version": 1, "title": "X"}).status_code == 404
    assert viewer.get("/initiatives/99999999").status_code == 404
    assert viewer.get("/initiatives/99999999999999").status_code == 422
    body = {"organisation_id": initiative.organisation_id, "title": "Nytt"}
    assert member.post("/initiatives", json=body).status_code == 403


def test_personnummer_is_refused_unless_confirmed(make: Any, as_user: Any) -> None:
    initiative = make.initiative()
    member = as_user(make.user(Role.MEMBER, initiative))
    url = f"/initiatives/{initiative.id}"
    response = member.patch(url, json={"version": 1, "problem": "Klient 121212-1212"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "personal_number"
    response = member.patch(url, json={"version": 1, "problem": "Klient 121212-1212", "confirm_personal_data": True})
    assert response.status_code == 200


def test_create_validation(make: Any, as_user: Any) -> None:
    admin = as_user(make.user(admin=True))
    org = make.organisation()
    assert admin.post("/initiatives", json={"organisation_id": org.id, "title": ""}).status_code == 422
    assert admin.post("/initiatives", json={"organisation_id": 10**6, "title": "X"}).status_code == 422
    body = {"organisation_id": org.id, "title": "X", "started_on": "2024-05-01", "ends_on": "2024-01-01"}
    assert admin.post("/initiatives", json=body).status_code == 422
    body = {"organisation_id": org.id, "title": "X", "team": [{"name": "A", "role": "astronaut"}]}
    assert admin.post("/initiatives", json=body).status_code == 422
    assert admin.post("/initiatives", json={"organisation_id": org.id, "title": "A\x00B"}).status_code == 422


def test_openapi_documents_the_endpoints(client: WebClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert "patch" in spec["paths"]["/api/v1/initiatives/{initiative_id}"]
    assert spec["paths"]["/api/v1/initiatives"]["post"]["summary"] == "Create an initiative"
    assert "InitiativeCreate" in spec["components"]["schemas"]
