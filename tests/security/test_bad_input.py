"""Odd input on the account and admin pages is a message, never a 500 (NUL bytes break PostgreSQL text)."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.models import Measurement
from app.models.enums import Role
from tests.support.web import WebClient

NUL = "\x00"


def test_nul_bytes_in_account_and_admin_input(client: WebClient, make, db: Session) -> None:
    admin = make.user(Role.ADMIN)
    _row, plain = create_api_token(db, admin, "x")
    client.login(admin.email)
    db.commit()  # refused requests roll back to here
    created = client.post_form("/admin/users", {"name": f"A{NUL}B", "email": f"a{NUL}@example.se", "password": ""})
    assert created.status_code == 422
    assert 'id="name-error"' in created.text
    assert 'id="email-error"' in created.text
    assert client.post_form("/account/tokens", {"name": f"x{NUL}"}).status_code == 422
    api = client.post("/api/v1/tokens", json={"name": f"x{NUL}"}, headers={"Authorization": f"Bearer {plain}"})
    assert api.status_code == 422
    assert client.get("/admin/users", params={"q": f"a{NUL}"}).status_code == 200
    assert client.get("/admin/audit", params={"entity": f"user{NUL}", "actor_id": NUL}).status_code == 200
    login = client.post_form("/login", {"email": f"{admin.email}{NUL}", "password": "x"})
    assert login.status_code == 400


def test_nul_bytes_in_team_forms_are_refused_and_nothing_is_saved(client: WebClient, make, db: Session) -> None:
    initiative = make.initiative(title="Trygg hemgång")
    measure = make.measure(initiative, name="Dagar till hemgång")
    leader = make.user(Role.MEMBER, initiative)
    client.login(leader.email)
    db.commit()
    edit = client.get(f"/initiatives/{initiative.id}/edit")
    assert edit.status_code == 200
    form = {"title": f"Ny{NUL}titel", "problem": "Väntan", "version": str(initiative.version)}
    refused = client.post_form(f"/initiatives/{initiative.id}/edit", form)
    assert refused.status_code == 422
    assert "NUL" in refused.text
    # The weekly sheet posts straight to the service, which refuses it as a field error.
    logged = client.post_form(f"/log/{measure.id}", {"period": "2024-W07", "value": "4", "comment": f"a{NUL}b"})
    assert logged.status_code == 422
    assert "NUL" in logged.text
    db.expire_all()
    assert db.get(type(initiative), initiative.id).title == "Trygg hemgång"
    assert db.scalars(select(Measurement).where(Measurement.measure_id == measure.id)).all() == []
