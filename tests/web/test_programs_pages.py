"""Programme pages: list, overview with silent teams and table, lessons search with Swedish letters."""

from datetime import date

import pytest
from sqlalchemy.orm import Session

from app.core.i18n import _
from app.models import Lesson
from app.models.enums import Role
from app.services import dashboard as dashboard_service
from tests.support.web import WebClient


def test_program_list_and_overview_for_coordinator(client: WebClient, make) -> None:
    program = make.program(name="Leda för Resultat IV")
    north = make.organisation(program, name="Norrby kommun")
    silent = make.initiative(north, program, title="Tyst team", rag="red")
    make.measurement(make.measure(silent), "2023-W10", 4)
    make.initiative(make.organisation(program, name="Söderby kommun"), program, title="Aktivt team", rag="green")
    make.program(name="Hemligt program")
    coordinator = make.user(Role.COORDINATOR, program)
    client.login(coordinator.email)
    listing = client.get("/programs")
    assert listing.status_code == 200
    assert "Leda för Resultat IV" in listing.text
    assert "Hemligt program" not in listing.text
    page = client.get(f"/programs/{program.id}")
    assert page.status_code == 200
    for text in ("Norrby kommun", "Söderby kommun", "Tyst team", "Aktivt team", _("No new values")):
        assert text in page.text
    table = client.htmx("GET", f"/programs/{program.id}?rag=green")
    assert table.text.lstrip().startswith('<div id="dashboard-table"')
    assert "Aktivt team" in table.text
    assert "Tyst team" not in table.text


def test_table_swaps_do_not_compute_the_overview(client: WebClient, make, monkeypatch: pytest.MonkeyPatch) -> None:
    program = make.program()
    make.initiative(program=program, title="Aktivt team")
    client.login(make.user(Role.COORDINATOR, program).email)

    def not_needed(*args: object, **kwargs: object) -> None:
        raise AssertionError("the overview is not shown in a table swap")

    monkeypatch.setattr(dashboard_service, "program_overview", not_needed)
    table = client.htmx("GET", f"/programs/{program.id}?sort=title")
    assert table.status_code == 200
    assert "Aktivt team" in table.text
    assert client.htmx("GET", f"/programs/{make.program().id}?sort=title").status_code == 404


def test_viewer_sees_only_own_organisation_in_programme(client: WebClient, make) -> None:
    program = make.program()
    mine = make.initiative(program=program, title="Vårt arbete")
    make.initiative(program=program, title="Någon annans arbete")
    viewer = make.user(Role.VIEWER, mine.organisation)
    client.login(viewer.email)
    page = client.get(f"/programs/{program.id}")
    assert page.status_code == 200
    assert "Vårt arbete" in page.text
    assert "Någon annans arbete" not in page.text
    assert client.get(f"/programs/{make.program().id}").status_code == 404
    assert client.get("/programs/0").status_code == 422


def test_lessons_search_page(client: WebClient, db: Session, make) -> None:
    program = make.program()
    initiative = make.initiative(program=program, title="Utevistelse")
    for text, tags in (("Öppna jämförelser gav oss ett utgångsläge", ["Mätning"]), ("Brukarna vet bäst", [])):
        db.add(Lesson(initiative_id=initiative.id, text=text, tags=tags, lesson_date=date(2024, 5, 1)))
    db.flush()
    coordinator = make.user(Role.COORDINATOR, program)
    client.login(coordinator.email)
    page = client.get(f"/programs/{program.id}/lessons", params={"q": "ÖPPNA"})
    assert page.status_code == 200
    assert "Öppna jämförelser gav oss ett utgångsläge" in page.text
    assert "Brukarna vet bäst" not in page.text
    partial = client.htmx("GET", f"/programs/{program.id}/lessons", params={"q": "mätning"})
    assert partial.text.lstrip().startswith('<div id="lesson-results"')
    assert "Öppna jämförelser" in partial.text
    everything = client.get(f"/programs/{program.id}/lessons")
    assert "Brukarna vet bäst" in everything.text
    assert client.get(f"/programs/{program.id}/lessons", params={"q": "x" * 300}).status_code == 422
    assert client.get(f"/programs/{program.id}/lessons?offset=-1").status_code == 422
