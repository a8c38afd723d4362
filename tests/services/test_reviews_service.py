"""Status reviews: who may record them, what they change, and the follow-up agenda."""

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import AuditEvent
from app.models.enums import Role
from app.services import reviews
from app.services.errors import Forbidden, InvalidInput, NotFound


def _review(db: Session, principal: Principal, initiative_id: int, **kw: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {
        "review_date": date(2024, 3, 1),
        "rag": "red",
        "assessment": "Mätningarna visar ingen förbättring ännu.",
        "decision": "Teamet får stöd av controller.",
        "next_review_on": date(2024, 4, 1),
    }
    values.update(kw)
    return reviews.create_review(db, principal, initiative_id=initiative_id, **values)  # type: ignore[arg-type]


def test_leader_records_review_sets_rag_status_and_audits(db: Session, make) -> None:
    initiative = make.initiative(status="active")
    leader = make.user(Role.LEADER, initiative.organisation)
    version = initiative.version
    review = _review(db, Principal.of(leader), initiative.id, status="sustaining")
    assert review.reviewer_id == leader.id
    assert (initiative.rag, initiative.status) == ("red", "sustaining")
    assert initiative.version == version + 1
    events = db.scalars(select(AuditEvent).where(AuditEvent.initiative_id == initiative.id)).all()
    assert {(e.entity, e.action) for e in events} == {("status_review", "create"), ("initiative", "update")}
    update = next(e for e in events if e.entity == "initiative")
    assert (update.before or {}).get("rag", "missing") is None
    assert (update.after or {}).get("rag") == "red"


def test_admin_may_review(db: Session, make) -> None:
    initiative = make.initiative()
    admin = make.user(admin=True)
    _review(db, Principal.of(admin), initiative.id, rag="green")
    assert initiative.rag == "green"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER, Role.COORDINATOR])
def test_other_readers_may_not_review(db: Session, make, role: Role) -> None:
    initiative = make.initiative()
    scope = {Role.MEMBER: initiative, Role.VIEWER: initiative.organisation, Role.COORDINATOR: initiative.program}
    user = make.user(role, scope[role])
    with pytest.raises(Forbidden):
        _review(db, Principal.of(user), initiative.id)
    assert initiative.rag is None


def test_leader_of_other_organisation_gets_not_found(db: Session, make) -> None:
    initiative = make.initiative()
    other = make.initiative()
    leader = make.user(Role.LEADER, other.organisation)
    with pytest.raises(NotFound):
        _review(db, Principal.of(leader), initiative.id)
    with pytest.raises(NotFound):
        reviews.list_reviews(db, Principal.of(leader), initiative_id=initiative.id)


def test_invalid_values_are_reported_per_field(db: Session, make) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, initiative.organisation)
    with pytest.raises(InvalidInput) as exc:
        _review(
            db,
            Principal.of(leader),
            initiative.id,
            rag="purple",
            status="paused",
            next_review_on=date(2024, 2, 1),
            assessment="",
            decision="",
        )
    assert set(exc.value.by_field()) == {"rag", "status", "next_review_on", "assessment"}


def test_personal_number_needs_confirmation(db: Session, make) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, initiative.organisation)
    principal = Principal.of(leader)
    with pytest.raises(InvalidInput) as exc:
        _review(db, principal, initiative.id, assessment="Gäller 19121212-1212")
    assert exc.value.errors[0].type == "personal_number"
    _review(db, principal, initiative.id, assessment="Gäller 19121212-1212", confirm_personal_data=True)


def test_list_is_newest_first_for_any_reader(db: Session, make) -> None:
    initiative = make.initiative()
    leader = Principal.of(make.user(Role.LEADER, initiative.organisation))
    _review(db, leader, initiative.id, review_date=date(2024, 1, 10), next_review_on=None)
    _review(db, leader, initiative.id, review_date=date(2024, 2, 10), rag="amber", next_review_on=None)
    viewer = Principal.of(make.user(Role.VIEWER, initiative.organisation))
    listed = reviews.list_reviews(db, viewer, initiative_id=initiative.id)
    assert [r.review_date for r in listed] == [date(2024, 2, 10), date(2024, 1, 10)]


def test_due_for_review_lists_never_reviewed_and_due(db: Session, make) -> None:
    program = make.program()
    org = make.organisation(program)
    never = make.initiative(org, program, title="Aldrig granskad")
    due = make.initiative(org, program, title="Snart dags")
    later = make.initiative(org, program, title="Långt fram")
    done = make.initiative(org, program, title="Avslutad", status="completed")
    make.initiative(program=program, title="Annan kommun")  # another organisation: not visible
    leader = Principal.of(make.user(Role.LEADER, org))
    _review(db, leader, due.id, review_date=date(2024, 3, 1), next_review_on=date(2024, 3, 20))
    _review(db, leader, later.id, review_date=date(2024, 3, 1), next_review_on=date(2024, 6, 1))
    # A back-dated review neither counts for the agenda nor overrides the later review's RAG.
    _review(db, leader, later.id, review_date=date(2024, 1, 1), next_review_on=date(2024, 2, 1), rag="green")
    assert done.status == "completed"
    assert later.rag == "red"
    items = reviews.due_for_review(db, leader, on_or_before=date(2024, 3, 31), today=date(2024, 3, 25))
    assert [i.initiative.title for i in items] == [never.title, due.title]
    assert (items[0].last_review_on, items[0].overdue) == (None, False)
    assert (items[1].next_review_on, items[1].overdue, items[1].can_review) == (date(2024, 3, 20), True, True)
