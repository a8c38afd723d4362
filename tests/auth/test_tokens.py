"""Personal API tokens: page and API, shown once, stored hashed, revoke → 401, never combined with cookies."""

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.models import ApiToken, AuditEvent
from tests.support.web import WebClient


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_create_token_on_the_page_shows_it_once(client: WebClient, make, db: Session) -> None:
    make.user(email="tok@example.se")
    client.login("tok@example.se")
    assert client.get("/account/tokens").status_code == 200
    response = client.post_form("/account/tokens", {"name": "Veckoimport"})
    assert response.status_code == 201
    match = re.search(r'id="new-token">(fs_[^<]+)<', response.text)
    assert match
    plain = match.group(1)
    stored = db.scalar(select(ApiToken).where(ApiToken.name == "Veckoimport"))
    assert stored is not None
    assert plain not in (stored.token_hash, stored.prefix)
    assert plain.startswith(stored.prefix)
    listing = client.get("/account/tokens")
    assert "Veckoimport" in listing.text
    assert stored.prefix in listing.text
    assert plain not in listing.text
    assert client.get("/api/v1/tokens", headers=_bearer(plain)).status_code == 200
    event = db.scalar(select(AuditEvent).where(AuditEvent.entity == "api_token"))
    assert event is not None
    assert plain not in str(event.after)
    assert event.after is not None
    assert "token_hash" not in event.after


def test_token_name_is_required_and_kept_on_error(client: WebClient, make) -> None:
    make.user(email="tokname@example.se")
    client.login("tokname@example.se")
    empty = client.post_form("/account/tokens", {"name": "  "})
    assert empty.status_code == 422
    assert 'id="name-error"' in empty.text
    long = client.post_form("/account/tokens", {"name": "n" * 101})
    assert long.status_code == 422
    assert 'value="' + "n" * 101 + '"' in long.text


def test_revoke_on_the_page_then_token_is_refused(client: WebClient, make, db: Session) -> None:
    user = make.user(email="rev@example.se")
    token, plain = create_api_token(db, user, "old script")
    client.login("rev@example.se")
    assert client.get("/api/v1/tokens", headers=_bearer(plain)).status_code == 200
    response = client.post_form(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 303
    with WebClient(client.app, client.settings) as other:  # type: ignore[arg-type]
        assert other.get("/api/v1/tokens", headers=_bearer(plain)).status_code == 401


def test_tokens_api_lifecycle(client: WebClient, make, db: Session) -> None:
    user = make.user()
    _row, plain = create_api_token(db, user, "bootstrap")
    created = client.post("/api/v1/tokens", json={"name": "ci"}, headers=_bearer(plain))
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith(body["prefix"])
    assert body["name"] == "ci"
    listing = client.get("/api/v1/tokens", headers=_bearer(plain)).json()
    assert listing["total"] == 2
    assert {t["name"] for t in listing["items"]} == {"bootstrap", "ci"}
    assert all("token" not in t for t in listing["items"])
    assert client.delete(f"/api/v1/tokens/{body['id']}", headers=_bearer(plain)).status_code == 204
    assert client.get("/api/v1/tokens", headers=_bearer(body["token"])).status_code == 401
    assert client.delete(f"/api/v1/tokens/{body['id']}", headers=_bearer(plain)).status_code == 404


def test_tokens_api_validation(client: WebClient, make, db: Session) -> None:
    user = make.user()
    _row, plain = create_api_token(db, user, "x")
    db.commit()  # each refused request rolls back to here
    for body in ({}, {"name": ""}, {"name": "n" * 101}, {"name": "ok", "extra": 1}, {"name": 5}):
        response = client.post("/api/v1/tokens", json=body, headers=_bearer(plain))
        assert response.status_code == 422, body
        assert isinstance(response.json()["detail"], list)
    assert client.delete("/api/v1/tokens/0", headers=_bearer(plain)).status_code == 422
    assert client.delete("/api/v1/tokens/99999999999", headers=_bearer(plain)).status_code == 422


def test_another_users_token_cannot_be_seen_or_revoked(client: WebClient, make, db: Session) -> None:
    alice, bob = make.user(), make.user()
    alice_token, alice_plain = create_api_token(db, alice, "alice")
    _b, bob_plain = create_api_token(db, bob, "bob")
    db.commit()
    names = [t["name"] for t in client.get("/api/v1/tokens", headers=_bearer(bob_plain)).json()["items"]]
    assert names == ["bob"]
    assert client.delete(f"/api/v1/tokens/{alice_token.id}", headers=_bearer(bob_plain)).status_code == 404
    assert client.get("/api/v1/tokens", headers=_bearer(alice_plain)).status_code == 200


def test_api_needs_credentials(client: WebClient) -> None:
    response = client.get("/api/v1/tokens")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    for header in ("Bearer", "Bearer ", "Bearer fs_not-a-token", "Basic dXNlcjpwYXNz", "Token abc"):
        assert client.get("/api/v1/tokens", headers={"Authorization": header}).status_code == 401, header


def test_bearer_never_falls_back_to_the_session_cookie(client: WebClient, make, db: Session) -> None:
    make.user(email="both@example.se")
    client.login("both@example.se")
    assert client.get("/api/v1/tokens").status_code == 200, "the session works on its own"
    db.commit()
    response = client.get("/api/v1/tokens", headers=_bearer("fs_wrong"))
    assert response.status_code == 401
    posted = client.post("/api/v1/tokens", json={"name": "x"}, headers=_bearer("fs_wrong"))
    assert posted.status_code == 401, "no CSRF check for bearer requests, and no cookie fallback either"


def test_bearer_scheme_is_case_insensitive(client: WebClient, make, db: Session) -> None:
    user = make.user()
    _row, plain = create_api_token(db, user, "x")
    response = client.post("/api/v1/tokens", json={"name": "lower"}, headers={"Authorization": f"bearer {plain}"})
    assert response.status_code == 201


def test_session_api_writes_need_the_csrf_header(client: WebClient, make, db: Session) -> None:
    make.user(email="browser@example.se")
    client.login("browser@example.se")
    db.commit()
    assert client.post("/api/v1/tokens", json={"name": "x"}).status_code == 403
    assert client.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": "forged"}).status_code == 403
    ok = client.post("/api/v1/tokens", json={"name": "x"}, headers={"X-CSRF-Token": client.csrf()})
    assert ok.status_code == 201


def test_deactivated_users_tokens_stop_working(client: WebClient, make, db: Session) -> None:
    user = make.user()
    _row, plain = create_api_token(db, user, "x")
    user.is_active = False
    db.flush()
    assert client.get("/api/v1/tokens", headers=_bearer(plain)).status_code == 401


def test_token_use_is_recorded(client: WebClient, make, db: Session) -> None:
    user = make.user()
    row, plain = create_api_token(db, user, "x")
    assert row.last_used_at is None
    client.get("/api/v1/tokens", headers=_bearer(plain))
    db.refresh(row)
    assert row.last_used_at is not None
