"""Initiative pages: the page itself, create and edit forms, conflicts, team editing, access."""

from typing import Any

from sqlalchemy.orm import Session

from app.models import Initiative
from app.models.enums import Role
from tests.support.web import WebClient


def login(client: WebClient, db: Session, user: Any) -> None:
    db.commit()  # the test data outlives a request that fails and rolls back
    client.login(user.email)


def test_member_sees_the_initiative_page(client: WebClient, db: Session, make: Any) -> None:
    initiative = make.initiative(
        title="Fler boende rör sig", problem="Många sitter still.", aim="75 % nöjda inom ett år."
    )
    outcome = make.measure(initiative, name="Andel nöjda", kind="outcome", baseline=58, target=75)
    make.measure(initiative, name="Fall per 1000 dygn", kind="balancing")
    for week, value in enumerate([60, 62, 59, 65, 70, 72], start=1):
        make.measurement(outcome, f"2024-W{week:02d}", value)
    member = make.user(Role.MEMBER, initiative)
    login(client, db, member)
    response = client.get(f"/initiatives/{initiative.id}")
    assert response.status_code == 200
    html = response.text
    assert "Fler boende rör sig" in html
    assert "Många sitter still." in html
    assert html.index("Andel nöjda") < html.index("Fall per 1000 dygn")  # outcome before balancing
    assert "<svg" in html
    assert f'href="/initiatives/{initiative.id}/edit"' in html
    assert f"/initiatives/{initiative.id}/reviews/new" not in html  # members do not review
    assert 'id="lessons"' in html


def test_viewer_sees_no_edit_actions_and_gets_403_on_edit(client: WebClient, db: Session, make: Any) -> None:
    initiative = make.initiative()
    viewer = make.user(Role.VIEWER, initiative.organisation)
    login(client, db, viewer)
    page = client.get(f"/initiatives/{initiative.id}").text
    assert f'href="/initiatives/{initiative.id}/edit"' not in page
    assert client.get(f"/initiatives/{initiative.id}/edit").status_code == 403
    response = client.post_form(f"/initiatives/{initiative.id}/edit", {"version": "1", "title": "Hack"})
    assert response.status_code == 403
    assert client.get("/initiatives/new").status_code == 403


def test_other_organisations_initiative_is_404(client: WebClient, db: Session, make: Any) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, make.organisation())
    login(client, db, leader)
    assert client.get(f"/initiatives/{initiative.id}").status_code == 404
    assert client.get(f"/initiatives/{initiative.id}/edit").status_code == 404
    assert client.get(f"/initiatives/{initiative.id}/pdsa").status_code == 404
    assert client.get("/initiatives/999999").status_code == 404
    assert client.get("/initiatives/99999999999999999").status_code in (404, 422)


def test_leader_creates_an_initiative(client: WebClient, db: Session, make: Any) -> None:
    program = make.program()
    org = make.organisation(program)
    leader = make.user(Role.LEADER, org)
    login(client, db, leader)
    assert "/initiatives/new" in client.get("/").text
    form = client.get("/initiatives/new")
    assert form.status_code == 200
    response = client.post_form(
        "/initiatives/new",
        {"organisation_id": str(org.id), "program_id": str(program.id), "title": "Kortare väntan", "aim": "Mål"},
    )
    assert response.status_code == 303
    page = client.get(response.headers["location"])
    assert "Kortare väntan" in page.text


def test_create_form_errors_keep_the_input(client: WebClient, db: Session, make: Any) -> None:
    org = make.organisation()
    admin = make.user(admin=True)
    login(client, db, admin)
    response = client.post_form(
        "/initiatives/new",
        {"organisation_id": str(org.id), "title": "", "problem": "Mitt problem", "started_on": "igår"},
    )
    assert response.status_code == 422
    assert "Mitt problem" in response.text
    assert 'id="title-error"' in response.text
    assert 'id="started_on-error"' in response.text
    assert 'title-hint title-error" aria-invalid="true"' in response.text


def test_personnummer_warning_then_confirm(client: WebClient, db: Session, make: Any) -> None:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    login(client, db, member)
    data = {"version": "1", "title": initiative.title, "problem": "Gäller 121212-1212"}
    response = client.post_form(f"/initiatives/{initiative.id}/edit", data)
    assert response.status_code == 422
    assert 'name="confirm_personal_data"' in response.text
    assert "Gäller 121212-1212" in response.text
    response = client.post_form(f"/initiatives/{initiative.id}/edit", {**data, "confirm_personal_data": "true"})
    assert response.status_code == 303


def test_edit_conflict_shows_both_versions_and_can_overwrite(client: WebClient, db: Session, make: Any) -> None:
    initiative = make.initiative(title="Original", aim="Deras mål")
    member = make.user(Role.MEMBER, initiative)
    login(client, db, member)
    # Someone else saves first.
    initiative.aim = "Ändrat av någon annan"
    db.commit()
    response = client.post_form(
        f"/initiatives/{initiative.id}/edit", {"version": "1", "title": "Original", "aim": "Mitt mål"}
    )
    assert response.status_code == 409
    html = response.text
    assert "Ändrat av någon annan" in html
    assert "Mitt mål" in html
    assert 'name="version" value="2"' in html
    response = client.post_form(
        f"/initiatives/{initiative.id}/edit", {"version": "2", "title": "Original", "aim": "Mitt mål"}
    )
    assert response.status_code == 303
    db.refresh(initiative)
    assert initiative.aim == "Mitt mål"


def test_leader_changes_status_member_form_has_no_status(client: WebClient, db: Session, make: Any) -> None:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    leader = make.user(Role.LEADER, initiative.organisation)
    login(client, db, member)
    assert 'name="status"' not in client.get(f"/initiatives/{initiative.id}/edit").text
    client.post_form("/logout")
    client.login(leader.email)
    form = client.get(f"/initiatives/{initiative.id}/edit").text
    assert 'name="status"' in form
    assert 'name="title"' not in form
    response = client.post_form(
        f"/initiatives/{initiative.id}/edit", {"version": "1", "status": "completed", "rag": "green"}
    )
    assert response.status_code == 303
    db.refresh(initiative)
    assert (initiative.status, initiative.rag) == ("completed", "green")


def test_team_editing_with_htmx(client: WebClient, db: Session, make: Any) -> None:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    login(client, db, member)
    url = f"/initiatives/{initiative.id}/team"
    response = client.htmx("POST", url, data={"name": "Anna Ek", "role": "enhetschef"})
    assert response.status_code == 200
    assert 'id="team"' in response.text
    assert "Anna Ek" in response.text
    assert "<html" not in response.text
    client.htmx("POST", url, data={"name": "Bo Al", "role": "mas"})
    response = client.htmx("POST", url, data={"name": "", "role": "astronaut"})
    assert response.status_code == 422
    assert 'id="team-name-error"' in response.text
    assert 'id="team-role-error"' in response.text
    db.refresh(initiative)
    bo = initiative.team[1]
    response = client.htmx("POST", f"{url}/{bo.id}/move", data={"direction": "up"})
    assert response.text.index("Bo Al") < response.text.index("Anna Ek")
    response = client.post_form(f"{url}/{bo.id}/delete")  # without HTMX: back to the edit page
    assert response.status_code == 303
    assert response.headers["location"].endswith("/edit#team")
    db.refresh(initiative)
    assert [m.name for m in initiative.team] == ["Anna Ek"]


def test_home_empty_state_and_create_button(client: WebClient, db: Session, make: Any) -> None:
    nobody = make.user()
    login(client, db, nobody)
    html = client.get("/").text
    assert "/initiatives/new" not in html
    assert 'class="card empty-state"' in html


def test_leader_deletes_an_initiative(client: WebClient, db: Session, make: Any) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, initiative.organisation)
    login(client, db, leader)
    assert client.post_form(f"/initiatives/{initiative.id}/delete").status_code == 303
    assert client.get(f"/initiatives/{initiative.id}").status_code == 404
    assert db.get(Initiative, initiative.id).deleted_at is not None  # type: ignore[union-attr]
