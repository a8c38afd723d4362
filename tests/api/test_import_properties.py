"""Property tests of POST /api/v1/measures/{id}/measurements/import (DESIGN §4: all rows or none).

Any mix of valid and invalid rows, in any of the accepted CSV dialects (comma, semicolon or tab separated,
decimal point or decimal comma, English or Swedish header, with or without a comment column):

- every row valid: 200, every row stored with exactly the value and comment sent (decimal commas read as
  decimal points), and importing the same file again changes nothing;
- any row invalid: 422 listing exactly the bad rows by line number (the header is line 1), nothing stored.

Each example imports into a fresh measure inside the test's rolled-back transaction.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from app.auth.sessions import create_api_token
from app.models import Initiative
from app.models.enums import Role
from tests.support.web import WebClient

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

WEEKS = [f"{year}-W{week:02d}" for year in (2023, 2024) for week in range(1, 53)]
MONTHS = [f"{year}-{month:02d}" for year in (2022, 2023, 2024) for month in range(1, 13)]
BAD_PERIODS = ["2024-W54", "2024-W00", "2024-13", "24-W07", "vecka 7", "2024/W07", ""]
BAD_NUMBERS = ["x", "1.2.3", "1,2,3", "nan", "inf", "-inf", "1e400", "12 st", "--1"]
COMMENT = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ", max_size=20).map(str.strip)


@dataclass(frozen=True)
class Line:
    cells: dict[str, str]  # column -> text as written in the file
    valid: bool
    expected: dict[str, Any] | None = None  # what is stored, when valid


def _decimal_text(number: Decimal, comma: bool) -> str:
    text = format(number, "f")
    return text.replace(".", ",") if comma else text


@st.composite
def value_line(draw: st.DrawFn, period: str, comma: bool) -> Line:
    """One row of a value measure: valid, or broken in exactly one way."""
    number = draw(st.decimals(min_value=-1_000_000, max_value=1_000_000, places=draw(st.integers(0, 3))))
    comment = draw(COMMENT)
    fault = draw(st.sampled_from([None, None, None, "period", "value", "missing"]))
    cells = {"period": period, "value": _decimal_text(number, comma), "comment": comment}
    if fault == "period":
        cells["period"] = draw(st.sampled_from(BAD_PERIODS))
    elif fault == "value":
        cells["value"] = draw(st.sampled_from(BAD_NUMBERS))
    elif fault == "missing":
        cells["value"] = ""
    expected = {"period": period, "value": float(number), "numerator": None, "comment": comment}
    return Line(cells, fault is None, expected if fault is None else None)


@st.composite
def proportion_line(draw: st.DrawFn, period: str, comma: bool) -> Line:
    denominator = draw(st.integers(1, 10_000))
    numerator = draw(st.integers(0, denominator))
    fault = draw(st.sampled_from([None, None, None, "larger", "zero", "negative", "text"]))
    if fault == "larger":
        numerator = denominator + draw(st.integers(1, 100))
    elif fault == "zero":
        numerator, denominator = 0, 0
    elif fault == "negative":
        numerator = -draw(st.integers(1, 100))
    cells = {"period": period, "numerator": str(numerator), "denominator": str(denominator)}
    if fault == "text":
        cells["denominator"] = draw(st.sampled_from(BAD_NUMBERS))
    expected = {"period": period, "value": 100 * numerator / max(denominator, 1), "numerator": float(numerator)}
    return Line(cells, fault is None, expected if fault is None else None)


@st.composite
def upload(draw: st.DrawFn, kind: str) -> tuple[str, list[Line]]:
    """A CSV file of 1-12 rows with distinct periods, and the rows it holds."""
    periods = WEEKS if kind == "value" else MONTHS
    chosen = draw(st.lists(st.sampled_from(periods), min_size=1, max_size=12, unique=True))
    separator = draw(st.sampled_from([",", ";", "\t"]))
    comma = draw(st.booleans())
    make_line = value_line if kind == "value" else proportion_line
    lines = [draw(make_line(period, comma)) for period in chosen]
    columns = list(lines[0].cells)
    if kind == "value" and not draw(st.booleans()):
        columns.remove("comment")
    swedish = {"period": "vecka" if kind == "value" else "månad", "value": "värde", "comment": "kommentar"}
    header = [swedish.get(c, c) for c in columns] if draw(st.booleans()) else columns
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerow(header)
    for line in lines:
        writer.writerow([line.cells[c] for c in columns])
    if "comment" not in columns:
        lines = [Line(ln.cells, ln.valid, ln.expected and {**ln.expected, "comment": ""}) for ln in lines]
    return buffer.getvalue(), lines


class Importer:
    def __init__(self, client: WebClient, db: Session, make: Any, initiative: Initiative) -> None:
        self.client, self.db, self.make, self.initiative = client, db, make, initiative
        _, token = create_api_token(db, make.user(Role.MEMBER, initiative), "import")
        db.commit()
        self.headers = {"Authorization": f"Bearer {token}"}

    def fresh_measure(self, kind: str) -> int:
        if kind == "value":
            measure = self.make.measure(self.initiative)
        else:
            measure = self.make.measure(
                self.initiative, data_type="proportion", unit="%", frequency="month", direction="increase"
            )
        self.db.commit()
        return int(measure.id)

    def send(self, measure_id: int, text: str) -> Any:
        return self.client.post(
            f"/api/v1/measures/{measure_id}/measurements/import",
            content=text.encode(),
            headers={**self.headers, "Content-Type": "text/csv"},
        )

    def stored(self, measure_id: int) -> list[dict[str, Any]]:
        response = self.client.get(
            f"/api/v1/measures/{measure_id}/measurements", params={"limit": 500}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        items: list[dict[str, Any]] = response.json()["items"]
        return items


@pytest.fixture
def importer(client: WebClient, db: Session, make: Any) -> Importer:
    return Importer(client, db, make, make.initiative())


def _check(importer: Importer, kind: str, text: str, lines: list[Line]) -> None:
    measure_id = importer.fresh_measure(kind)
    response = importer.send(measure_id, text)
    bad_lines = [n for n, line in enumerate(lines, start=2) if not line.valid]
    if bad_lines:
        assert response.status_code == 422, (text, response.text)
        detail = response.json()["detail"]
        assert [e["row"] for e in detail] == bad_lines, (text, detail)
        assert all(e["msg"] for e in detail)
        assert importer.stored(measure_id) == []
        return
    assert response.status_code == 200, (text, response.text)
    assert response.json() == {"created": len(lines), "updated": 0, "unchanged": 0}
    stored = {m["period"]: m for m in importer.stored(measure_id)}
    assert sorted(stored) == sorted(ln.expected["period"] for ln in lines if ln.expected)
    for line in lines:
        assert line.expected is not None
        row = stored[line.expected["period"]]
        assert row["value"] == pytest.approx(line.expected["value"], rel=1e-12, abs=1e-9), (text, row)
        if kind == "value":
            assert row["comment"] == line.expected["comment"]
        else:
            assert row["numerator"] == line.expected["numerator"]
    again = importer.send(measure_id, text)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": len(lines)}


@SETTINGS
@given(data=upload("value"))
def test_value_import_is_all_or_nothing(importer: Importer, data: tuple[str, list[Line]]) -> None:
    _check(importer, "value", *data)


@SETTINGS
@given(data=upload("proportion"))
def test_proportion_import_is_all_or_nothing(importer: Importer, data: tuple[str, list[Line]]) -> None:
    _check(importer, "proportion", *data)


def test_decimal_comma_and_decimal_point_store_the_same_value(importer: Importer) -> None:
    first, second = importer.fresh_measure("value"), importer.fresh_measure("value")
    assert importer.send(first, "period;value\n2024-W07;4,25\n").status_code == 200
    assert importer.send(second, 'period,value\n2024-W07,"4,25"\n').status_code == 200
    assert importer.stored(first)[0]["value"] == importer.stored(second)[0]["value"] == 4.25
