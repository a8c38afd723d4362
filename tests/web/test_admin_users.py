"""Administration of users and roles: admins only, validation next to fields, audit for every change."""

import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEvent, Membership, User
from app.models.enums import Role
from tests.support.web import WebClient


@pytest.fixture
def admin(client: WebClient, make) -> User:
    user = make.user(Role.ADMIN, email="root@example.se", name="Ada Admin")
    client.login(user.email)
    return user


def _events(db: Session, entity: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.entity == entity).order_by(AuditEvent.id)))


def test_anonymous_is_sent_to_login(client: WebClient) -> None:
    response = client.get("/admin/users")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("role", [None, Role.COORDINATOR, Role.LEADER, Role.MEMBER, Role.VIEWER])
def test_only_admins_may_manage_users(client: WebClient, make, role: Role | None) -> None:
    initiative = make.initiative()
    scope = {
        None: None,
        Role.COORDINATOR: initiative.program,
        Role.LEADER: initiative.organisation,
        Role.VIEWER: initiative.organisation,
        Role.MEMBER: initiative,
    }[role]
    user = make.user(role, scope)
    other = make.user()
    client.login(user.email)
    assert client.get("/admin/users").status_code == 403
    assert client.get(f"/admin/users/{other.id}").status_code == 403
    assert client.get("/admin/users/new").status_code == 403
    denied = client.post_form("/admin/users", {"email": "x@example.se", "name": "X", "password": ""})
    assert denied.status_code == 403
    assert client.post_form(f"/admin/users/{other.id}/roles", {"role": "admin"}).status_code == 403
    assert client.post_form(f"/admin/users/{user.id}/roles", {"role": "admin"}).status_code == 403
    assert 'href="/admin/users"' not in client.get("/").text


def test_list_and_search(client: WebClient, admin: User, make) -> None:
    make.user(name="Karin Kvist", email="karin@falkenberg.se")
    make.user(name="Olle Olsson", email="olle@ange.se")
    page = client.get("/admin/users")
    assert page.status_code == 200
    assert "Karin Kvist" in page.text
    assert "Olle Olsson" in page.text
    found = client.get("/admin/users", params={"q": "ANGE.se"})
    assert "Olle Olsson" in found.text
    assert "Karin Kvist" not in found.text
    partial = client.htmx("GET", "/admin/users", params={"q": "karin"})
    assert "Karin Kvist" in partial.text
    assert "<html" not in partial.text
    assert client.get("/admin/users", params={"q": "x" * 500}).status_code == 422
    assert client.get("/admin/users", params={"offset": "-1"}).status_code == 422


def test_create_user_with_given_password(client: WebClient, admin: User, db: Session, app, settings) -> None:
    response = client.post_form(
        "/admin/users",
        {"name": "Nils Ny", "email": " Nils@Example.se ", "password": "a-long-initial-pass", "language": "en"},
    )
    assert response.status_code == 201
    assert "Nils Ny" in response.text
    assert 'id="generated-password"' not in response.text
    user = db.scalar(select(User).where(User.email == "nils@example.se"))
    assert user is not None
    assert user.language == "en"
    event = _events(db, "user")[-1]
    assert (event.action, event.entity_id, event.actor_id) == ("create", user.id, admin.id)
    assert "password_hash" not in (event.after or {})
    with WebClient(app, settings) as fresh:
        fresh.login("nils@example.se", "a-long-initial-pass")


def test_create_user_with_generated_password_shown_once(client: WebClient, admin: User, app, settings) -> None:
    response = client.post_form("/admin/users", {"name": "Gen Erated", "email": "gen@example.se", "password": ""})
    assert response.status_code == 201
    match = re.search(r'id="generated-password">([^<]+)<', response.text)
    assert match, "the generated password is shown"
    password = match.group(1)
    assert len(password) >= 12
    with WebClient(app, settings) as fresh:
        fresh.login("gen@example.se", password)
    user_page = client.get(f"/admin/users/{fresh_user_id(client, 'gen@example.se')}")
    assert password not in user_page.text, "never shown again"


def fresh_user_id(client: WebClient, email: str) -> int:
    listing = client.get("/admin/users", params={"q": email}).text
    match = re.search(r'href="/admin/users/(\d+)"', listing)
    assert match
    return int(match.group(1))


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"name": "", "email": "a@example.se", "password": ""}, "name"),
        ({"name": "N" * 201, "email": "a@example.se", "password": ""}, "name"),
        ({"name": "Anna", "email": "not-an-email", "password": ""}, "email"),
        ({"name": "Anna", "email": "a" * 250 + "@x.se", "password": ""}, "email"),
        ({"name": "Anna", "email": "a@example.se", "password": "short"}, "password"),
        ({"name": "Anna", "email": "a@example.se", "password": "", "language": "de"}, "language"),
        ({"name": "Anna", "email": "root@example.se", "password": ""}, "email"),
    ],
)
def test_create_user_errors_next_to_fields_and_input_kept(
    client: WebClient, admin: User, form: dict[str, str], field: str
) -> None:
    response = client.post_form("/admin/users", form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    if form["name"] and len(form["name"]) < 50:
        assert f'value="{form["name"]}"' in response.text


def test_edit_name_language_and_deactivate(client: WebClient, admin: User, make, db: Session, app, settings) -> None:
    person = make.user(name="Old Name", email="edit@example.se")
    with WebClient(app, settings) as their_browser:
        their_browser.login("edit@example.se")
        version = person.version
        form = {"name": "New Name", "language": "en", "is_active": "", "version": str(person.version)}
        response = client.post_form(f"/admin/users/{person.id}", form)
        assert response.status_code == 303
        db.refresh(person)
        assert (person.name, person.language, person.is_active) == ("New Name", "en", False)
        assert their_browser.get("/").status_code == 303, "deactivation logs the user out"
    event = _events(db, "user")[-1]
    assert event.action == "update"
    assert event.before == {
        "id": person.id,
        "name": "Old Name",
        "language": "sv",
        "is_active": True,
        "version": version,
    }
    assert event.after is not None
    assert event.after["is_active"] is False


def test_edit_with_stale_version_is_a_conflict(client: WebClient, admin: User, make, db: Session) -> None:
    person = make.user()
    db.commit()  # a refused request rolls back to here
    form = {"name": "X Y", "language": "sv", "is_active": "1", "version": "999"}
    assert client.post_form(f"/admin/users/{person.id}", form).status_code == 409
    assert client.post_form(f"/admin/users/{person.id}", {**form, "version": "abc"}).status_code == 409


def test_edit_errors_keep_input(client: WebClient, admin: User, make) -> None:
    person = make.user()
    form = {"name": " ", "language": "sv", "is_active": "1", "version": str(person.version)}
    response = client.post_form(f"/admin/users/{person.id}", form)
    assert response.status_code == 422
    assert 'id="name-error"' in response.text


def test_admin_cannot_deactivate_themselves(client: WebClient, admin: User) -> None:
    form = {"name": admin.name, "language": "sv", "is_active": "", "version": str(admin.version)}
    response = client.post_form(f"/admin/users/{admin.id}", form)
    assert response.status_code == 422
    assert 'id="is_active-error"' in response.text


def test_unknown_user_is_404(client: WebClient, admin: User) -> None:
    assert client.get("/admin/users/999999").status_code == 404
    assert client.get("/admin/users/abc").status_code == 422
    assert client.post_form("/admin/users/999999/roles", {"role": "admin"}).status_code == 404


def test_grant_every_role_and_revoke(client: WebClient, admin: User, make, db: Session) -> None:
    initiative = make.initiative(title="Snabbare beslut")
    person = make.user()
    grants = [
        ("admin", ""),
        ("coordinator", f"program:{initiative.program_id}"),
        ("leader", f"organisation:{initiative.organisation_id}"),
        ("viewer", f"organisation:{initiative.organisation_id}"),
        ("member", f"initiative:{initiative.id}"),
    ]
    for role, scope in grants:
        response = client.post_form(f"/admin/users/{person.id}/roles", {"role": role, "scope": scope})
        assert response.status_code == 303, (role, response.text[:300])
    db.refresh(person)
    assert sorted(m.role for m in person.memberships) == sorted(r for r, _ in grants)
    client.post_form("/language", {"language": "en"})
    page = client.get(f"/admin/users/{person.id}")
    assert "Snabbare beslut" in page.text
    assert "Programme coordinator" in page.text
    assert [e.action for e in _events(db, "membership")] == ["grant"] * 5
    member = next(m for m in person.memberships if m.role == "member")
    response = client.post_form(f"/admin/users/{person.id}/roles/{member.id}/delete")
    assert response.status_code == 303
    assert db.get(Membership, member.id) is None
    revoke = _events(db, "membership")[-1]
    assert (revoke.action, revoke.initiative_id) == ("revoke", initiative.id)
    assert revoke.before is not None
    assert revoke.before["role"] == "member"


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        ("", "", "role"),
        ("superuser", "", "role"),
        ("coordinator", "", "scope"),
        ("coordinator", "organisation:{org}", "scope"),
        ("leader", "organisation:99999999", "scope"),
        ("viewer", "program:{program}", "scope"),
        ("member", "initiative:abc", "scope"),
        ("member", "initiative:{deleted}", "scope"),
        ("leader", "organisation:" + "9" * 40, "scope"),
    ],
)
def test_grant_errors_next_to_fields(
    client: WebClient, admin: User, make, db: Session, role: str, scope: str, field: str
) -> None:
    from app.models.base import utcnow

    initiative = make.initiative()
    deleted = make.initiative()
    deleted.deleted_at = utcnow()
    db.flush()
    person = make.user()
    scope = scope.format(org=initiative.organisation_id, program=initiative.program_id, deleted=deleted.id)
    response = client.post_form(f"/admin/users/{person.id}/roles", {"role": role, "scope": scope})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    if role in {r.value for r in Role}:
        assert f'value="{role}" selected' in response.text, "the chosen role is kept"


def test_duplicate_role_is_refused(client: WebClient, admin: User, make) -> None:
    initiative = make.initiative()
    person = make.user(Role.MEMBER, initiative)
    response = client.post_form(
        f"/admin/users/{person.id}/roles", {"role": "member", "scope": f"initiative:{initiative.id}"}
    )
    assert response.status_code == 422
    assert 'id="role-error"' in response.text


def test_last_admin_keeps_the_role(client: WebClient, admin: User, db: Session) -> None:
    others = db.scalars(select(Membership).where(Membership.role == "admin", Membership.user_id != admin.id)).all()
    for m in others:  # other admins from other tests' data in this transaction, if any
        db.delete(m)
    db.flush()
    membership = next(m for m in admin.memberships if m.role == "admin")
    response = client.post_form(f"/admin/users/{admin.id}/roles/{membership.id}/delete")
    assert response.status_code == 422
    assert db.get(Membership, membership.id) is not None


def test_revoking_an_unknown_role_is_404(client: WebClient, admin: User, make) -> None:
    person = make.user()
    assert client.post_form(f"/admin/users/{person.id}/roles/123456/delete").status_code == 404
