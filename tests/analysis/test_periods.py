from __future__ import annotations

from datetime import date

import pytest

from app.analysis import (
    PeriodError,
    format_period,
    next_period,
    parse_period,
    parse_period_indices,
    period_end,
    period_for_date,
    period_frequency,
    period_index,
    period_range,
    period_start,
    previous_period,
)


@pytest.mark.parametrize(
    ("text", "frequency"),
    [("2024-W07", "week"), ("2020-W53", "week"), ("2026-W53", "week"), ("2024-03", "month"), ("1999-12", "month")],
)
def test_valid_periods_parse_to_themselves(text: str, frequency: str) -> None:
    assert parse_period(text, frequency) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "frequency", "message"),
    [
        ("2021-W53", "week", "2021 has no week 53"),
        ("2024-W00", "week", "has no week 0"),
        ("2024-W54", "week", "has no week 54"),
        ("2024-W7", "week", "expected YYYY-Www"),
        ("2024-w07", "week", "expected YYYY-Www"),
        ("2024W07", "week", "expected YYYY-Www"),
        (" 2024-W07", "week", "expected YYYY-Www"),
        ("2024-13", "month", "not a valid month"),
        ("2024-00", "month", "not a valid month"),
        ("2024-3", "month", "expected YYYY-MM"),
        ("24-03", "month", "expected YYYY-MM"),
        ("2024-03-01", "month", "expected YYYY-MM"),
        ("", "month", "expected YYYY-MM"),
        ("٢٠٢٤-03", "month", "expected YYYY-MM"),  # non-ASCII digits are not canonical
        ("2024-W07", "month", "is a week period but this measure is monthly"),
        ("2024-03", "week", "is a month period but this measure is weekly"),
        ("2024-03", "year", "unknown frequency"),
    ],
)
def test_bad_periods_raise_clear_errors(text: str, frequency: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period(text, frequency)  # type: ignore[arg-type]


def test_period_error_is_a_value_error() -> None:
    assert issubclass(PeriodError, ValueError)


def test_week_boundaries_follow_iso_8601() -> None:
    assert period_start("2024-W07") == date(2024, 2, 12)
    assert period_end("2024-W07") == date(2024, 2, 18)
    # ISO week 1 of 2025 starts in December 2024.
    assert period_start("2025-W01") == date(2024, 12, 30)
    assert period_for_date(date(2024, 12, 30), "week") == "2025-W01"
    assert period_for_date(date(2021, 1, 3), "week") == "2020-W53"


def test_month_boundaries() -> None:
    assert period_start("2024-02") == date(2024, 2, 1)
    assert period_end("2024-02") == date(2024, 2, 29)
    assert period_end("2023-02") == date(2023, 2, 28)
    assert period_end("2024-12") == date(2024, 12, 31)
    assert period_for_date(date(2024, 3, 31), "month") == "2024-03"


def test_next_and_previous_cross_year_and_week_53() -> None:
    assert next_period("2020-W52") == "2020-W53"
    assert next_period("2020-W53") == "2021-W01"
    assert next_period("2021-W52") == "2022-W01"
    assert previous_period("2021-W01") == "2020-W53"
    assert next_period("2024-12") == "2025-01"
    assert previous_period("2024-01") == "2023-12"


def test_period_range_is_inclusive() -> None:
    assert period_range("2020-W52", "2021-W02") == ["2020-W52", "2020-W53", "2021-W01", "2021-W02"]
    assert period_range("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert period_range("2024-03", "2024-03") == ["2024-03"]
    assert period_range("2024-03", "2024-02") == []


def test_period_range_rejects_mixed_frequencies() -> None:
    with pytest.raises(PeriodError, match="different frequencies"):
        period_range("2024-W01", "2024-03")


def test_period_index_counts_periods() -> None:
    assert period_index("2021-W01") - period_index("2020-W52") == 2
    assert period_index("2025-01") - period_index("2024-01") == 12
    assert period_frequency("2024-W07") == "week"
    assert period_frequency("2024-07") == "month"


@pytest.mark.parametrize(
    ("period", "locale", "short", "expected"),
    [
        ("2024-W07", "sv", False, "v. 7 2024"),
        ("2024-W07", "en", False, "wk 7 2024"),
        ("2024-W07", "sv", True, "v. 7"),
        ("2024-W07", "en", True, "wk 7"),
        ("2024-03", "sv", False, "mars 2024"),
        ("2024-03", "en", False, "March 2024"),
        ("2024-03", "sv", True, "mar 2024"),
        ("2024-03", "en", True, "Mar 2024"),
        ("2024-05", "sv", True, "maj 2024"),
        ("2024-10", "sv", False, "oktober 2024"),
        ("2024-10", "sv-SE", False, "oktober 2024"),
        ("2024-10", "en_GB", True, "Oct 2024"),
    ],
)
def test_format_period(period: str, locale: str, short: bool, expected: str) -> None:
    assert format_period(period, locale, short=short) == expected


def test_format_period_rejects_unknown_locale() -> None:
    with pytest.raises(ValueError, match="unsupported locale"):
        format_period("2024-03", "de")


def test_bulk_parsing_agrees_with_one_by_one() -> None:
    weeks = period_range("2019-W50", "2021-W05")
    assert parse_period_indices(weeks, "week") == [period_index(w) for w in weeks]
    months = period_range("1999-11", "2001-02")
    assert parse_period_indices(months, "month") == [period_index(m) for m in months]
    assert parse_period_indices([], "week") == []


@pytest.mark.parametrize(
    ("texts", "frequency", "message"),
    [
        (["2020-W52", "2021-W53"], "week", "2021 has no week 53"),
        (["2024-01", "2024-13"], "month", "not a valid month"),
        (["2024-01", "2024-W02"], "month", "is a week period"),
        (["2024-01", "2024-2"], "month", "expected YYYY-MM"),
        (["2024-01\n2024-02"], "month", "expected YYYY-MM"),
        (["0000-01"], "month", "not a valid month"),
        (["2024-01"], "day", "unknown frequency"),
    ],
)
def test_bulk_parsing_raises_the_precise_error(texts: list[str], frequency: str, message: str) -> None:
    with pytest.raises(PeriodError, match=message):
        parse_period_indices(texts, frequency)  # type: ignore[arg-type]
