"""PDSA cycle endpoints of the JSON API (DESIGN §4)."""

from typing import Any

from app.models.enums import Role
from tests.api.test_initiatives_api import ApiClient, as_user  # noqa: F401 (fixture)


def test_cycle_lifecycle(make: Any, as_user: Any) -> None:  # noqa: F811
    initiative = make.initiative()
    measure = make.measure(initiative)
    api: ApiClient = as_user(make.user(Role.MEMBER, initiative))
    body = {"title": "Rörelsepass", "prediction": "8 av 12 deltar", "measure_ids": [measure.id], "new_phase": True}
    response = api.post(f"/initiatives/{initiative.id}/pdsa-cycles", json=body)
    assert response.status_code == 201, response.text
    cycle = response.json()
    assert cycle["measure_ids"] == [measure.id]
    assert cycle["status"] == "planned"

    url = f"/pdsa-cycles/{cycle['id']}"
    assert api.patch(url, json={"version": 1, "act": "adopt"}).status_code == 422  # not studied yet
    response = api.patch(url, json={"version": 1, "status": "running", "do_notes": "Genomfört tre dagar"})
    assert response.status_code == 200
    assert response.json()["started_on"] is not None
    response = api.post(url + "/advance", json={"version": 2})
    assert response.json()["status"] == "studied"
    assert api.post(url + "/advance", json={"version": 3}).status_code == 422  # done needs act
    response = api.post(url + "/advance", json={"version": 3, "act": "adapt"})
    assert response.json()["status"] == "done"
    assert response.json()["act"] == "adapt"
    assert api.patch(url, json={"version": 1, "plan": "x"}).status_code == 409

    page = api.get(f"/initiatives/{initiative.id}/pdsa-cycles").json()
    assert page["total"] == 1
    nxt = {"title": "Steg 2", "previous_cycle_id": cycle["id"]}
    assert api.post(f"/initiatives/{initiative.id}/pdsa-cycles", json=nxt).status_code == 201
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_cycle_access_and_validation(make: Any, as_user: Any) -> None:  # noqa: F811
    initiative = make.initiative()
    member = as_user(make.user(Role.MEMBER, initiative))
    viewer = as_user(make.user(Role.VIEWER, initiative.organisation))
    stranger = as_user(make.user(Role.VIEWER, make.organisation()))
    created = member.post(f"/initiatives/{initiative.id}/pdsa-cycles", json={"title": "A"}).json()
    url = f"/pdsa-cycles/{created['id']}"
    assert viewer.get(url).status_code == 200
    assert viewer.patch(url, json={"version": 1, "plan": "x"}).status_code == 403
    assert viewer.post(f"/initiatives/{initiative.id}/pdsa-cycles", json={"title": "B"}).status_code == 403
    assert stranger.get(url).status_code == 404
    assert stranger.get(f"/initiatives/{initiative.id}/pdsa-cycles").status_code == 404
    foreign = make.measure(make.initiative())
    bad = {"title": "C", "measure_ids": [foreign.id]}
    assert member.post(f"/initiatives/{initiative.id}/pdsa-cycles", json=bad).status_code == 422
    assert member.post(f"/initiatives/{initiative.id}/pdsa-cycles", json={"title": "C", "x": 1}).status_code == 422
    assert member.patch(url, json={"version": 1, "status": None}).status_code == 422
