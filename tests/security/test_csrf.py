"""CSRF details the route matrix does not show: token binding, malformed bodies, HTMX header."""

from app.auth.sessions import ANON_COOKIE, CSRF_HEADER, csrf_token_for
from app.core.config import Settings
from tests.support.web import WebClient


def test_token_is_bound_to_the_session(client: WebClient, make, settings: Settings) -> None:
    make.user(email="bound@example.se")
    anonymous_token = client.csrf()
    client.login("bound@example.se")
    response = client.post("/account/tokens", data={"csrf_token": anonymous_token, "name": "x"})
    assert response.status_code == 403, "the login changes the cookie, so the pre-login token is void"
    assert client.post_form("/account/tokens", {"name": "x"}).status_code == 201


def test_token_from_another_secret_is_refused(client: WebClient, make) -> None:
    make.user(email="secret@example.se")
    client.login("secret@example.se")
    cookie = client.cookies.get("framsteg_session")
    assert cookie
    forged = csrf_token_for("some-other-secret-key-that-is-long-enough", cookie)
    assert client.post("/account/tokens", data={"csrf_token": forged, "name": "x"}).status_code == 403


def test_htmx_header_is_accepted(client: WebClient, make) -> None:
    make.user(email="hx@example.se")
    client.login("hx@example.se")
    response = client.post("/account/tokens", data={"name": "x"}, headers={CSRF_HEADER: client.csrf()})
    assert response.status_code == 201


def test_malformed_form_body_is_refused_not_an_error(client: WebClient) -> None:
    client.get("/login")
    headers = {"Content-Type": "multipart/form-data; boundary=zzz"}
    response = client.post("/login", content=b"--zzz\r\nnot a valid part", headers=headers)
    assert response.status_code == 403
    no_boundary = client.post("/login", content=b"x", headers={"Content-Type": "multipart/form-data"})
    assert no_boundary.status_code == 403


def test_request_without_any_cookie_is_refused(client: WebClient) -> None:
    response = client.post("/login", data={"csrf_token": "anything", "email": "a@b.se", "password": "x"})
    assert response.status_code == 403
    assert client.get("/login").status_code == 200
    assert client.cookies.get(ANON_COOKIE), "reloading the form gives a cookie to bind the token to"


def test_oversized_form_is_refused(client: WebClient) -> None:
    client.get("/login")
    big = {"csrf_token": client.csrf(), "email": "a@b.se", "password": "x" * (21 * 1024 * 1024)}
    assert client.post("/login", data=big).status_code == 403


def test_a_malformed_cookie_of_another_site_part_does_not_void_the_session(client: WebClient, make) -> None:
    # Other applications on the same domain may set cookies a strict parser rejects; the CSRF check and the
    # routes must still read this application's cookies, and agree on them.
    make.user(email="stray@example.se")
    client.login("stray@example.se")
    session = client.cookies.get("framsteg_session")
    token = client.csrf()
    header = f'other_app="unterminated; framsteg_session={session}; weird=a\\b'
    response = client.post("/account/tokens", data={"csrf_token": token, "name": "x"}, headers={"Cookie": header})
    assert response.status_code == 201
