"""The weekly logging page: rows save inline, bad input keeps what was typed, conflicts are shown."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.analysis import period_for_date, previous_period
from app.auth.policy import Principal
from app.models import Initiative, Measure, User
from app.models.enums import Role
from app.services.analysis import today
from app.services.measurements import log_value
from tests.support.web import WebClient


@pytest.fixture
def initiative(make: Any) -> Initiative:
    return make.initiative(title="Trygg hemgång")  # type: ignore[no-any-return]


@pytest.fixture
def member(client: WebClient, make: Any, initiative: Initiative) -> User:
    user: User = make.user(Role.MEMBER, initiative, name="Anna Andersson")
    client.login(user.email)
    return user


@pytest.fixture
def weekly(db: Session, make: Any, initiative: Initiative) -> Measure:
    measure: Measure = make.measure(initiative, name="Dagar till hemgång", unit="dagar")
    db.commit()
    return measure


@pytest.fixture
def proportion(db: Session, make: Any, initiative: Initiative) -> Measure:
    measure: Measure = make.measure(initiative, name="Andel med plan", data_type="proportion", unit="%")
    db.commit()
    return measure


THIS_WEEK = period_for_date(today(), "week")
LAST_WEEK = previous_period(THIS_WEEK)


def post_row(client: WebClient, measure: Measure, **fields: str) -> Any:
    data = {"week": THIS_WEEK, "period": THIS_WEEK, "value": "", "comment": "", **fields}
    return client.htmx("POST", f"/log/{measure.id}", data=data)


def test_page_lists_my_measures_grouped_by_initiative(
    client: WebClient, member: User, weekly: Measure, proportion: Measure, make: Any, db: Session
) -> None:
    make.measure(make.initiative(title="Någon annans arbete"), name="Inte mitt")
    make.measurement(weekly, LAST_WEEK, 4.5)
    db.commit()
    page = client.get("/log")
    assert page.status_code == 200
    assert "Trygg hemgång" in page.text
    assert "Dagar till hemgång" in page.text
    assert "Inte mitt" not in page.text
    assert 'name="numerator"' in page.text  # the proportion row asks for a fraction
    assert "4,5" in page.text  # previous value, with a decimal comma


def test_save_row_inline_with_decimal_comma(client: WebClient, member: User, weekly: Measure) -> None:
    response = post_row(client, weekly, value="4,2", comment="Två nya rutiner")
    assert response.status_code == 200, response.text
    assert "<html" not in response.text
    assert response.text.lstrip().startswith("<form")
    assert "data-announce" in response.text
    assert 'value="4,2"' in response.text
    assert 'name="version" value="1"' in response.text


def test_bad_input_is_422_with_input_kept(
    client: WebClient, member: User, weekly: Measure, proportion: Measure
) -> None:
    response = post_row(client, weekly, value="abc")
    assert response.status_code == 422
    assert 'value="abc"' in response.text
    assert f'id="value-{weekly.id}-error"' in response.text
    fraction = post_row(client, proportion, numerator="5", denominator="4")
    assert fraction.status_code == 422
    assert 'value="5"' in fraction.text
    assert f'id="numerator-{proportion.id}-error"' in fraction.text
    empty = post_row(client, weekly)
    assert empty.status_code == 422


def test_stale_correction_shows_conflict_with_both_values(
    client: WebClient, member: User, weekly: Measure, make: Any, initiative: Initiative, db: Session
) -> None:
    assert post_row(client, weekly, value="4").status_code == 200
    # A colleague corrects the value in between.
    colleague = make.user(Role.MEMBER, initiative, name="Berit Berg")
    log_value(db, Principal.of(colleague), measure_id=weekly.id, period=THIS_WEEK, value=6, version=1)
    db.commit()

    mine = post_row(client, weekly, value="5", version="1")
    assert mine.status_code == 409
    assert 'value="5"' in mine.text  # my input is kept
    assert "6" in mine.text
    assert "Berit Berg" in mine.text
    assert 'name="version" value="2"' in mine.text  # so "save mine" overwrites deliberately
    keep = client.htmx("GET", f"/log/{weekly.id}/row?week={THIS_WEEK}")
    assert keep.status_code == 200
    assert 'value="6"' in keep.text
    overwrite = post_row(client, weekly, value="5", version="2")
    assert overwrite.status_code == 200
    assert 'value="5"' in overwrite.text


def test_late_value_for_an_earlier_week(client: WebClient, member: User, weekly: Measure) -> None:
    page = client.get(f"/log?week={LAST_WEEK}")
    assert page.status_code == 200
    assert f'name="period" value="{LAST_WEEK}"' in page.text
    saved = post_row(client, weekly, week=LAST_WEEK, period=LAST_WEEK, value="3")
    assert saved.status_code == 200
    # A future or malformed week falls back to this week.
    assert f'value="{THIS_WEEK}"' in client.get("/log?week=2999-W01").text
    assert f'value="{THIS_WEEK}"' in client.get("/log?week=nonsense").text


def test_without_javascript_the_form_posts_and_redirects(client: WebClient, member: User, weekly: Measure) -> None:
    data = {"week": THIS_WEEK, "period": THIS_WEEK, "value": "7", "comment": ""}
    response = client.post_form(f"/log/{weekly.id}", data)
    assert response.status_code == 303
    assert response.headers["location"].endswith(f"#log-{weekly.id}")
    bad = client.post_form(f"/log/{weekly.id}", {**data, "value": "sju"})
    assert bad.status_code == 422
    assert "<html" in bad.text
    assert 'value="sju"' in bad.text


def test_empty_state_explains(client: WebClient, make: Any) -> None:
    user = make.user()
    client.login(user.email)
    page = client.get("/log")
    assert page.status_code == 200
    assert 'class="empty log-empty"' in page.text


def test_readers_cannot_log(client: WebClient, make: Any, weekly: Measure, initiative: Initiative) -> None:
    leader = make.user(Role.LEADER, initiative.organisation)
    client.login(leader.email)
    assert "Dagar till hemgång" not in client.get("/log").text
    assert post_row(client, weekly, value="3").status_code == 403


def test_admin_sees_everything_on_request(client: WebClient, make: Any, weekly: Measure) -> None:
    admin = make.user(admin=True)
    client.login(admin.email)
    assert "Dagar till hemgång" not in client.get("/log").text
    assert "Dagar till hemgång" in client.get("/log?all=1").text
