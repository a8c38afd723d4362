"""Programmes and organisations API: visibility, who may create and change, versions, bad input."""

from typing import Any

from app.models.enums import Role
from tests.support.web import WebClient


def _send(client: WebClient, method: str, url: str, body: dict[str, Any]):  # type: ignore[no-untyped-def]
    return client.request(method, url, json=body, headers={"X-CSRF-Token": client.csrf()})


def test_admin_creates_reads_and_patches_program(client: WebClient, make) -> None:
    admin = make.user(admin=True)
    client.login(admin.email)
    created = _send(client, "POST", "/api/v1/programs", {"name": "Leda för Resultat V", "starts_on": "2025-01-01"})
    assert created.status_code == 201, created.text
    program = created.json()
    assert (program["name"], program["version"]) == ("Leda för Resultat V", 1)
    url = f"/api/v1/programs/{program['id']}"
    assert client.get(url).json()["name"] == "Leda för Resultat V"
    patched = _send(client, "PATCH", url, {"version": 1, "description": "Femte omgången"})
    assert patched.status_code == 200, patched.text
    assert (patched.json()["description"], patched.json()["version"]) == ("Femte omgången", 2)
    stale = _send(client, "PATCH", url, {"version": 1, "name": "Något annat"})
    assert stale.status_code == 409
    assert client.get(url).json()["name"] == "Leda för Resultat V"
    duplicate = _send(client, "POST", "/api/v1/programs", {"name": "leda för resultat v"})
    assert duplicate.status_code == 409


def test_program_bad_input_is_422(client: WebClient, make) -> None:
    admin = make.user(admin=True)
    program = make.program()
    client.login(admin.email)
    for body in (
        {"name": ""},
        {"name": "   "},
        {"name": "x" * 201},
        {"name": "A", "starts_on": "2025-02-01", "ends_on": "2025-01-01"},
        {"name": "A", "extra": True},
        {"name": "A", "starts_on": "yesterday"},
    ):
        assert _send(client, "POST", "/api/v1/programs", body).status_code == 422, body
    url = f"/api/v1/programs/{program.id}"
    assert _send(client, "PATCH", url, {"name": "B"}).status_code == 422  # no version
    assert _send(client, "PATCH", url, {"version": 1, "name": None}).status_code == 422
    assert _send(client, "PATCH", url, {"version": 1, "ends_on": "2023-01-01"}).status_code == 422
    assert client.get("/api/v1/programs/0").status_code == 422
    assert client.get("/api/v1/programs/2000000000").status_code == 404
    assert client.get("/api/v1/programs?limit=501").status_code == 422


def test_program_visibility_and_permissions(client: WebClient, make) -> None:
    visible = make.initiative()
    hidden = make.initiative()
    viewer = make.user(Role.VIEWER, visible.organisation)
    coordinator = make.user(Role.COORDINATOR, visible.program)
    client.login(viewer.email)
    listed = client.get("/api/v1/programs").json()
    assert [p["id"] for p in listed["items"]] == [visible.program_id]
    assert client.get(f"/api/v1/programs/{hidden.program_id}").status_code == 404
    assert _send(client, "POST", "/api/v1/programs", {"name": "Nytt"}).status_code == 403
    url = f"/api/v1/programs/{visible.program_id}"
    assert _send(client, "PATCH", url, {"version": 1, "description": "x"}).status_code == 403
    client.login(coordinator.email)
    assert _send(client, "PATCH", url, {"version": 1, "description": "Samordnat"}).status_code == 200
    assert _send(client, "POST", "/api/v1/programs", {"name": "Nytt"}).status_code == 403


def test_organisations_list_and_create(client: WebClient, make) -> None:
    program = make.program()
    other_program = make.program()
    org = make.organisation(program, name="Ånge kommun, Socialtjänsten")
    make.organisation(other_program, name="Annan kommun")
    coordinator = make.user(Role.COORDINATOR, program)
    client.login(coordinator.email)
    listed = client.get("/api/v1/organisations").json()
    assert [o["name"] for o in listed["items"]] == [org.name]
    assert listed["items"][0]["program_ids"] == [program.id]
    body = {"name": "Kramfors kommun, Individ- och familjeomsorgen", "municipality": "Kramfors"}
    assert _send(client, "POST", "/api/v1/organisations", body).status_code == 422  # must attach to programme
    assert _send(client, "POST", "/api/v1/organisations", {**body, "program_id": other_program.id}).status_code == 404
    created = _send(client, "POST", "/api/v1/organisations", {**body, "program_id": program.id})
    assert created.status_code == 201, created.text
    assert created.json()["program_ids"] == [program.id]
    assert _send(client, "POST", "/api/v1/organisations", {**body, "program_id": program.id}).status_code == 409
    by_program = client.get(f"/api/v1/organisations?program_id={program.id}").json()
    assert by_program["total"] == 2
    member = make.user(Role.MEMBER, make.initiative(org, program))
    client.login(member.email)
    assert _send(client, "POST", "/api/v1/organisations", {"name": "X", "program_id": program.id}).status_code == 403


def test_admin_creates_organisation_without_programme(client: WebClient, make) -> None:
    admin = make.user(admin=True)
    client.login(admin.email)
    created = _send(client, "POST", "/api/v1/organisations", {"name": "Östersunds kommun", "kind": "socialforvaltning"})
    assert created.status_code == 201
    assert created.json()["program_ids"] == []


def test_nul_characters_are_422_not_a_database_error(client: WebClient, make) -> None:
    admin = make.user(admin=True)
    initiative = make.initiative()
    client.login(admin.email)
    assert _send(client, "POST", "/api/v1/programs", {"name": "Leda\u0000"}).status_code == 422
    assert _send(client, "POST", "/api/v1/organisations", {"name": "Kommun", "kind": "\u0000"}).status_code == 422
    review = {"review_date": "2024-03-01", "rag": "red", "assessment": "Bra\u0000"}
    assert _send(client, "POST", f"/api/v1/initiatives/{initiative.id}/reviews", review).status_code == 422
    page = client.get(f"/programs/{initiative.program_id}/lessons", params={"q": "a\u0000b"})
    assert page.status_code == 200
