"""PDSA pages: board, cycle form, moving cycles forward, the next cycle of a ramp."""

from typing import Any

from sqlalchemy.orm import Session

from app.models import PdsaCycle
from app.models.enums import Role
from tests.support.web import WebClient


def setup(client: WebClient, db: Session, make: Any, role: Role = Role.MEMBER) -> Any:
    initiative = make.initiative()
    measure = make.measure(initiative, name="Andel nöjda")
    user = make.user(role, initiative if role == Role.MEMBER else initiative.organisation)
    db.commit()
    client.login(user.email)
    return initiative, measure


def test_create_cycle_with_measures_then_board(client: WebClient, db: Session, make: Any) -> None:
    initiative, measure = setup(client, db, make)
    base = f"/initiatives/{initiative.id}/pdsa"
    form = client.get(f"{base}/new")
    assert form.status_code == 200
    assert 'name="measure_ids"' in form.text
    response = client.post_form(
        f"{base}/new",
        {
            "title": "Rörelsepass efter lunch",
            "prediction": "8 av 12 deltar",
            "measure_ids": [str(measure.id)],
            "new_phase": "true",
            "status": "planned",
        },
    )
    assert response.status_code == 303, response.text
    cycle_page = client.get(response.headers["location"])
    assert "Rörelsepass efter lunch" in cycle_page.text
    assert "Andel nöjda" in cycle_page.text
    board = client.get(base)
    assert board.status_code == 200
    assert "Rörelsepass efter lunch" in board.text
    assert "PDSA" in board.text


def test_form_errors_keep_input(client: WebClient, db: Session, make: Any) -> None:
    initiative, measure = setup(client, db, make)
    response = client.post_form(
        f"/initiatives/{initiative.id}/pdsa/new",
        {"title": "", "plan": "Min plan", "act": "adopt", "status": "planned", "measure_ids": [str(measure.id)]},
    )
    assert response.status_code == 422
    assert "Min plan" in response.text
    assert 'id="title-error"' in response.text
    assert "checked" in response.text
    response = client.post_form(
        f"/initiatives/{initiative.id}/pdsa/new", {"title": "T", "act": "adopt", "status": "planned"}
    )
    assert response.status_code == 422
    assert 'id="act-error"' in response.text


def test_move_through_study_to_act_with_htmx_and_start_next(client: WebClient, db: Session, make: Any) -> None:
    initiative, _ = setup(client, db, make)
    base = f"/initiatives/{initiative.id}/pdsa"
    client.post_form(f"{base}/new", {"title": "Test 1", "status": "planned"})
    cycle = db.query(PdsaCycle).filter_by(initiative_id=initiative.id).one()
    url = f"{base}/{cycle.id}/advance"
    response = client.htmx("POST", url, data={"version": "1"})
    assert response.status_code == 200
    assert 'id="pdsa-board"' in response.text
    assert "<html" not in response.text
    client.htmx("POST", url, data={"version": "2"})
    # Stale version: the board is shown again with a message, status 409.
    stale = client.htmx("POST", url, data={"version": "1", "act": "adapt"})
    assert stale.status_code == 409
    assert 'id="pdsa-board"' in stale.text
    response = client.htmx("POST", url, data={"version": "3", "act": "adapt"})
    assert response.status_code == 200
    db.refresh(cycle)
    assert (cycle.status, cycle.act) == ("done", "adapt")
    assert cycle.started_on is not None
    nxt = client.get(f"{base}/new?from={cycle.id}")
    assert nxt.status_code == 200
    assert f'value="{cycle.id}" selected' in nxt.text
    assert "Test 1, " in nxt.text
    response = client.post_form(
        f"{base}/new", {"title": "Test 2", "status": "planned", "previous_cycle_id": str(cycle.id)}
    )
    page = client.get(response.headers["location"]).text
    assert "Test 1" in page  # the ramp
    assert 'aria-current="step"' in page


def test_bad_advance_input_is_not_a_500(client: WebClient, db: Session, make: Any) -> None:
    initiative, _ = setup(client, db, make)
    base = f"/initiatives/{initiative.id}/pdsa"
    client.post_form(f"{base}/new", {"title": "Test", "status": "planned"})
    cycle = db.query(PdsaCycle).filter_by(initiative_id=initiative.id).one()
    assert client.htmx("POST", f"{base}/{cycle.id}/advance", data={"version": "x"}).status_code == 422
    assert client.htmx("POST", f"{base}/{cycle.id}/advance", data={"version": "1", "act": "maybe"}).status_code == 422
    assert client.post_form(f"{base}/{cycle.id}/advance", {"version": "1"}).status_code == 303


def test_edit_conflict(client: WebClient, db: Session, make: Any) -> None:
    initiative, _ = setup(client, db, make)
    base = f"/initiatives/{initiative.id}/pdsa"
    client.post_form(f"{base}/new", {"title": "Test", "status": "planned", "plan": "Plan A"})
    cycle = db.query(PdsaCycle).filter_by(initiative_id=initiative.id).one()
    assert 'name="version" value="1"' in client.get(f"{base}/{cycle.id}/edit").text
    cycle.plan = "Plan B (någon annan)"
    db.commit()
    response = client.post_form(f"{base}/{cycle.id}/edit", {"version": "1", "title": "Test", "plan": "Plan C"})
    assert response.status_code == 409
    assert "Plan B (någon annan)" in response.text
    assert "Plan C" in response.text


def test_viewer_sees_board_without_actions(client: WebClient, db: Session, make: Any) -> None:
    initiative, _ = setup(client, db, make, role=Role.VIEWER)
    board = client.get(f"/initiatives/{initiative.id}/pdsa")
    assert board.status_code == 200
    assert "/pdsa/new" not in board.text
    assert client.get(f"/initiatives/{initiative.id}/pdsa/new").status_code == 403
