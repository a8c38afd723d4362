"""Review pages: form with validation that keeps the input, history, and the follow-up agenda."""

from datetime import date, timedelta

from app.models.enums import Role
from tests.support.web import WebClient


def _form(**kw: str) -> dict[str, str]:
    return {
        "review_date": "2024-03-01",
        "rag": "red",
        "assessment": "Inga nya mätvärden på sex veckor.",
        "decision": "Enhetschefen ser över bemanningen.",
        "next_review_on": "2024-03-29",
        "status": "",
        **kw,
    }


def test_leader_records_review_via_form(client: WebClient, make) -> None:
    initiative = make.initiative(title="Trygg hemtjänst")
    leader = make.user(Role.LEADER, initiative.organisation)
    client.login(leader.email)
    page = client.get(f"/initiatives/{initiative.id}/reviews/new")
    assert page.status_code == 200
    assert 'name="rag"' in page.text
    assert "Trygg hemtjänst" in page.text
    response = client.post_form(f"/initiatives/{initiative.id}/reviews", _form(next="/reviews/due"))
    assert response.status_code == 303
    assert response.headers["location"] == "/reviews/due"
    history = client.get(f"/initiatives/{initiative.id}/reviews")
    assert "Enhetschefen ser över bemanningen." in history.text
    assert initiative.rag == "red"


def test_invalid_form_is_422_and_keeps_input(client: WebClient, make) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, initiative.organisation)
    client.login(leader.email)
    response = client.post_form(
        f"/initiatives/{initiative.id}/reviews", _form(rag="", next_review_on="2024-01-01", decision="Behåll")
    )
    assert response.status_code == 422
    assert "Behåll" in response.text
    assert 'id="rag-error"' in response.text
    response = client.post_form(f"/initiatives/{initiative.id}/reviews", _form(next_review_on="2024-01-01"))
    assert response.status_code == 422
    assert 'id="next_review_on-error"' in response.text
    assert 'value="2024-01-01"' in response.text


def test_htmx_errors_swap_form_partial_and_success_redirects(client: WebClient, make) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, initiative.organisation)
    client.login(leader.email)
    url = f"/initiatives/{initiative.id}/reviews"
    bad = client.htmx("POST", url, data=_form(review_date="not a date"))
    assert bad.status_code == 422
    assert bad.text.lstrip().startswith('<div id="review-form"')
    good = client.htmx("POST", url, data=_form())
    assert good.status_code == 200
    assert good.headers["HX-Redirect"] == f"/initiatives/{initiative.id}"


def test_personal_number_warning_offers_confirmation(client: WebClient, make) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, initiative.organisation)
    client.login(leader.email)
    url = f"/initiatives/{initiative.id}/reviews"
    response = client.post_form(url, _form(assessment="Brukare 19121212-1212"))
    assert response.status_code == 422
    assert 'name="confirm_personal_data"' in response.text
    confirmed = client.post_form(url, _form(assessment="Brukare 19121212-1212", confirm_personal_data="true"))
    assert confirmed.status_code == 303


def test_viewer_cannot_open_form_stranger_gets_404(client: WebClient, make) -> None:
    initiative = make.initiative()
    viewer = make.user(Role.VIEWER, initiative.organisation)
    client.login(viewer.email)
    assert client.get(f"/initiatives/{initiative.id}/reviews/new").status_code == 403
    assert client.post_form(f"/initiatives/{initiative.id}/reviews", _form()).status_code == 403
    assert client.get(f"/initiatives/{initiative.id}/reviews").status_code == 200
    stranger = make.user(Role.LEADER, make.organisation())
    client.login(stranger.email)
    assert client.get(f"/initiatives/{initiative.id}/reviews/new").status_code == 404
    assert client.get("/initiatives/abc/reviews").status_code == 422


def test_due_agenda_lists_overdue_and_never_reviewed(client: WebClient, make) -> None:
    program = make.program()
    org = make.organisation(program)
    never = make.initiative(org, program, title="Aldrig granskad")
    overdue = make.initiative(org, program, title="Försenad uppföljning")
    leader = make.user(Role.LEADER, org)
    client.login(leader.email)
    yesterday = date.today() - timedelta(days=1)
    client.post_form(
        f"/initiatives/{overdue.id}/reviews",
        _form(review_date=(yesterday - timedelta(days=30)).isoformat(), next_review_on=yesterday.isoformat()),
    )
    page = client.get("/reviews/due?within=7")
    assert page.status_code == 200
    assert never.title in page.text
    assert overdue.title in page.text
    assert client.get("/reviews/due?within=-3").status_code == 422


def test_hostile_next_and_nul_input_do_not_break_the_form(client: WebClient, make) -> None:
    initiative = make.initiative()
    leader = make.user(Role.LEADER, initiative.organisation)
    client.login(leader.email)
    url = f"/initiatives/{initiative.id}/reviews"
    away = client.post_form(url, _form(next="https://evil.example/steal"))
    assert away.status_code == 303
    assert away.headers["location"] == "/"
    nul = client.post_form(url, _form(decision="Beslut\u0000"))
    assert nul.status_code == 422
    odd = client.post_form(url, _form(next="/dash\u0000board"))
    assert odd.status_code == 303
    assert odd.headers["location"] == f"/initiatives/{initiative.id}"
