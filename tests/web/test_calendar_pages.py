"""Calendar and stage pages: workshop form, readiness list, stage board and moving a stage."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import Workshop
from app.models.enums import Role
from app.services import workshops
from app.services.workshops import WorkshopData
from tests.support.web import WebClient


def _form(**kw: str) -> dict[str, str]:
    return {
        "kind": "workshop",
        "title": "Workshop 2: analys",
        "held_on": (date.today() + timedelta(days=10)).isoformat(),
        "place": "Stadshuset",
        "theme": "Vad säger brukarna?",
        "bring": "Nollmätningen.",
        "stage": "analysis",
        **kw,
    }


def test_coordinator_adds_edits_and_removes_a_workshop(client: WebClient, make: Any, db: Session) -> None:
    program = make.program()
    client.login(make.user(Role.COORDINATOR, program).email)
    assert client.get(f"/programs/{program.id}/workshops/new").status_code == 200
    created = client.post_form(f"/programs/{program.id}/workshops/new", _form())
    assert created.status_code == 303
    assert created.headers["location"] == f"/programs/{program.id}/calendar"
    page = client.get(f"/programs/{program.id}/calendar")
    assert page.status_code == 200
    assert "Workshop 2: analys" in page.text
    assert "Nollmätningen." in page.text
    workshop = db.query(Workshop).filter(Workshop.program_id == program.id).one()
    edit = client.get(f"/workshops/{workshop.id}/edit")
    assert 'value="Stadshuset"' in edit.text
    saved = client.post_form(f"/workshops/{workshop.id}/edit", _form(place="Digitalt", version=str(workshop.version)))
    assert saved.status_code == 303
    assert workshop.place == "Digitalt"
    stale = client.post_form(f"/workshops/{workshop.id}/edit", _form(place="Annat", version="1"))
    assert stale.status_code == 409
    assert 'value="Annat"' in stale.text
    removed = client.post_form(f"/workshops/{workshop.id}/delete", {"version": str(workshop.version)})
    assert removed.status_code == 303
    assert db.query(Workshop).filter(Workshop.program_id == program.id).count() == 0


def test_invalid_workshop_form_keeps_input(client: WebClient, make: Any) -> None:
    program = make.program()
    client.login(make.user(Role.COORDINATOR, program).email)
    response = client.post_form(f"/programs/{program.id}/workshops/new", _form(title="", held_on="igår"))
    assert response.status_code == 422
    assert 'id="title-error"' in response.text
    assert 'id="held_on-error"' in response.text
    assert 'value="Stadshuset"' in response.text
    htmx = client.htmx("POST", f"/programs/{program.id}/workshops/new", data=_form(stage="dreaming"))
    assert htmx.status_code == 422
    assert htmx.text.lstrip().startswith('<div id="workshop-form"')


def test_members_read_the_calendar_but_do_not_plan(client: WebClient, make: Any, db: Session) -> None:
    initiative = make.initiative()
    program = initiative.program
    admin = Principal.of(make.user(admin=True))
    workshop = workshops.create_workshop(
        db, admin, program_id=program.id, data=WorkshopData(title="Lärandeseminarium", held_on=date.today())
    )
    client.login(make.user(Role.MEMBER, initiative).email)
    page = client.get(f"/programs/{program.id}/calendar")
    assert page.status_code == 200
    assert "Lärandeseminarium" in page.text
    assert f"/programs/{program.id}/workshops/new" not in page.text
    assert client.get(f"/programs/{program.id}/workshops/new").status_code == 403
    assert client.post_form(f"/programs/{program.id}/workshops/new", _form()).status_code == 403
    assert client.get(f"/workshops/{workshop.id}/edit").status_code == 403
    assert client.post_form(f"/workshops/{workshop.id}/delete", {"version": "1"}).status_code == 403
    stranger = make.user(Role.COORDINATOR, make.program())
    client.login(stranger.email)
    assert client.get(f"/programs/{program.id}/calendar").status_code == 404
    assert client.get(f"/workshops/{workshop.id}/edit").status_code == 404


def test_readiness_lists_teams_without_updates(client: WebClient, make: Any, db: Session) -> None:
    program = make.program()
    admin = Principal.of(make.user(admin=True))
    workshops.create_workshop(
        db, admin, program_id=program.id, data=WorkshopData(title="Förra", held_on=date.today() - timedelta(days=20))
    )
    quiet = make.initiative(program=program, title="Tyst team")
    client.login(make.user(Role.COORDINATOR, program).email)
    page = client.get(f"/programs/{program.id}/calendar")
    assert "Tyst team" in page.text
    assert 'class="readiness-table"' in page.text
    assert f'href="/initiatives/{quiet.id}"' in page.text


def test_stage_board_and_moving_a_stage(client: WebClient, make: Any) -> None:
    initiative = make.initiative(title="Trygg hemtjänst")
    member = make.user(Role.MEMBER, initiative)
    client.login(member.email)
    board = client.get(f"/programs/{initiative.program_id}/stages")
    assert board.status_code == 200
    assert "Trygg hemtjänst" in board.text
    panel = client.get(f"/initiatives/{initiative.id}/stage")
    assert 'name="stage" value="challenge_and_aim"' in panel.text
    moved = client.post_form(
        f"/initiatives/{initiative.id}/stage", {"stage": "challenge_and_aim", "version": str(initiative.version)}
    )
    assert moved.status_code == 303
    assert initiative.stage == "challenge_and_aim"
    stale = client.htmx("POST", f"/initiatives/{initiative.id}/stage", data={"stage": "analysis", "version": "1"})
    assert stale.status_code == 409
    assert stale.text.lstrip().startswith('<section id="stage-panel"')
    bad = client.htmx(
        "POST", f"/initiatives/{initiative.id}/stage", data={"stage": "x", "version": str(initiative.version)}
    )
    assert bad.status_code == 422
    ok = client.htmx(
        "POST", f"/initiatives/{initiative.id}/stage", data={"stage": "analysis", "version": str(initiative.version)}
    )
    assert ok.status_code == 200
    assert 'aria-current="step"' in ok.text


def test_viewer_sees_the_stage_but_cannot_move_it(client: WebClient, make: Any) -> None:
    initiative = make.initiative()
    client.login(make.user(Role.VIEWER, initiative.organisation).email)
    panel = client.get(f"/initiatives/{initiative.id}/stage")
    assert panel.status_code == 200
    assert "<form" not in panel.text.split('id="stage-panel"')[1].split("</section>")[0]
    response = client.post_form(f"/initiatives/{initiative.id}/stage", {"stage": "analysis", "version": "1"})
    assert response.status_code == 403
