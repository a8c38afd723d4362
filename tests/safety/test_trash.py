"""Papperskorg: deleted items come back for 30 days (members and admins), then `trash purge` removes them."""

from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app import cli as cli_module
from app.auth.policy import Principal
from app.models import AuditEvent, Initiative, Lesson, Measure, Measurement, MeasurementRevision, PdsaCycle, User
from app.models.base import utcnow
from app.models.enums import Role
from app.services import initiatives as initiative_service
from app.services import lessons as lesson_service
from app.services import measurements as measurement_service
from app.services import measures as measure_service
from app.services import pdsa as pdsa_service
from app.services import trash
from app.services.errors import Conflict, Forbidden, NotFound
from tests.support.web import WebClient

Kind = trash.Kind
TODAY = date(2024, 6, 1)


class Team:
    """An initiative with one measure (two values), a PDSA cycle and a lesson; a member and a viewer."""

    def __init__(self, db: Session, make: Any) -> None:
        self.db = db
        self.initiative: Initiative = make.initiative()
        self.member: User = make.user(Role.MEMBER, self.initiative)
        self.viewer: User = make.user(Role.VIEWER, self.initiative.organisation)
        self.measure: Measure = make.measure(self.initiative, name="Väntetid till beslut")
        self.week6: Measurement = make.measurement(self.measure, "2024-W06", 12.5)
        self.week7: Measurement = make.measurement(self.measure, "2024-W07", 11.0)
        self.cycle = PdsaCycle(initiative_id=self.initiative.id, title="Checklista vid inskrivning", status="done")
        self.lesson = Lesson(initiative_id=self.initiative.id, text="Små tester går fortare.", lesson_date=TODAY)
        db.add_all([self.cycle, self.lesson])
        db.commit()  # the test data outlive a request that fails and rolls back

    @property
    def principal(self) -> Principal:
        return Principal.of(self.member)

    def delete_all(self) -> None:
        p = self.principal
        measure_service.delete_measure(self.db, p, measure_id=self.measure.id)
        lesson_service.delete_lesson(self.db, p, self.lesson.id)
        pdsa_service.delete_cycle(self.db, p, self.cycle.id)
        self.db.commit()

    def delete_value(self, row: Measurement) -> None:
        measurement_service.delete_measurement(self.db, self.principal, measure_id=self.measure.id, period=row.period)

    def restore(self, kind: Kind, row: Any, *, version: int | None = None, principal: Principal | None = None) -> Any:
        return trash.restore(
            self.db,
            principal or self.principal,
            kind=kind,
            item_id=row.id,
            version=row.version if version is None else version,
            initiative_id=self.initiative.id,
        )

    def listed(self) -> set[tuple[Kind, int]]:
        return {
            (i.kind, i.id)
            for i in trash.initiative_trash(self.db, self.principal, initiative_id=self.initiative.id).items
        }


@pytest.fixture
def team(db: Session, make: Any) -> Team:
    return Team(db, make)


def _events(db: Session, action: str) -> set[tuple[str, int | None]]:
    rows = db.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()
    return {(e.entity, e.entity_id) for e in rows}


def test_deleted_items_are_listed_and_restored_with_audit_events(db: Session, team: Team) -> None:
    team.delete_value(team.week6)
    team.delete_all()
    # The measure is deleted, so its deleted value waits until the measure is back.
    assert team.listed() == {
        (Kind.MEASURE, team.measure.id),
        (Kind.PDSA_CYCLE, team.cycle.id),
        (Kind.LESSON, team.lesson.id),
    }
    deleted = {(k.value, i) for k, i in team.listed()}
    assert deleted <= _events(db, "delete")

    for kind, row in ((Kind.MEASURE, team.measure), (Kind.PDSA_CYCLE, team.cycle), (Kind.LESSON, team.lesson)):
        assert team.restore(kind, row) is row
        assert row.deleted_at is None
        assert row.deleted_by_id is None
    assert team.listed() == {(Kind.MEASUREMENT, team.week6.id)}
    team.restore(Kind.MEASUREMENT, team.week6)
    assert team.week6.deleted_at is None
    assert team.listed() == set()
    assert _events(db, "restore") >= deleted | {("measurement", team.week6.id)}
    history = db.scalars(select(MeasurementRevision).where(MeasurementRevision.measurement_id == team.week6.id)).all()
    assert [r.action for r in history][-1] == "restore"
    restore_event = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "restore", AuditEvent.entity == "lesson")
    ).one()
    assert (restore_event.actor_id, restore_event.initiative_id) == (team.member.id, team.initiative.id)


def test_restore_checks_the_version_and_refuses_twice(team: Team) -> None:
    team.delete_all()
    with pytest.raises(Conflict):
        team.restore(Kind.LESSON, team.lesson, version=team.lesson.version - 1)
    with pytest.raises(Conflict):
        trash.restore(
            team.db,
            team.principal,
            kind=Kind.LESSON,
            item_id=team.lesson.id,
            version=None,
            initiative_id=team.initiative.id,
        )
    assert team.lesson.deleted_at is not None
    version = team.lesson.version
    team.restore(Kind.LESSON, team.lesson)
    with pytest.raises(Conflict, match="already been restored"):
        team.restore(Kind.LESSON, team.lesson, version=version)


def test_a_value_logged_again_is_not_overwritten(team: Team) -> None:
    team.delete_value(team.week7)
    stale_version = team.week7.version
    measurement_service.log_value(
        team.db, team.principal, measure_id=team.measure.id, period="2024-W07", value=9.0, as_of=TODAY
    )
    with pytest.raises(Conflict, match="logged or restored since") as refused:
        team.restore(Kind.MEASUREMENT, team.week7, version=stale_version)
    assert refused.value.current is not None
    assert refused.value.current["value"] == 9.0
    assert team.week7.value == 9.0


def test_a_value_of_a_deleted_measure_waits_for_the_measure(team: Team) -> None:
    team.delete_value(team.week6)
    measure_service.delete_measure(team.db, team.principal, measure_id=team.measure.id)
    with pytest.raises(Conflict, match="Restore the measure first"):
        team.restore(Kind.MEASUREMENT, team.week6)


def test_only_the_team_and_admins_restore_items(db: Session, make: Any, team: Team) -> None:
    team.delete_all()
    with pytest.raises(Forbidden):
        trash.initiative_trash(db, Principal.of(team.viewer), initiative_id=team.initiative.id)
    with pytest.raises(Forbidden):
        team.restore(Kind.LESSON, team.lesson, principal=Principal.of(team.viewer))
    outsider = make.user(Role.MEMBER, make.initiative())
    with pytest.raises(NotFound):
        team.restore(Kind.LESSON, team.lesson, principal=Principal.of(outsider))
    # An item id of another initiative is not found through this one.
    other = make.initiative()
    with pytest.raises(NotFound):
        trash.restore(
            db,
            Principal.of(make.user(admin=True)),
            kind=Kind.LESSON,
            item_id=team.lesson.id,
            version=team.lesson.version,
            initiative_id=other.id,
        )
    team.restore(Kind.LESSON, team.lesson, principal=Principal.of(make.user(admin=True)))


def test_after_thirty_days_items_are_hidden_and_purged(db: Session, team: Team) -> None:
    team.delete_value(team.week7)  # of a measure that is deleted as well
    team.delete_all()
    long_ago = utcnow() - timedelta(days=trash.RETENTION_DAYS, minutes=1)
    team.measure.deleted_at = team.lesson.deleted_at = long_ago
    db.flush()
    assert team.listed() == {(Kind.PDSA_CYCLE, team.cycle.id)}
    with pytest.raises(NotFound, match="more than 30 days ago"):
        team.restore(Kind.LESSON, team.lesson)

    lesson_id, measure_id, cycle_id = team.lesson.id, team.measure.id, team.cycle.id
    assert trash.purge(db, dry_run=True)[Kind.MEASURE] == 1
    counts = trash.purge(db)
    assert counts == {Kind.MEASUREMENT: 0, Kind.LESSON: 1, Kind.PDSA_CYCLE: 0, Kind.MEASURE: 1, Kind.INITIATIVE: 0}
    assert db.get(Lesson, lesson_id) is None
    assert db.get(Measure, measure_id) is None
    assert db.scalars(select(Measurement).where(Measurement.measure_id == measure_id)).all() == []
    assert db.get(PdsaCycle, cycle_id) is not None  # deleted recently: still restorable
    assert {("lesson", lesson_id), ("measure", measure_id)} <= _events(db, "purge")
    assert trash.purge(db) == dict.fromkeys(trash.PURGE_ORDER, 0)


def test_deleted_initiatives_come_back_for_members_and_deleters(db: Session, make: Any, team: Team) -> None:
    leader = make.user(Role.LEADER, team.initiative.organisation)
    initiative_service.delete_initiative(db, Principal.of(leader), team.initiative.id)
    assert ("initiative", team.initiative.id) in _events(db, "delete")
    # Its items are out of reach while it is deleted.
    with pytest.raises(NotFound):
        trash.initiative_trash(db, team.principal, initiative_id=team.initiative.id)
    for user in (team.member, leader):
        listed = trash.overview(db, Principal.of(user)).initiatives
        assert [(i.kind, i.id) for i in listed] == [(Kind.INITIATIVE, team.initiative.id)]
    assert trash.overview(db, Principal.of(team.viewer)).initiatives == []
    with pytest.raises(NotFound):
        trash.restore(
            db,
            Principal.of(team.viewer),
            kind=Kind.INITIATIVE,
            item_id=team.initiative.id,
            version=team.initiative.version,
        )

    version = team.initiative.version
    trash.restore(db, team.principal, kind=Kind.INITIATIVE, item_id=team.initiative.id, version=version)
    assert team.initiative.deleted_at is None
    assert ("initiative", team.initiative.id) in _events(db, "restore")
    with pytest.raises(Conflict, match="already been restored"):
        trash.restore(db, team.principal, kind=Kind.INITIATIVE, item_id=team.initiative.id, version=version)


def test_overview_counts_deleted_items_per_initiative(db: Session, team: Team) -> None:
    team.delete_value(team.week6)
    lesson_service.delete_lesson(db, team.principal, team.lesson.id)
    overview = trash.overview(db, team.principal)
    assert [(i.id, n) for i, n in overview.with_items] == [(team.initiative.id, 2)]


# --- pages -----------------------------------------------------------------------------------------------


def test_trash_page_lists_and_restores(client: WebClient, team: Team) -> None:
    team.delete_all()
    client.login(team.member.email)
    url = f"/initiatives/{team.initiative.id}/trash"
    page = client.get(url)
    assert page.status_code == 200
    assert "Checklista vid inskrivning" in page.text
    assert "Väntetid till beslut" in page.text
    assert f'action="{url}/lesson/{team.lesson.id}/restore"' in page.text
    assert 'name="csrf_token" value=""' not in page.text

    done = client.post_form(f"{url}/lesson/{team.lesson.id}/restore", {"version": str(team.lesson.version)})
    assert done.status_code == 303
    assert done.headers["location"] == f"{url}?restored=lesson"
    assert team.lesson.deleted_at is None
    assert client.get(done.headers["location"]).status_code == 200

    stale = client.post_form(f"{url}/pdsa_cycle/{team.cycle.id}/restore", {"version": "0"})
    assert stale.status_code == 409
    assert team.cycle.deleted_at is not None
    garbage = client.post_form(f"{url}/pdsa_cycle/{team.cycle.id}/restore", {"version": "x" * 50})
    assert garbage.status_code == 409

    partial = client.htmx(
        "POST", f"{url}/pdsa_cycle/{team.cycle.id}/restore", data={"version": str(team.cycle.version)}
    )
    assert partial.status_code == 200
    assert "<html" not in partial.text
    assert 'class="alert alert-success"' in partial.text
    assert team.cycle.deleted_at is None


def test_trash_pages_refuse_what_they_should(client: WebClient, team: Team) -> None:
    team.delete_all()
    url = f"/initiatives/{team.initiative.id}/trash"
    assert client.get(url).status_code == 303  # login first
    client.login(team.viewer.email)
    assert client.get(url).status_code == 403
    forbidden = client.post_form(f"{url}/lesson/{team.lesson.id}/restore", {"version": str(team.lesson.version)})
    assert forbidden.status_code == 403
    client.login(team.member.email)
    no_csrf = client.post(f"{url}/lesson/{team.lesson.id}/restore", data={"version": str(team.lesson.version)})
    assert no_csrf.status_code == 403
    assert client.post_form(f"{url}/nonsense/1/restore", {"version": "1"}).status_code == 422
    assert client.post_form(f"{url}/lesson/99999999/restore", {"version": "1"}).status_code == 404
    assert team.lesson.deleted_at is not None


def test_deleted_initiatives_page(client: WebClient, db: Session, make: Any, team: Team) -> None:
    admin = make.user(admin=True)
    initiative_service.delete_initiative(db, Principal.of(admin), team.initiative.id)
    db.commit()
    client.login(team.member.email)
    page = client.get("/trash")
    assert page.status_code == 200
    assert team.initiative.title in page.text
    done = client.post_form(
        f"/trash/initiatives/{team.initiative.id}/restore", {"version": str(team.initiative.version)}
    )
    assert done.status_code == 303
    assert team.initiative.deleted_at is None
    again = client.post_form(f"/trash/initiatives/{team.initiative.id}/restore", {"version": "1"})
    assert again.status_code == 409


def test_cli_trash_purge(db: Session, team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    @contextmanager
    def test_session() -> Any:
        yield db

    monkeypatch.setattr(cli_module, "session_scope", test_session)
    lesson_service.delete_lesson(db, team.principal, team.lesson.id)
    team.lesson.deleted_at = utcnow() - timedelta(days=40)
    db.flush()
    lesson_id = team.lesson.id
    dry = CliRunner().invoke(cli_module.cli, ["trash", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would remove" in dry.stdout
    assert "1 lesson" in dry.stdout
    assert db.get(Lesson, lesson_id) is not None
    done = CliRunner().invoke(cli_module.cli, ["trash", "purge"])
    assert done.exit_code == 0, done.output
    assert "Removed" in done.stdout
    assert db.get(Lesson, lesson_id) is None
