"""Audit trail pages: who may see which trail, filters, and a readable before/after diff."""

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from app.models import AuditEvent
from app.models.base import utcnow
from app.models.enums import Role
from app.services import audit
from tests.support.web import WebClient


@pytest.fixture
def world(make, db: Session):  # type: ignore[no-untyped-def]
    initiative = make.initiative(title="Färre akuta placeringar")
    other = make.initiative(title="Annat arbete")
    editor = make.user(Role.MEMBER, initiative, name="Eva Editor")
    db.add(
        AuditEvent(
            actor_id=editor.id,
            action="update",
            entity="measure",
            entity_id=41,
            initiative_id=initiative.id,
            before={"id": 41, "name": "Placeringar", "target": 10.0, "version": 1},
            after={"id": 41, "name": "Akuta placeringar", "target": 8.5, "version": 2},
        )
    )
    db.add(
        AuditEvent(
            actor_id=editor.id,
            action="create",
            entity="lesson",
            entity_id=7,
            initiative_id=other.id,
            after={"id": 7, "text": "Ring dagen före"},
        )
    )
    db.flush()
    db.commit()
    return initiative, other, editor


def test_changes_lists_only_what_differs() -> None:
    event = AuditEvent(
        action="update",
        entity="measure",
        before={"id": 1, "name": "A", "unit": "st", "version": 1},
        after={"id": 1, "name": "B", "unit": "st", "version": 2},
    )
    assert [(c.field, c.before, c.after) for c in audit.changes(event)] == [("name", "A", "B")]
    created = AuditEvent(action="create", entity="lesson", after={"id": 3, "text": "x", "tags": ["a"]})
    assert [c.field for c in audit.changes(created)] == ["text", "tags"]
    deleted = AuditEvent(action="delete", entity="lesson", before={"id": 3, "text": "x"})
    assert [(c.field, c.before, c.after) for c in audit.changes(deleted)] == [("text", "x", None)]


@pytest.mark.parametrize(("role", "status"), [(Role.ADMIN, 200), (Role.LEADER, 200)])
def test_admins_and_leaders_see_the_initiative_trail(client: WebClient, make, world, role: Role, status: int) -> None:
    initiative, _other, _editor = world
    user = make.user(role, initiative.organisation if role == Role.LEADER else None)
    client.login(user.email)
    response = client.get(f"/initiatives/{initiative.id}/audit", headers={"Accept-Language": "en"})
    assert response.status_code == status
    assert "Eva Editor" in response.text
    assert "Placeringar" in response.text
    assert "Akuta placeringar" in response.text
    assert "Ring dagen före" not in response.text, "another initiative's events are not shown"


def test_readers_without_audit_right_get_403_others_404(client: WebClient, make, world) -> None:
    initiative, other, _editor = world
    cases = [
        (make.user(Role.MEMBER, initiative), 403),
        (make.user(Role.VIEWER, initiative.organisation), 403),
        (make.user(Role.COORDINATOR, initiative.program), 403),
        (make.user(Role.LEADER, other.organisation), 404),
        (make.user(), 404),
    ]
    for user, status in cases:
        client.login(user.email)
        assert client.get(f"/initiatives/{initiative.id}/audit").status_code == status, user.memberships
    assert client.get("/initiatives/99999999/audit").status_code == 404


def test_admin_trail_filters(client: WebClient, make, world, db: Session) -> None:
    _initiative, _other, editor = world
    admin = make.user(Role.ADMIN)
    client.login(admin.email)
    everything = client.get("/admin/audit")
    assert everything.status_code == 200
    assert "Akuta placeringar" in everything.text
    assert "Ring dagen före" in everything.text
    only_lessons = client.get("/admin/audit", params={"entity": "lesson"})
    assert "Ring dagen före" in only_lessons.text
    assert "Akuta placeringar" not in only_lessons.text
    by_admin = client.get("/admin/audit", params={"actor_id": str(admin.id)})
    assert "Akuta placeringar" not in by_admin.text
    by_editor = client.get("/admin/audit", params={"actor_id": str(editor.id)})
    assert "Akuta placeringar" in by_editor.text
    today = utcnow().date()
    future = client.get("/admin/audit", params={"date_from": str(today + timedelta(days=2))})
    assert "Akuta placeringar" not in future.text
    window = {"date_from": str(today - timedelta(days=1)), "date_to": str(today + timedelta(days=1))}
    assert "Akuta placeringar" in client.get("/admin/audit", params=window).text
    bad = client.get("/admin/audit", params={"date_from": "31/12/2024", "actor_id": "x", "entity_id": "-1"})
    assert bad.status_code == 422
    assert 'id="date_from-error"' in bad.text
    assert 'value="31/12/2024"' in bad.text


def test_only_admins_see_the_whole_trail(client: WebClient, make, world) -> None:
    initiative, _other, _editor = world
    leader = make.user(Role.LEADER, initiative.organisation)
    client.login(leader.email)
    assert client.get("/admin/audit").status_code == 403


def test_admin_changes_appear_in_the_trail(client: WebClient, make, db: Session) -> None:
    admin = make.user(Role.ADMIN, name="Ada Admin")
    person = make.user(name="Per Person")
    client.login(admin.email)
    form = {"name": "Per Persson", "language": "sv", "is_active": "1", "version": str(person.version)}
    client.post_form(f"/admin/users/{person.id}", form)
    page = client.get("/admin/audit", params={"entity": "user", "entity_id": str(person.id)})
    assert "Per Person" in page.text
    assert "Per Persson" in page.text
    assert "Ada Admin" in page.text
