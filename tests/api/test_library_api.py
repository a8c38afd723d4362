"""Programme structure API: library measures, versions, adoption, comparison, workshops and stages."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.models.enums import Role
from tests.support.web import WebClient

BODY = {
    "name": "Andel utredningar klara inom fyra månader",
    "kind": "outcome",
    "data_type": "proportion",
    "unit": "%",
    "definition": "Täljare: utredningar klara inom fyra månader. Nämnare: alla avslutade utredningar.",
    "direction": "increase",
    "frequency": "month",
    "chart": "p",
}


def _auth(db: Session, user: Any) -> dict[str, str]:
    _row, token = create_api_token(db, user, "test")
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def setup(db: Session, make: Any) -> dict[str, Any]:
    program = make.program()
    initiative = make.initiative(program=program)
    data = {
        "program": program,
        "initiative": initiative,
        "coordinator": _auth(db, make.user(Role.COORDINATOR, program)),
        "member": _auth(db, make.user(Role.MEMBER, initiative)),
        "stranger": _auth(db, make.user(Role.COORDINATOR, make.program())),
    }
    db.commit()  # a savepoint: a request that fails and rolls back keeps the test's data
    return data


def test_create_list_read_and_version(client: WebClient, setup: dict[str, Any]) -> None:
    pid = setup["program"].id
    created = client.post(f"/api/v1/programs/{pid}/library-measures", json=BODY, headers=setup["coordinator"])
    assert created.status_code == 201, created.text
    item = created.json()
    assert (item["current_version"], item["version"], item["current"]["name"]) == (1, 1, BODY["name"])
    listed = client.get(f"/api/v1/programs/{pid}/library-measures", headers=setup["member"]).json()
    assert listed["total"] == 1
    assert listed["items"][0]["adoptions"] == 0
    assert {"items", "total", "limit", "offset"} <= set(listed)

    url = f"/api/v1/library-measures/{item['id']}"
    patched = client.patch(
        url,
        json={"version": 1, "definition": BODY["definition"] + " Förtydligat.", "change_note": "Tydligare."},
        headers=setup["coordinator"],
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["current_version"] == 2
    assert [v["number"] for v in body["versions"]] == [1, 2]
    assert body["versions"][0]["definition"] == BODY["definition"]
    stale = client.patch(url, json={"version": 1, "unit": "st", "change_note": "x"}, headers=setup["coordinator"])
    assert stale.status_code == 409
    assert client.get(url, headers=setup["member"]).json()["current_version"] == 2


def test_errors(client: WebClient, setup: dict[str, Any]) -> None:
    pid = setup["program"].id
    url = f"/api/v1/programs/{pid}/library-measures"
    assert client.post(url, json=BODY, headers=setup["member"]).status_code == 403
    assert client.post(url, json=BODY, headers=setup["stranger"]).status_code == 404
    assert client.get(url, headers=setup["stranger"]).status_code == 404
    assert client.get(url).status_code == 401
    assert client.post(url, json={**BODY, "extra": 1}, headers=setup["coordinator"]).status_code == 422
    assert client.post(url, json={**BODY, "data_type": "ratio"}, headers=setup["coordinator"]).status_code == 422
    assert client.post(url, json={**BODY, "rate_multiplier": 0}, headers=setup["coordinator"]).status_code == 422
    assert client.get("/api/v1/library-measures/999999", headers=setup["coordinator"]).status_code == 404
    assert client.get("/api/v1/library-measures/99999999999", headers=setup["coordinator"]).status_code == 422
    item = client.post(url, json=BODY, headers=setup["coordinator"]).json()
    bad_patch = client.patch(
        f"/api/v1/library-measures/{item['id']}",
        json={"version": 1, "frequency": "week", "change_note": "Byt"},
        headers=setup["coordinator"],
    )
    assert bad_patch.status_code == 422
    assert bad_patch.json()["detail"][0]["loc"] == ["frequency"]
    null_name = client.patch(
        f"/api/v1/library-measures/{item['id']}", json={"version": 1, "name": None}, headers=setup["coordinator"]
    )
    assert null_name.status_code == 422


def test_adopt_and_compare(client: WebClient, setup: dict[str, Any], make: Any) -> None:
    pid = setup["program"].id
    item = client.post(f"/api/v1/programs/{pid}/library-measures", json=BODY, headers=setup["coordinator"]).json()
    iid = setup["initiative"].id
    adopt_url = f"/api/v1/initiatives/{iid}/measures/adopt"
    adopted = client.post(adopt_url, json={"library_measure_id": item["id"]}, headers=setup["member"])
    assert adopted.status_code == 201, adopted.text
    measure = adopted.json()
    assert (measure["library_measure_id"], measure["library_version"], measure["latest_library_version"]) == (
        item["id"],
        1,
        1,
    )
    assert measure["definition"] == BODY["definition"]
    again = client.post(adopt_url, json={"library_measure_id": item["id"]}, headers=setup["member"])
    assert again.status_code == 409
    assert (
        client.post(adopt_url, json={"library_measure_id": item["id"]}, headers=setup["coordinator"]).status_code == 403
    )
    assert client.post(adopt_url, json={"library_measure_id": 0}, headers=setup["member"]).status_code == 422
    assert client.post(adopt_url, json={}, headers=setup["member"]).status_code == 422

    for period, numerator in (("2024-04", 8), ("2024-05", 9)):
        response = client.post(
            f"/api/v1/measures/{measure['id']}/measurements",
            json={"period": period, "numerator": numerator, "denominator": 10},
            headers=setup["member"],
        )
        assert response.status_code == 201, response.text
    comparison = client.get(f"/api/v1/library-measures/{item['id']}/comparison", headers=setup["coordinator"])
    assert comparison.status_code == 200, comparison.text
    data = comparison.json()
    assert (data["chart"], data["last_period"], data["periods"]) == ("p", "2024-05", 3)
    assert data["centre"] == pytest.approx(85.0)
    row = data["organisations"][0]
    assert (row["numerator"], row["denominator"], row["band"]) == (17, 20, "inside")
    assert row["upper998"] is not None
    assert (
        client.get(
            f"/api/v1/library-measures/{item['id']}/comparison?periods=0", headers=setup["coordinator"]
        ).status_code
        == 422
    )
    assert client.get(f"/api/v1/library-measures/{item['id']}/comparison", headers=setup["stranger"]).status_code == 404


def test_workshops_and_stage(client: WebClient, setup: dict[str, Any]) -> None:
    pid = setup["program"].id
    url = f"/api/v1/programs/{pid}/workshops"
    body = {
        "title": "Workshop 1: utmaning, mål och frågeställningar",
        "held_on": "2027-04-19",
        "stage": "challenge_and_aim",
    }
    created = client.post(url, json=body, headers=setup["coordinator"])
    assert created.status_code == 201, created.text
    assert created.json()["kind"] == "workshop"
    assert client.post(url, json=body, headers=setup["member"]).status_code == 403
    assert client.post(url, json={**body, "held_on": "igår"}, headers=setup["coordinator"]).status_code == 422
    assert client.post(url, json={**body, "held_on": "1990-01-01"}, headers=setup["coordinator"]).status_code == 422
    listed = client.get(url, headers=setup["member"]).json()
    assert listed["total"] == 1
    assert listed["items"][0]["stage"] == "challenge_and_aim"

    initiative = setup["initiative"]
    stage_url = f"/api/v1/initiatives/{initiative.id}/stage"
    moved = client.put(stage_url, json={"stage": "analysis", "version": initiative.version}, headers=setup["member"])
    assert moved.status_code == 200, moved.text
    assert (moved.json()["stage"], moved.json()["stage_number"]) == ("analysis", 3)
    assert client.put(stage_url, json={"stage": "testing", "version": 1}, headers=setup["member"]).status_code == 409
    assert (
        client.put(
            stage_url, json={"stage": "dreaming", "version": initiative.version}, headers=setup["member"]
        ).status_code
        == 422
    )
    assert (
        client.put(
            stage_url, json={"stage": "testing", "version": initiative.version}, headers=setup["coordinator"]
        ).status_code
        == 403
    )
