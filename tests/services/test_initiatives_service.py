from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import AuditEvent, Initiative
from app.models.enums import Role
from app.schemas.initiatives import InitiativeCreate, InitiativeUpdate, TeamMemberIn
from app.services import initiatives as service
from app.services.errors import Conflict, Forbidden, InvalidInput, NotFound


def principal(user: Any) -> Principal:
    return Principal.of(user)


def create_data(org: Any, program: Any, **kw: Any) -> InitiativeCreate:
    return InitiativeCreate(organisation_id=org.id, program_id=program.id, title="Snabbare beslut", **kw)


def test_leader_creates_initiative_and_joins_its_team(db: Session, make: Any) -> None:
    program = make.program()
    org = make.organisation(program)
    leader = make.user(Role.LEADER, org)
    data = create_data(
        org,
        program,
        problem="Långa väntetider.",
        team=[TeamMemberIn(name="Anna Ek", role="enhetschef"), TeamMemberIn(name="Bo Al", role="mas")],
    )
    initiative = service.create_initiative(db, principal(leader), data=data)
    assert initiative.id
    assert initiative.status == "draft"
    assert initiative.version == 1
    assert [(m.name, m.role, m.position) for m in initiative.team] == [
        ("Anna Ek", "enhetschef", 0),
        ("Bo Al", "mas", 1),
    ]
    assert initiative.id in principal(leader).member_initiatives
    event = db.scalar(
        select(AuditEvent).where(AuditEvent.entity == "initiative", AuditEvent.entity_id == initiative.id)
    )
    assert event is not None
    assert event.action == "create"
    assert event.actor_id == leader.id


def test_coordinator_creates_in_programme_but_not_outside(db: Session, make: Any) -> None:
    program = make.program()
    org = make.organisation(program)
    coordinator = make.user(Role.COORDINATOR, program)
    assert service.create_initiative(db, principal(coordinator), data=create_data(org, program)).id
    other_program = make.program()
    with pytest.raises(Forbidden):
        service.create_initiative(db, principal(coordinator), data=create_data(org, other_program))


def test_member_and_viewer_may_not_create(db: Session, make: Any) -> None:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    viewer = make.user(Role.VIEWER, initiative.organisation)
    for user in (member, viewer):
        with pytest.raises(Forbidden):
            service.create_initiative(
                db, principal(user), data=create_data(initiative.organisation, initiative.program)
            )
    assert not service.can_create_somewhere(principal(member))


def test_programme_must_include_the_organisation(db: Session, make: Any) -> None:
    admin = make.user(admin=True)
    org = make.organisation()
    with pytest.raises(InvalidInput) as exc:
        service.create_initiative(db, principal(admin), data=create_data(org, make.program()))
    assert "program_id" in exc.value.by_field()


def test_personnummer_in_free_text_needs_confirmation(db: Session, make: Any) -> None:
    program = make.program()
    org = make.organisation(program)
    admin = make.user(admin=True)
    with pytest.raises(InvalidInput) as exc:
        service.create_initiative(db, principal(admin), data=create_data(org, program, problem="Gäller 121212-1212"))
    assert exc.value.errors[0].type == "personal_number"
    assert exc.value.by_field().keys() == {"problem"}
    data = create_data(org, program, problem="Gäller 121212-1212", confirm_personal_data=True)
    assert service.create_initiative(db, principal(admin), data=data).problem == "Gäller 121212-1212"


def test_member_edits_content_but_not_status(db: Session, make: Any) -> None:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    updated = service.update_initiative(
        db, principal(member), initiative.id, data=InitiativeUpdate(version=1, aim="Från 30 till 10 dagar.")
    )
    assert updated.aim == "Från 30 till 10 dagar."
    assert updated.version == 2
    with pytest.raises(Forbidden):
        service.update_initiative(db, principal(member), initiative.id, data=InitiativeUpdate(version=2, rag="red"))
    # Sending the unchanged status back is fine.
    service.update_initiative(
        db, principal(member), initiative.id, data=InitiativeUpdate(version=2, status=initiative.status)
    )


def test_leader_sets_status_and_rag_but_not_content(db: Session, make: Any) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, initiative.organisation)
    updated = service.update_initiative(
        db, principal(leader), initiative.id, data=InitiativeUpdate(version=1, status="sustaining", rag="green")
    )
    assert (updated.status, updated.rag) == ("sustaining", "green")
    with pytest.raises(Forbidden):
        service.update_initiative(db, principal(leader), initiative.id, data=InitiativeUpdate(version=2, title="Ny"))


def test_viewer_may_not_edit(db: Session, make: Any) -> None:
    initiative = make.initiative()
    viewer = make.user(Role.VIEWER, initiative.organisation)
    with pytest.raises(Forbidden):
        service.update_initiative(db, principal(viewer), initiative.id, data=InitiativeUpdate(version=1, title="X"))


def test_stale_version_is_a_conflict_with_the_stored_values(db: Session, make: Any) -> None:
    initiative = make.initiative(title="Original")
    member = make.user(Role.MEMBER, initiative)
    service.update_initiative(db, principal(member), initiative.id, data=InitiativeUpdate(version=1, title="Theirs"))
    with pytest.raises(Conflict) as exc:
        service.update_initiative(db, principal(member), initiative.id, data=InitiativeUpdate(version=1, title="Mine"))
    assert exc.value.current is not None
    assert exc.value.current["title"] == "Theirs"
    assert exc.value.current["version"] == 2
    assert db.get(Initiative, initiative.id).title == "Theirs"  # type: ignore[union-attr]


def test_update_checks_merged_dates(db: Session, make: Any) -> None:
    initiative = make.initiative(started_on=date(2024, 3, 1))
    member = make.user(Role.MEMBER, initiative)
    with pytest.raises(InvalidInput) as exc:
        service.update_initiative(
            db, principal(member), initiative.id, data=InitiativeUpdate(version=1, ends_on=date(2024, 1, 1))
        )
    assert "ends_on" in exc.value.by_field()


def test_update_checks_only_changed_text_for_personnummer(db: Session, make: Any) -> None:
    initiative = make.initiative(problem="Ärende 121212-1212 (bekräftat)")
    member = make.user(Role.MEMBER, initiative)
    service.update_initiative(db, principal(member), initiative.id, data=InitiativeUpdate(version=1, aim="Mål"))
    with pytest.raises(InvalidInput):
        service.update_initiative(
            db, principal(member), initiative.id, data=InitiativeUpdate(version=2, results="Se 19121212-1212")
        )


def test_invisible_initiative_is_not_found(db: Session, make: Any) -> None:
    initiative = make.initiative()
    outsider = make.user(Role.LEADER, make.organisation())
    with pytest.raises(NotFound):
        service.get_visible(db, principal(outsider), initiative.id)
    with pytest.raises(NotFound):
        service.update_initiative(db, principal(outsider), initiative.id, data=InitiativeUpdate(version=1, title="X"))


def test_leader_soft_deletes_member_may_not(db: Session, make: Any) -> None:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    leader = make.user(Role.LEADER, initiative.organisation)
    with pytest.raises(Forbidden):
        service.delete_initiative(db, principal(member), initiative.id)
    service.delete_initiative(db, principal(leader), initiative.id)
    assert initiative.deleted_at is not None
    assert initiative.deleted_by_id == leader.id
    with pytest.raises(NotFound):
        service.get_visible(db, principal(leader), initiative.id)


def test_team_add_move_update_remove(db: Session, make: Any) -> None:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    p = principal(member)
    a = service.add_team_member(db, p, initiative.id, data=TeamMemberIn(name="A", role="enhetschef"))
    b = service.add_team_member(db, p, initiative.id, data=TeamMemberIn(name="B", role="mas", user_id=member.id))
    c = service.add_team_member(db, p, initiative.id, data=TeamMemberIn(name="C", role="anhorig"))
    service.move_team_member(db, p, initiative.id, c.id, offset=-1)
    assert [m.name for m in initiative.team] == ["A", "C", "B"]
    service.move_team_member(db, p, initiative.id, a.id, offset=-1)  # already first: no change
    service.update_team_member(db, p, initiative.id, b.id, data=TeamMemberIn(name="Berit", role="controller"))
    service.remove_team_member(db, p, initiative.id, a.id)
    db.expire(initiative, ["team"])
    assert [(m.name, m.role) for m in initiative.team] == [("C", "anhorig"), ("Berit", "controller")]
    with pytest.raises(NotFound):
        service.remove_team_member(db, p, initiative.id, a.id)


def test_team_rejects_unknown_user_and_viewer(db: Session, make: Any) -> None:
    initiative = make.initiative()
    member = make.user(Role.MEMBER, initiative)
    with pytest.raises(InvalidInput):
        service.add_team_member(
            db, principal(member), initiative.id, data=TeamMemberIn(name="X", role="mas", user_id=999_999)
        )
    viewer = make.user(Role.VIEWER, initiative.organisation)
    with pytest.raises(Forbidden):
        service.add_team_member(db, principal(viewer), initiative.id, data=TeamMemberIn(name="X", role="mas"))


def test_team_roles_have_labels() -> None:
    labels = service.team_role_labels()
    assert set(labels) == set(service.TEAM_ROLES)
    assert len(service.TEAM_ROLES) == 16
    assert all(labels[code] for code in service.TEAM_ROLES)


def test_search_filters_within_visible(db: Session, make: Any) -> None:
    program = make.program()
    org = make.organisation(program)
    a = make.initiative(org, program, title="Kontinuitet i hemtjänsten", rag="amber")
    make.initiative(org, program, title="Fallskador", status="draft")
    hidden = make.initiative(title="Kontinuitet någon annanstans")
    leader = make.user(Role.LEADER, org)
    rows, total = service.search(db, principal(leader), q="kontinuitet")
    assert [r.id for r in rows] == [a.id]
    assert total == 1
    rows, total = service.search(db, principal(leader), status="draft")
    assert total == 1
    assert rows[0].title == "Fallskador"
    rows, _ = service.search(db, principal(leader), rag="amber", program_id=program.id, organisation_id=org.id)
    assert [r.id for r in rows] == [a.id]
    assert hidden.id not in {r.id for r in service.list_for_home(db, principal(leader))}


def test_detail_has_measures_in_kind_order_and_latest_values(db: Session, make: Any) -> None:
    initiative = make.initiative()
    balancing = make.measure(initiative, kind="balancing")
    outcome = make.measure(initiative, kind="outcome")
    make.measurement(outcome, "2024-W06", 5.0)
    make.measurement(outcome, "2024-W07", 4.0)
    member = make.user(Role.MEMBER, initiative)
    detail = service.get_detail(db, principal(member), initiative.id)
    assert [m.id for m in detail.measures] == [outcome.id, balancing.id]
    assert detail.latest == {outcome.id: ("2024-W07", 4.0)}


def test_creation_choices(db: Session, make: Any) -> None:
    program = make.program()
    org = make.organisation(program)
    make.organisation()
    leader = make.user(Role.LEADER, org)
    choices = service.creation_choices(db, principal(leader))
    assert [o.id for o in choices.organisations] == [org.id]
    assert [p.id for p in choices.programs] == [program.id]
    assert choices.program_organisations[program.id] == {org.id}
