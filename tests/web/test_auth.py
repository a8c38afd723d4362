from app.models.enums import Role
from tests.support.web import WebClient


def test_login_page_is_swedish_by_default(client: WebClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert 'lang="sv"' in response.text
    assert "Content-Security-Policy" in response.headers
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_pages_require_login(client: WebClient) -> None:
    response = client.get("/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/")


def test_wrong_password_is_rejected_and_email_kept(client: WebClient, make) -> None:
    make.user(email="anna@example.se")
    response = client.post_form("/login", {"email": "anna@example.se", "password": "wrong-password"})
    assert response.status_code == 400
    assert 'value="anna@example.se"' in response.text


def test_login_then_home_lists_own_initiative(client: WebClient, make) -> None:
    initiative = make.initiative(title="Kortare handläggningstid")
    user = make.user(Role.MEMBER, initiative, email="team@example.se")
    client.login(user.email)
    response = client.get("/")
    assert response.status_code == 200
    assert "Kortare handläggningstid" in response.text


def test_form_post_without_csrf_token_is_refused(client: WebClient, make) -> None:
    make.user(email="csrf@example.se")
    client.get("/login")
    response = client.post("/login", data={"email": "csrf@example.se", "password": "correct-horse-battery"})
    assert response.status_code == 403


def test_login_is_throttled_after_repeated_failures(client: WebClient, make, settings) -> None:
    make.user(email="slow@example.se")
    for _ in range(settings.login_max_failures):
        client.post_form("/login", {"email": "slow@example.se", "password": "nope-nope-nope"})
    response = client.post_form("/login", {"email": "slow@example.se", "password": "correct-horse-battery"})
    assert response.status_code == 429


def test_logout_ends_the_session(client: WebClient, make) -> None:
    user = make.user(email="bye@example.se")
    client.login(user.email)
    assert client.get("/").status_code == 200
    client.post_form("/logout")
    assert client.get("/").status_code == 303
