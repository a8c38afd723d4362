"""A new p or u measure without values: its page, chart and analysis answer, saying there is no data yet."""

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.models import Initiative, Measure, User
from app.models.enums import Role
from tests.support.web import WebClient

# (data type, chart setting) of measures whose charts need numerators and denominators.
KINDS = [("proportion", "p"), ("proportion", "auto"), ("rate", "u"), ("rate", "auto")]


@pytest.fixture
def initiative(make: Any) -> Initiative:
    return make.initiative(title="Färre fall")  # type: ignore[no-any-return]


@pytest.fixture
def member(client: WebClient, make: Any, initiative: Initiative) -> User:
    user: User = make.user(Role.MEMBER, initiative)
    client.login(user.email)
    return user


def _measure(db: Session, make: Any, initiative: Initiative, data_type: str, chart: str) -> Measure:
    extra = {"rate_multiplier": 1000.0, "unit": "per 1 000 vårddygn"} if data_type == "rate" else {"unit": "%"}
    measure: Measure = make.measure(
        initiative, data_type=data_type, chart=chart, direction="decrease", baseline=20.0, target=10.0, **extra
    )
    db.commit()
    return measure


@pytest.mark.parametrize(("data_type", "chart"), KINDS)
def test_measure_page_without_values(
    client: WebClient, db: Session, make: Any, initiative: Initiative, member: User, data_type: str, chart: str
) -> None:
    measure = _measure(db, make, initiative, data_type, chart)
    page = client.get(f"/measures/{measure.id}")
    assert page.status_code == 200, page.text
    assert measure.name in page.text
    assert "Inga mätvärden ännu." in page.text  # "No values yet." in the default Swedish
    for rules in ("ihi", "mdc"):
        assert client.get(f"/measures/{measure.id}", params={"rules": rules}).status_code == 200


@pytest.mark.parametrize(("data_type", "chart"), KINDS)
def test_api_analysis_and_chart_without_values(
    client: WebClient, db: Session, make: Any, initiative: Initiative, data_type: str, chart: str
) -> None:
    measure = _measure(db, make, initiative, data_type, chart)
    _, token = create_api_token(db, make.user(Role.MEMBER, initiative), "test")
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}

    response = client.get(f"/api/v1/measures/{measure.id}/analysis", headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    # DESIGN §4's shape: n = 0 and no points say there is nothing to analyse yet.
    assert (body["n"], body["points"], body["outside_limits"]) == (0, [], [])
    assert body["runs"]["n_useful"] == 0
    assert body["progress"]["current"] is None
    assert body["suggested_rag"] is None

    for rules in ("anhoej", "ihi", "mdc"):
        params = {"rules": rules}
        assert client.get(f"/api/v1/measures/{measure.id}/analysis", params=params, headers=headers).status_code == 200
    svg = client.get(f"/api/v1/measures/{measure.id}/chart.svg", headers=headers)
    assert svg.status_code == 200, svg.text
    assert svg.text.lstrip().startswith("<svg")


def test_one_value_is_too_few(client: WebClient, db: Session, make: Any, initiative: Initiative, member: User) -> None:
    measure = _measure(db, make, initiative, "proportion", "p")
    make.measurement(measure, "2024-W05", 40.0, numerator=4, denominator=10)
    db.commit()
    assert client.get(f"/measures/{measure.id}").status_code == 200
    response = client.get(f"/api/v1/measures/{measure.id}/analysis")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["n"], body["runs"]["n_useful"], body["runs"]["longest_run"]) == (1, 0, None)
