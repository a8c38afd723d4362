"""The accessibility statement: public, with the parts the DIGG model asks for."""

from tests.support.web import WebClient


def test_statement_is_public_and_complete(client: WebClient) -> None:
    response = client.get("/accessibility", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    text = response.text
    assert "<h1>Accessibility statement</h1>" in text
    for part in ("How accessible is the service?", "Known problems", "Tell us about problems", "Supervision"):
        assert part in text
    assert "2018:1937" in text
    assert 'href="https://www.digg.se/tdosanmalan"' in text
    assert "25 November 2026" in text
    assert "Log out" not in text


def test_statement_is_linked_from_every_page(client: WebClient, make) -> None:
    assert 'href="/accessibility"' in client.get("/login").text
    user = make.user()
    client.login(user.email)
    page = client.get("/accessibility")
    assert page.status_code == 200
    assert user.name in page.text, "the usual header for a signed-in user"
