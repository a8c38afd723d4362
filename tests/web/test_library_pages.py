"""Measure library pages: list, new standard measure, new version, adoption, comparison."""

from typing import Any

from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.models import Measure
from app.models.enums import Role
from app.services import library
from app.services.library import DefinitionData
from tests.support.web import WebClient

FORM = {
    "name": "Andel brukare med aktuell genomförandeplan",
    "kind": "process",
    "data_type": "proportion",
    "unit": "%",
    "definition": "Täljare: brukare med uppföljd plan. Nämnare: alla brukare med insats.",
    "direction": "increase",
    "frequency": "month",
    "chart": "p",
    "rate_multiplier": "",
}


def _library_measure(db: Session, make: Any, program: Any, **kw: Any) -> Any:
    admin = Principal.of(make.user(admin=True))
    data = DefinitionData(**{**{k: v for k, v in FORM.items() if k != "rate_multiplier"}, **kw})
    return library.create_library_measure(db, admin, program_id=program.id, data=data)


def test_coordinator_adds_a_standard_measure_through_the_form(client: WebClient, make: Any) -> None:
    program = make.program()
    coordinator = make.user(Role.COORDINATOR, program)
    client.login(coordinator.email)
    page = client.get(f"/programs/{program.id}/library")
    assert page.status_code == 200
    assert f'href="/programs/{program.id}/library/new"' in page.text
    assert client.get(f"/programs/{program.id}/library/new").status_code == 200
    response = client.post_form(f"/programs/{program.id}/library/new", FORM)
    assert response.status_code == 303
    detail = client.get(response.headers["location"])
    assert FORM["name"] in detail.text
    assert "Täljare: brukare med uppföljd plan." in detail.text


def test_invalid_form_keeps_input_and_marks_fields(client: WebClient, make: Any) -> None:
    program = make.program()
    client.login(make.user(Role.COORDINATOR, program).email)
    response = client.post_form(
        f"/programs/{program.id}/library/new", {**FORM, "definition": "", "rate_multiplier": "många"}
    )
    assert response.status_code == 422
    assert 'id="definition-error"' in response.text
    assert 'id="rate_multiplier-error"' in response.text
    assert FORM["name"] in response.text
    htmx = client.htmx("POST", f"/programs/{program.id}/library/new", data={**FORM, "name": ""})
    assert htmx.status_code == 422
    assert htmx.text.lstrip().startswith('<div id="library-form"')


def test_team_member_may_not_add_to_the_library(client: WebClient, make: Any) -> None:
    initiative = make.initiative()
    client.login(make.user(Role.MEMBER, initiative).email)
    assert client.get(f"/programs/{initiative.program_id}/library").status_code == 200
    assert client.get(f"/programs/{initiative.program_id}/library/new").status_code == 403
    assert client.post_form(f"/programs/{initiative.program_id}/library/new", FORM).status_code == 403


def test_stranger_gets_not_found(client: WebClient, make: Any, db: Session) -> None:
    program = make.program()
    item = _library_measure(db, make, program)
    client.login(make.user(Role.COORDINATOR, make.program()).email)
    for url in (
        f"/programs/{program.id}/library",
        f"/programs/{program.id}/library/{item.id}",
        f"/programs/{program.id}/library/{item.id}/compare",
        f"/programs/{program.id}/library/{item.id}/edit",
    ):
        assert client.get(url).status_code == 404, url


def test_new_version_through_the_form_and_stale_version(client: WebClient, make: Any, db: Session) -> None:
    program = make.program()
    item = _library_measure(db, make, program)
    client.login(make.user(Role.COORDINATOR, program).email)
    url = f"/programs/{program.id}/library/{item.id}/edit"
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="change_note"' in form.text
    changed = {**FORM, "definition": FORM["definition"] + " Ny mening.", "version": str(item.version)}
    missing_note = client.post_form(url, changed)
    assert missing_note.status_code == 422
    assert 'id="change_note-error"' in missing_note.text
    saved = client.post_form(url, {**changed, "change_note": "Förtydligat."})
    assert saved.status_code == 303
    assert item.current_number == 2
    stale = client.post_form(url, {**changed, "definition": "Annan text.", "change_note": "x", "version": "1"})
    assert stale.status_code == 409
    assert "Annan text." in stale.text


def test_member_adopts_and_moves_to_the_newest_version(client: WebClient, make: Any, db: Session) -> None:
    initiative = make.initiative()
    item = _library_measure(db, make, initiative.program)
    client.login(make.user(Role.MEMBER, initiative).email)
    panel = client.get(f"/initiatives/{initiative.id}/library")
    assert panel.status_code == 200
    assert FORM["name"] in panel.text
    adopted = client.post_form(
        f"/initiatives/{initiative.id}/library/adopt", {"library_measure_id": str(item.id), "next": "//evil.example"}
    )
    assert adopted.status_code == 303
    assert adopted.headers["location"] == "/"
    measure = db.query(Measure).filter(Measure.initiative_id == initiative.id).one()
    assert measure.library_version_id == item.current.id
    assert (
        client.post_form(
            f"/initiatives/{initiative.id}/library/adopt", {"library_measure_id": str(item.id)}
        ).status_code
        == 409
    )
    assert (
        client.post_form(f"/initiatives/{initiative.id}/library/adopt", {"library_measure_id": "x"}).status_code == 422
    )

    library.update_library_measure(
        db,
        Principal.of(make.user(admin=True)),
        library_measure_id=item.id,
        version=item.version,
        changes={"definition": "Version två."},
        change_note="Kortare.",
    )
    measure_page = client.get(f"/measures/{measure.id}")
    assert f'hx-get="/measures/{measure.id}/library"' in measure_page.text  # the notice loads into the page
    notice = client.get(f"/measures/{measure.id}/library")
    assert "badge version-old" in notice.text
    assert f'action="/measures/{measure.id}/library/upgrade"' in notice.text
    assert "Kortare." in notice.text
    moved = client.post_form(
        f"/measures/{measure.id}/library/upgrade", {"version": str(measure.version), "next": f"/measures/{measure.id}"}
    )
    assert moved.status_code == 303
    assert measure.definition == "Version två."
    assert "badge version-ok" in client.get(f"/measures/{measure.id}/library").text


def test_notice_is_empty_for_other_measures(client: WebClient, make: Any) -> None:
    initiative = make.initiative()
    measure = make.measure(initiative)
    client.login(make.user(Role.MEMBER, initiative).email)
    response = client.get(f"/measures/{measure.id}/library")
    assert response.status_code == 200
    assert response.text.strip() == ""
    assert "/library" not in client.get(f"/measures/{measure.id}").text


def test_comparison_page_shows_the_funnel_table_and_charts(client: WebClient, make: Any, db: Session) -> None:
    program = make.program()
    item = _library_measure(db, make, program)
    admin = Principal.of(make.user(admin=True))
    for name, numerator in (("Ankeby", 9), ("Bergsjö", 2)):
        org = make.organisation(program, name=f"{name} kommun", municipality=name)
        initiative = make.initiative(organisation=org, program=program)
        measure = library.adopt(db, admin, initiative_id=initiative.id, library_measure_id=item.id).measure
        make.measurement(measure, "2024-05", numerator * 10.0, numerator=numerator, denominator=10)
    client.login(make.user(Role.COORDINATOR, program).email)
    page = client.get(f"/programs/{program.id}/library/{item.id}/compare")
    assert page.status_code == 200
    assert page.text.count('class="framsteg-chart"') == 3  # the funnel plot and two small multiples
    assert 'class="funnel-table"' in page.text
    assert "Ankeby kommun" in page.text
    assert client.get(f"/programs/{program.id}/library/{item.id}/compare?periods=6").status_code == 200
    assert client.get(f"/programs/{program.id}/library/{item.id}/compare?periods=0").status_code == 422
    assert client.get(f"/programs/{program.id}/library/{item.id}/compare?periods=abc").status_code == 422
    assert client.get(f"/programs/{program.id}/library/{item.id}/compare?periods=25").status_code == 422
