"""Bulk import: pure reading and checking, then preview and all-or-nothing save."""

import io
from datetime import date
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import Session

from app.auth.policy import Principal
from app.core.i18n import language
from app.models import Measure
from app.models.enums import Role
from app.services import imports
from app.services import measurements as measurement_service
from app.services.errors import Forbidden

AS_OF = date(2024, 6, 1)


def check(text: str, measure: Measure) -> imports.Preview:
    with language("en"):  # messages are compared in English
        return imports.check_rows(imports.read_csv(text), measure, as_of=AS_OF)


@pytest.fixture
def weekly(make: Any) -> Measure:
    return make.measure(make.initiative(), data_type="value")  # type: ignore[no-any-return]


@pytest.fixture
def proportion(make: Any) -> Measure:
    return make.measure(make.initiative(), data_type="proportion", unit="%", frequency="month")  # type: ignore[no-any-return]


class TestReading:
    def test_semicolon_and_decimal_comma_as_swedish_excel_writes(self, weekly: Measure) -> None:
        result = check("\ufeffPeriod;Värde;Kommentar\n2024-W01;4,2;Semester\n2024-W02;1 234,5;\n", weekly)
        assert not result.errors
        assert [(r.row.period, r.row.reading.value if r.row.reading else None) for r in result.rows] == [
            ("2024-W01", 4.2),
            ("2024-W02", 1234.5),
        ]
        assert result.rows[0].row.comment == "Semester"

    def test_comma_separated_with_quoted_decimal_comma_and_no_header(self, weekly: Measure) -> None:
        result = check('2024-W01,"4,5"\n2024-W02,5\n', weekly)
        assert [r.row.reading.value for r in result.rows if r.row.reading] == [4.5, 5.0]

    def test_fraction_columns_by_header_or_position(self, proportion: Measure) -> None:
        by_header = check("period,numerator,denominator,comment\n2024-01,3,4,ok\n", proportion)
        by_position = check("2024-01;3;4\n", proportion)
        for result in (by_header, by_position):
            assert not result.errors
            assert result.rows[0].row.reading is not None
            assert result.rows[0].row.reading.value == 75.0

    def test_excel_dates_stand_for_their_period(self, proportion: Measure) -> None:
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(["Period", "Täljare", "Nämnare"])
        sheet.append([date(2024, 3, 1), 3, 4])
        sheet.append(["2024-04", 1.0, 2])
        buffer = io.BytesIO()
        workbook.save(buffer)
        rows = imports.read_upload("värden.xlsx", buffer.getvalue())
        result = imports.check_rows(rows, proportion, as_of=AS_OF)
        assert not result.errors
        assert [r.row.period for r in result.rows] == ["2024-03", "2024-04"]

    def test_not_a_workbook(self) -> None:
        with pytest.raises(imports.InvalidInput):
            imports.read_xlsx(b"PK not really a zip")

    def test_windows_1252_text(self) -> None:
        assert imports.decode("Värde".encode("cp1252")) == "Värde"


class TestChecking:
    def test_every_bad_row_has_its_reason(self, weekly: Measure) -> None:
        text = "period,value\n2024-W01,4\n2024-W02,abc\n2024-13,5\n2024-W01,6\n2024-W03,\n2099-W01,1\n"
        result = check(text, weekly)
        lines = [line for line, _ in result.errors]
        assert lines == [3, 4, 5, 6, 7]
        messages = dict(result.errors)
        assert "abc" in messages[3]
        assert "row 2" in messages[5]

    def test_numerator_above_denominator(self, proportion: Measure) -> None:
        result = check("2024-01;5;4\n", proportion)
        assert result.errors[0][0] == 1

    def test_unknown_column_and_empty_file(self, weekly: Measure) -> None:
        assert check("period,värde,extra\n2024-W01,1,2\n", weekly).errors[0][0] == 1
        assert check("", weekly).errors == [(0, "The file has no rows.")]
        assert check("period,value\n", weekly).errors == [(0, "The file has no rows.")]

    def test_personal_number_in_comment(self, weekly: Measure) -> None:
        result = check("2024-W01;4;Gäller 121212-1212\n", weekly)
        assert result.errors[0][0] == 1


def test_preview_and_save_all_or_nothing(db: Session, make: Any) -> None:
    initiative = make.initiative()
    principal = Principal.of(make.user(Role.MEMBER, initiative))
    measure = make.measure(initiative)
    make.measurement(measure, "2024-W01", 4)
    make.measurement(measure, "2024-W02", 5)
    text = "period;value\n2024-W01;4\n2024-W02;6\n2024-W03;7\n"
    result = imports.preview(db, principal, measure_id=measure.id, rows=imports.read_csv(text))
    assert [r.status for r in result.rows] == ["unchanged", "changed", "new"]
    assert result.rows[1].old is not None
    assert result.rows[1].old.value == 5
    assert result.ok

    bad = text + "2024-W04;x\n"
    with pytest.raises(imports.ImportRejected) as info:
        imports.save(db, principal, measure_id=measure.id, rows=imports.read_csv(bad))
    assert [line for line, _ in info.value.rows] == [5]
    _, stored = measurement_service.list_measurements(db, principal, measure_id=measure.id)
    assert [(m.period, m.value) for m in stored] == [("2024-W01", 4), ("2024-W02", 5)]

    imports.save(db, principal, measure_id=measure.id, rows=imports.read_csv(text))
    _, stored = measurement_service.list_measurements(db, principal, measure_id=measure.id)
    assert [(m.period, m.value) for m in stored] == [("2024-W01", 4), ("2024-W02", 6), ("2024-W03", 7)]
    assert [r.action for r in measurement_service.history(db, principal, measure_id=measure.id, period="2024-W02")] == [
        "update"
    ]


def test_only_the_team_imports(db: Session, make: Any) -> None:
    initiative = make.initiative()
    measure = make.measure(initiative)
    viewer = Principal.of(make.user(Role.VIEWER, initiative.organisation))
    with pytest.raises(Forbidden):
        imports.preview(db, viewer, measure_id=measure.id, rows=imports.read_csv("2024-W01;1\n"))
