"""Sessions: cookie flags, id rotation, idle and absolute expiry, logout everywhere on password change."""

from datetime import timedelta

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.auth import sessions
from app.auth.sessions import SESSION_COOKIE
from app.core.config import Settings, get_settings
from app.main import create_app
from app.models import UserSession
from app.models.base import utcnow
from app.web.deps import get_db
from tests.support.web import PASSWORD, WebClient, cache_reader


def _session_row(db: Session, token: str) -> UserSession | None:
    return db.scalar(select(UserSession).where(UserSession.token_hash == sessions._digest(token)))


def test_session_cookie_is_httponly_and_samesite_lax(client: WebClient, make) -> None:
    make.user(email="flags@example.se")
    response = client.login("flags@example.se")
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
    assert {"httponly", "samesite", "path", "max-age"} <= attributes
    assert "samesite=lax" in cookie.lower()
    assert "secure" not in attributes  # the test settings serve plain http


def test_cookies_are_secure_when_configured(db: Session, settings: Settings, make) -> None:
    secure = settings.model_copy(update={"secure_cookies": True})
    app: FastAPI = create_app(secure, cache_reader=cache_reader(lambda: db))

    def override_db():  # type: ignore[no-untyped-def]
        yield db
        db.commit()

    app.dependency_overrides[get_db] = override_db
    app.dependency_overrides[get_settings] = lambda: secure
    make.user(email="secure@example.se")
    with WebClient(app, secure) as c:
        anon = c.get("/login")
        assert "secure" in anon.headers["set-cookie"].lower()
        assert anon.headers["strict-transport-security"].startswith("max-age=")
        # httpx does not send Secure cookies over http; hand over the anonymous cookie explicitly.
        token = c.csrf()
        response = c.post(
            "/login",
            data={"csrf_token": token, "email": "secure@example.se", "password": PASSWORD},
            headers={"cookie": f"{sessions.ANON_COOKIE}={c.cookies[sessions.ANON_COOKIE]}"},
        )
        assert response.status_code == 303
        for cookie in response.headers.get_list("set-cookie"):
            assert "; secure" in cookie.lower(), cookie


def test_login_rotates_the_session_id(client: WebClient, db: Session, make) -> None:
    make.user(email="rotate@example.se")
    client.login("rotate@example.se")
    first = client.cookies[SESSION_COOKIE]
    client.login("rotate@example.se")
    second = client.cookies[SESSION_COOKIE]
    assert first != second
    assert _session_row(db, first) is None, "the previous session must be closed at login"
    assert _session_row(db, second) is not None


def test_a_planted_session_id_is_not_adopted(client: WebClient, make) -> None:
    make.user(email="plant@example.se")
    client.cookies.set(SESSION_COOKIE, "attacker-chosen-value")
    response = client.login("plant@example.se")
    issued = next(c for c in response.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE + "="))
    assert "attacker-chosen-value" not in issued


def test_idle_session_expires(client: WebClient, db: Session, settings: Settings, make) -> None:
    make.user(email="idle@example.se")
    client.login("idle@example.se")
    token = client.cookies[SESSION_COOKIE]
    assert client.get("/").status_code == 200
    db.execute(
        update(UserSession)
        .where(UserSession.token_hash == sessions._digest(token))
        .values(last_seen_at=utcnow() - timedelta(minutes=settings.session_idle_minutes + 1))
    )
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_activity_keeps_a_session_alive(client: WebClient, db: Session, settings: Settings, make) -> None:
    make.user(email="busy@example.se")
    client.login("busy@example.se")
    token = client.cookies[SESSION_COOKIE]
    almost_idle = utcnow() - timedelta(minutes=settings.session_idle_minutes - 1)
    db.execute(
        update(UserSession).where(UserSession.token_hash == sessions._digest(token)).values(last_seen_at=almost_idle)
    )
    assert client.get("/").status_code == 200
    row = _session_row(db, token)
    assert row is not None
    db.refresh(row)
    assert row.last_seen_at > almost_idle + timedelta(minutes=1)


def test_absolute_session_lifetime(client: WebClient, db: Session, make) -> None:
    make.user(email="old@example.se")
    client.login("old@example.se")
    token = client.cookies[SESSION_COOKIE]
    # Active a moment ago, but opened longer ago than the maximum lifetime.
    db.execute(
        update(UserSession)
        .where(UserSession.token_hash == sessions._digest(token))
        .values(expires_at=utcnow() - timedelta(seconds=1), last_seen_at=utcnow())
    )
    assert client.get("/").status_code == 303


def test_session_lifetime_is_set_from_settings(client: WebClient, db: Session, settings: Settings, make) -> None:
    make.user(email="life@example.se")
    client.login("life@example.se")
    row = _session_row(db, client.cookies[SESSION_COOKIE])
    assert row is not None
    lifetime = row.expires_at - row.created_at
    assert abs(lifetime - timedelta(minutes=settings.session_max_age_minutes)) < timedelta(seconds=5)


def test_logout_closes_the_session_server_side(client: WebClient, db: Session, make) -> None:
    make.user(email="out@example.se")
    client.login("out@example.se")
    token = client.cookies[SESSION_COOKIE]
    client.post_form("/logout")
    assert _session_row(db, token) is None
    # Replaying the old cookie does not work either.
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get("/").status_code == 303


def test_password_change_logs_out_every_other_session(app: FastAPI, settings: Settings, db: Session, make) -> None:
    make.user(email="change@example.se")
    with WebClient(app, settings) as laptop, WebClient(app, settings) as phone:
        laptop.login("change@example.se")
        phone.login("change@example.se")
        old_laptop_token = laptop.cookies[SESSION_COOKIE]
        response = laptop.post_form(
            "/account/password",
            {
                "current_password": PASSWORD,
                "new_password": "a-new-long-password-42",
                "confirm_password": "a-new-long-password-42",
            },
        )
        assert response.status_code == 200
        assert laptop.cookies[SESSION_COOKIE] != old_laptop_token, "the session id changes with the password"
        assert laptop.get("/account").status_code == 200
        assert phone.get("/account").status_code == 303
        assert _session_row(db, old_laptop_token) is None
    with WebClient(app, settings) as fresh:
        fresh.login("change@example.se", "a-new-long-password-42")


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (
            {
                "current_password": "wrong-password-1",
                "new_password": "good-new-password",
                "confirm_password": "good-new-password",
            },
            "current_password",
        ),
        ({"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"}, "new_password"),
        (
            {
                "current_password": PASSWORD,
                "new_password": "good-new-password",
                "confirm_password": "other-new-password",
            },
            "confirm_password",
        ),
        ({"current_password": PASSWORD, "new_password": "x" * 5000, "confirm_password": "x" * 5000}, "new_password"),
    ],
)
def test_password_change_errors_are_shown_next_to_the_field(
    client: WebClient, db: Session, make, form: dict[str, str], field: str
) -> None:
    make.user(email=f"err-{field}@example.se")
    client.login(f"err-{field}@example.se")
    token = client.cookies[SESSION_COOKIE]
    response = client.post_form("/account/password", form)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert _session_row(db, token) is not None, "a failed change does not log anyone out"


def test_deactivated_user_loses_access(client: WebClient, db: Session, make) -> None:
    user = make.user(email="gone@example.se")
    client.login("gone@example.se")
    user.is_active = False
    db.flush()
    assert client.get("/").status_code == 303
