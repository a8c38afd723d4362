"""Login throttling: 5 failures per 15 minutes per account, 20 per address, with a clear message."""

from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.auth.sessions import address_limit
from app.core.config import Settings
from app.models import LoginAttempt
from app.models.base import utcnow
from tests.support.web import PASSWORD, WebClient


def _fail(client: WebClient, email: str, times: int) -> None:
    for _ in range(times):
        response = client.post_form("/login", {"email": email, "password": "wrong-password-000"})
        assert response.status_code == 400


def test_account_is_throttled_after_five_failures(client: WebClient, make, settings: Settings) -> None:
    assert settings.login_max_failures == 5
    assert settings.login_window_minutes == 15
    make.user(email="victim@example.se")
    _fail(client, "victim@example.se", 5)
    response = client.post_form("/login", {"email": "victim@example.se", "password": PASSWORD})
    assert response.status_code == 429
    assert "Retry-After" in response.headers
    assert "15" in response.text
    assert 'value="victim@example.se"' in response.text


def test_throttle_message_in_swedish_and_english(client: WebClient, make) -> None:
    make.user(email="lang@example.se")
    _fail(client, "lang@example.se", 5)
    english = client.post_form(
        "/login", {"email": "lang@example.se", "password": PASSWORD}, headers={"Accept-Language": "en"}
    )
    assert "Too many failed attempts" in english.text
    swedish = client.post_form(
        "/login", {"email": "lang@example.se", "password": PASSWORD}, headers={"Accept-Language": "sv"}
    )
    assert swedish.status_code == 429
    assert 'lang="sv"' in swedish.text


def test_four_failures_do_not_lock_and_success_resets(client: WebClient, make) -> None:
    make.user(email="forgetful@example.se")
    _fail(client, "forgetful@example.se", 4)
    client.login("forgetful@example.se")
    client.post_form("/logout")
    _fail(client, "forgetful@example.se", 4)
    client.login("forgetful@example.se")


def test_throttle_is_per_account(client: WebClient, make) -> None:
    make.user(email="locked@example.se")
    make.user(email="other@example.se")
    _fail(client, "locked@example.se", 5)
    client.login("other@example.se")


def test_old_failures_leave_the_window(client: WebClient, db: Session, make, settings: Settings) -> None:
    make.user(email="patient@example.se")
    _fail(client, "patient@example.se", 5)
    db.execute(
        update(LoginAttempt)
        .where(LoginAttempt.email == "patient@example.se")
        .values(at=utcnow() - timedelta(minutes=settings.login_window_minutes, seconds=1))
    )
    client.login("patient@example.se")


def test_address_is_throttled_after_twenty_failures(client: WebClient, make, settings: Settings) -> None:
    assert address_limit(settings) == 20
    make.user(email="innocent@example.se")
    for n in range(20):  # spread over many accounts, so no single account reaches its limit
        _fail(client, f"guess{n % 5}-{n // 5}@example.se", 1)
    response = client.post_form("/login", {"email": "innocent@example.se", "password": PASSWORD})
    assert response.status_code == 429


def test_unknown_email_counts_like_a_wrong_password(client: WebClient) -> None:
    _fail(client, "nobody@example.se", 5)
    response = client.post_form("/login", {"email": "nobody@example.se", "password": "x"})
    assert response.status_code == 429


def test_absurd_input_is_a_failed_login_not_an_error(client: WebClient, make) -> None:
    make.user(email="long@example.se")
    for data in (
        {"email": "a" * 5000 + "@example.se", "password": "x"},
        {"email": "long@example.se", "password": "p" * 100_000},
        {"email": "", "password": ""},
        {"email": "\x00\u202e@example.se", "password": "\x00"},
    ):
        response = client.post_form("/login", data)
        assert response.status_code == 400, data["email"][:20]
    client.login("long@example.se")
