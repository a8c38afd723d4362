"""GET/POST /api/v1/initiatives/{id}/reviews."""

from app.models.enums import Role
from tests.support.web import WebClient

BODY = {
    "review_date": "2024-03-01",
    "rag": "amber",
    "assessment": "Ledtiden minskar men målet är inte nått.",
    "decision": "Fortsätt testa nya rutiner.",
    "next_review_on": "2024-04-05",
}


def _post(client: WebClient, initiative_id: int, body: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        f"/api/v1/initiatives/{initiative_id}/reviews", json=body or BODY, headers={"X-CSRF-Token": client.csrf()}
    )


def test_leader_creates_and_lists(client: WebClient, make) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, initiative.organisation)
    client.login(leader.email)
    response = _post(client, initiative.id, {**BODY, "status": "sustaining"})
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["rag"] == "amber"
    assert created["reviewer_name"] == leader.name
    listed = client.get(f"/api/v1/initiatives/{initiative.id}/reviews").json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == created["id"]
    assert (listed["limit"], listed["offset"]) == (50, 0)
    assert initiative.rag == "amber"
    assert initiative.status == "sustaining"


def test_member_and_viewer_get_403_other_org_404(client: WebClient, make) -> None:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    viewer = make.user(Role.VIEWER, initiative.organisation)
    stranger = make.user(Role.LEADER, make.organisation())
    for user, status in ((member, 403), (viewer, 403), (stranger, 404)):
        client.login(user.email)
        assert _post(client, initiative.id).status_code == status
        listed = client.get(f"/api/v1/initiatives/{initiative.id}/reviews")
        assert listed.status_code == (404 if status == 404 else 200)


def test_bad_input_is_422_never_500(client: WebClient, make) -> None:
    initiative = make.initiative()
    admin = make.user(admin=True)
    client.login(admin.email)
    for body in (
        {**BODY, "rag": "blue"},
        {**BODY, "review_date": "2024-13-45"},
        {**BODY, "next_review_on": "2024-01-01"},
        {**BODY, "unknown": 1},
        {"rag": "red"},
        {**BODY, "assessment": "x" * 10_001},
    ):
        response = _post(client, initiative.id, body)
        assert response.status_code == 422, (body, response.text)
        assert isinstance(response.json()["detail"], list)
    assert client.get("/api/v1/initiatives/99999999999/reviews").status_code == 422
    assert _post(client, 2_000_000_000).status_code == 404


def test_requires_authentication(client: WebClient, make) -> None:
    initiative = make.initiative()
    assert client.get(f"/api/v1/initiatives/{initiative.id}/reviews").status_code == 401
