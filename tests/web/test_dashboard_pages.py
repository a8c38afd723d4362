"""Dashboard pages: leader's own organisation, choice for coordinators, HTMX table, filters as links."""

from app.core.i18n import _
from app.models.enums import Role
from tests.support.web import WebClient


def test_leader_sees_own_organisation_table(client: WebClient, make) -> None:
    program = make.program()
    org = make.organisation(program, name="Falkenbergs kommun, Socialförvaltningen")
    red = make.initiative(org, program, title="Utevistelse på äldreboende", rag="red")
    measure = make.measure(red, baseline=20, target=10)
    for week, value in enumerate([18, 17, 16, 15], start=1):
        make.measurement(measure, f"2024-W{week:02d}", value)
    make.initiative(org, program, title="Trygg hemtjänst", rag="green")
    make.initiative(title="Annan kommuns arbete")
    leader = make.user(Role.LEADER, org)
    client.login(leader.email)
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Utevistelse på äldreboende" in page.text
    assert "Trygg hemtjänst" in page.text
    assert "Annan kommuns arbete" not in page.text
    assert 'href="/initiatives/' in page.text
    assert "<svg" in page.text  # sparkline
    assert _("No new values") in page.text  # the 2024 data is old: stale
    assert f"/initiatives/{red.id}/reviews/new?next=" in page.text


def test_filter_by_rag_returns_partial_for_htmx_and_full_page_otherwise(client: WebClient, make) -> None:
    program = make.program()
    org = make.organisation(program)
    make.initiative(org, program, title="Rött arbete", rag="red")
    make.initiative(org, program, title="Grönt arbete", rag="green")
    viewer = make.user(Role.VIEWER, org)
    client.login(viewer.email)
    full = client.get("/dashboard?rag=red")
    assert full.status_code == 200
    assert "<html" in full.text
    assert "Rött arbete" in full.text
    assert "Grönt arbete" not in full.text
    partial = client.htmx("GET", "/dashboard?rag=red&sort=title&dir=desc")
    assert partial.status_code == 200
    assert partial.text.lstrip().startswith('<div id="dashboard-table"')
    assert "Grönt arbete" not in partial.text
    assert 'name="sort" value="title"' in partial.text
    assert "/reviews/new" not in partial.text  # a viewer may not review
    tolerant = client.get("/dashboard?rag=%00&sort=' OR 1=1&stale=x" + "y" * 100)
    assert tolerant.status_code == 200


def test_coordinator_chooses_organisation(client: WebClient, make) -> None:
    program = make.program()
    org = make.organisation(program, name="Ånge kommun")
    make.initiative(org, program, title="Kontinuitet i hemtjänsten")
    hidden = make.organisation(make.program(), name="Hemlig kommun")
    coordinator = make.user(Role.COORDINATOR, program)
    client.login(coordinator.email)
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert f'href="/organisations/{org.id}/dashboard"' in page.text
    assert "Hemlig kommun" not in page.text
    board = client.get(f"/organisations/{org.id}/dashboard")
    assert board.status_code == 200
    assert "Kontinuitet i hemtjänsten" in board.text
    assert client.get(f"/organisations/{hidden.id}/dashboard").status_code == 404
    assert client.get("/organisations/999999999999/dashboard").status_code == 422
