from __future__ import annotations

import pytest

from app.analysis import period_index
from app.charts.scales import format_number, label_stride, nice_ticks, period_labels


@pytest.mark.parametrize(
    ("low", "high", "count", "expected"),
    [
        (0.0, 10.0, 5, (0.0, 10.0, 2.5)),
        (13.0, 87.0, 5, (0.0, 100.0, 20.0)),
        (0.12, 0.18, 4, (0.12, 0.18, 0.02)),
        (-3.2, 4.1, 5, (-4.0, 6.0, 2.0)),
        (5.0, 5.0, 5, (4.5, 5.5, 0.25)),  # a flat series gets a visible range
    ],
)
def test_nice_ticks(low: float, high: float, count: int, expected: tuple[float, float, float]) -> None:
    ticks = nice_ticks(low, high, count)
    assert (ticks.low, ticks.high, ticks.step) == pytest.approx(expected)
    assert ticks.values[0] == pytest.approx(ticks.low)
    assert ticks.values[-1] == pytest.approx(ticks.high)


@pytest.mark.parametrize(
    ("value", "decimals", "locale", "expected"),
    [
        (1234.5, 1, "sv", "1\u202f234,5"),
        (1234.5, 1, "en", "1,234.5"),
        (-2.25, 2, "sv", "\u22122,25"),
        (-0.001, 1, "sv", "0,0"),  # no negative zero
        (0.5, 0, "en", "0"),  # rounds half to even like Python
        (12.0, 0, "sv-SE", "12"),
    ],
)
def test_format_number(value: float, decimals: int, locale: str, expected: str) -> None:
    assert format_number(value, decimals, locale) == expected


def test_label_stride_keeps_labels_apart() -> None:
    assert label_stride("month", 40.0, 50.0) == 2
    assert label_stride("month", 12.0, 50.0) == 6
    assert label_stride("week", 3.0, 40.0) == 26
    assert label_stride("month", 0.1, 50.0) == 600


def test_week_labels_prefer_week_1_over_a_crowded_year_end() -> None:
    labels = period_labels(period_index("2020-W40"), period_index("2021-W30"), "week", 13, "sv")
    assert [label.text for label in labels] == ["v. 40", "v. 1", "v. 14", "v. 27"]  # 2020 has a week 53
    assert [label.year for label in labels] == ["2020", "2021", None, None]
    labels = period_labels(period_index("2022-W40"), period_index("2023-W12"), "week", 8, "sv")
    assert [label.text for label in labels] == ["v. 41", "v. 1", "v. 9"]  # not week 49, four weeks before 1


def test_month_labels_fall_on_quarters() -> None:
    labels = period_labels(period_index("2023-11"), period_index("2024-08"), "month", 3, "sv")
    assert [label.text for label in labels] == ["jan 2024", "apr 2024", "jul 2024"]
