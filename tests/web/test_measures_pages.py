"""Measure pages: the create/edit forms, the measure page and bulk import."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models import Initiative, Measure, Measurement, User
from app.models.enums import Role
from tests.support.web import WebClient

FORM = {
    "name": "Väntetid till första besök",
    "kind": "outcome",
    "data_type": "value",
    "definition": "Dagar från ansökan till första besöket, median per vecka; enhetschefen räknar på måndagar.",
    "direction": "decrease",
    "frequency": "week",
    "unit": "dagar",
    "baseline": "21,5",
    "target": "14",
    "target_date": "",
    "chart": "auto",
    "freeze": "",
    "rate_multiplier": "",
}


@pytest.fixture
def initiative(make: Any) -> Initiative:
    return make.initiative(title="Snabbare hemtjänst")  # type: ignore[no-any-return]


@pytest.fixture
def member(client: WebClient, make: Any, initiative: Initiative) -> User:
    user: User = make.user(Role.MEMBER, initiative)
    client.login(user.email)
    return user


@pytest.fixture
def measure(db: Session, make: Any, initiative: Initiative) -> Measure:
    created: Measure = make.measure(initiative, name="Kontinuitet", baseline=21.0, target=14.0, unit="personer")
    for k, value in enumerate([21, 20, 19, 19, 17, 16, 16, 15], start=1):
        make.measurement(created, f"2024-W{k:02d}", value)
    db.commit()
    return created


def test_new_measure_form_and_create(client: WebClient, member: User, initiative: Initiative, db: Session) -> None:
    page = client.get(f"/initiatives/{initiative.id}/measures/new")
    assert page.status_code == 200
    assert 'name="definition"' in page.text
    response = client.post_form(f"/initiatives/{initiative.id}/measures/new", FORM)
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    created = db.get(Measure, int(location.split("/")[2].split("?")[0]))
    assert created is not None
    assert created.baseline == 21.5
    assert created.definition.startswith("Dagar")
    assert client.get(location).status_code == 200


def test_missing_definition_keeps_input_and_explains(client: WebClient, member: User, initiative: Initiative) -> None:
    response = client.post_form(f"/initiatives/{initiative.id}/measures/new", {**FORM, "definition": "  "})
    assert response.status_code == 422
    assert "Väntetid till första besök" in response.text  # input kept
    assert 'id="definition-error"' in response.text
    assert 'aria-invalid="true"' in response.text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"baseline": "abc"}, "baseline"),
        ({"freeze": "1"}, "freeze"),
        ({"data_type": "rate", "rate_multiplier": "0"}, "rate_multiplier"),
        ({"chart": "p"}, "chart"),
        ({"kind": ""}, "kind"),
        ({"target_date": "31/12"}, "target_date"),
        ({"name": "Väntetid\x07"}, "name"),
    ],
)
def test_form_errors_are_next_to_the_field(
    client: WebClient, member: User, initiative: Initiative, change: dict[str, str], field: str
) -> None:
    response = client.post_form(f"/initiatives/{initiative.id}/measures/new", {**FORM, **change})
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text


def test_personal_number_needs_confirmation(client: WebClient, member: User, initiative: Initiative) -> None:
    data = {**FORM, "definition": "Räkna brukare, t.ex. 19121212-1212."}
    response = client.post_form(f"/initiatives/{initiative.id}/measures/new", data)
    assert response.status_code == 422
    assert 'name="confirm_personal_data"' in response.text
    confirmed = client.post_form(
        f"/initiatives/{initiative.id}/measures/new", {**data, "confirm_personal_data": "true"}
    )
    assert confirmed.status_code == 303


def test_viewer_cannot_open_the_form(client: WebClient, make: Any, initiative: Initiative) -> None:
    viewer = make.user(Role.VIEWER, initiative.organisation)
    client.login(viewer.email)
    assert client.get(f"/initiatives/{initiative.id}/measures/new").status_code == 403
    stranger = make.user()
    client.login(stranger.email)
    assert client.get(f"/initiatives/{initiative.id}/measures/new").status_code == 404


def test_edit_and_stale_edit_shows_both_versions(
    client: WebClient, member: User, measure: Measure, db: Session
) -> None:
    page = client.get(f"/measures/{measure.id}/edit")
    assert page.status_code == 200
    assert 'value="Kontinuitet"' in page.text
    form = {**FORM, "name": "Kontinuitet i hemtjänsten", "unit": "personer", "version": str(measure.version)}
    saved = client.post_form(f"/measures/{measure.id}/edit", form)
    assert saved.status_code == 303
    assert measure.name == "Kontinuitet i hemtjänsten"
    stale = client.post_form(f"/measures/{measure.id}/edit", {**form, "name": "Mitt namn", "version": "1"})
    assert stale.status_code == 409
    assert "Mitt namn" in stale.text  # the user's input is kept
    assert "Kontinuitet i hemtjänsten" in stale.text  # and their version is shown
    assert f'name="version" value="{measure.version}"' in stale.text
    again = client.post_form(
        f"/measures/{measure.id}/edit", {**form, "name": "Mitt namn", "version": str(measure.version)}
    )
    assert again.status_code == 303
    assert measure.name == "Mitt namn"


def test_measure_page_has_chart_table_and_history(
    client: WebClient, member: User, measure: Measure, db: Session
) -> None:
    client.post_form(
        f"/log/{measure.id}", {"week": "2024-W09", "period": "2024-W09", "value": "14", "comment": "Ny rutin"}
    )
    page = client.get(f"/measures/{measure.id}")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert 'class="framsteg-chart"' in page.text
    assert "<table" in page.text
    assert "Ny rutin" in page.text
    assert member.name in page.text  # who changed the value
    assert "1 change" in page.text or "1 ändring" in page.text


def test_analysis_options_swap_the_partial(client: WebClient, member: User, measure: Measure) -> None:
    response = client.get(f"/measures/{measure.id}?rules=mdc&chart=i", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="analysis"')
    assert "<html" not in response.text
    assert 'value="mdc" selected' in response.text
    bad = client.get(f"/measures/{measure.id}?chart=xbar")
    assert bad.status_code == 422
    # A chart type that does not fit the data falls back to the measure's own chart.
    assert client.get(f"/measures/{measure.id}?chart=p").status_code == 200


def test_viewer_sees_measure_without_edit_links(client: WebClient, make: Any, measure: Measure) -> None:
    viewer = make.user(Role.VIEWER, measure.initiative.organisation)
    client.login(viewer.email)
    page = client.get(f"/measures/{measure.id}")
    assert page.status_code == 200
    assert f"/measures/{measure.id}/edit" not in page.text
    assert client.post_form(f"/measures/{measure.id}/delete").status_code == 403


def test_delete_measure(client: WebClient, member: User, measure: Measure) -> None:
    response = client.post_form(f"/measures/{measure.id}/delete")
    assert response.status_code == 303
    assert measure.deleted_at is not None
    assert client.get(f"/measures/{measure.id}").status_code == 404


def test_import_preview_then_save(client: WebClient, member: User, measure: Measure, db: Session) -> None:
    assert client.get(f"/measures/{measure.id}/import").status_code == 200
    text = "period;värde\n2024-W07;16\n2024-W08;16\n2024-W09;13,5\n2024-W10;12\n"
    preview = client.post_form(f"/measures/{measure.id}/import", {"text": text})
    assert preview.status_code == 200
    assert "Save all" in preview.text or "Spara alla" in preview.text
    assert "15\u00a0personer → 16\u00a0personer" in preview.text
    saved = client.post_form(f"/measures/{measure.id}/import/save", {"text": text})
    assert saved.status_code == 303
    values = db.query(Measurement).filter_by(measure_id=measure.id, deleted_at=None).count()
    assert values == 10


def test_import_with_a_bad_row_offers_no_save(client: WebClient, member: User, measure: Measure, db: Session) -> None:
    text = "2024-W09;13\n2024-W10;abc\n"
    preview = client.post_form(f"/measures/{measure.id}/import", {"text": text})
    assert preview.status_code == 422
    assert "import/save" not in preview.text
    assert "abc" in preview.text
    forced = client.post_form(f"/measures/{measure.id}/import/save", {"text": text})
    assert forced.status_code == 422
    assert db.query(Measurement).filter_by(measure_id=measure.id, period="2024-W09").count() == 0


def test_import_excel_upload(client: WebClient, member: User, measure: Measure) -> None:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["period", "value"])
    sheet.append(["2024-W09", 13])
    buffer = io.BytesIO()
    workbook.save(buffer)
    files = {"file": ("värden.xlsx", buffer.getvalue(), "application/octet-stream")}
    response = client.post(
        f"/measures/{measure.id}/import", data={"csrf_token": client.csrf(), "text": ""}, files=files
    )
    assert response.status_code == 200, response.text
    assert "2024-W09;13" in response.text


def test_card_partial_renders(client: WebClient, member: User, measure: Measure, db: Session) -> None:
    from app.services.analysis import measure_cards
    from app.web.templating import env

    card = measure_cards(db, [measure])[0]
    html = env.get_template("measures/_card.html").render(
        measure=card.measure, result=card.result, chart_svg=card.chart_svg, sentences=card.sentences
    )
    assert "Kontinuitet" in html
    assert "<progress" in html
    assert "<svg" in html
