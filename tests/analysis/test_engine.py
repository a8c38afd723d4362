from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from app.analysis import AnalysisInputError, AnalysisResult, Observation, analyse

Analyse = Callable[..., AnalysisResult]
MakeObservations = Callable[..., list[Observation]]
MONTHLY: dict[str, Any] = {"direction": "increase", "frequency": "month", "as_of": date(2030, 1, 1)}
DESIGN_KEYS = {
    "chart", "rules", "n", "points", "runs", "ihi", "outside_limits", "progress",
    "variation", "assurance", "suggested_rag",
}  # fmt: skip
EXTRA_KEYS = {"phases", "signals", "trial_limits", "insufficient_data"}


def _walk_numbers(value: object) -> list[float]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _walk_numbers(v)]
    if isinstance(value, list):
        return [x for v in value for x in _walk_numbers(v)]
    return [value] if isinstance(value, float) else []


@pytest.mark.parametrize(
    ("count", "data_type", "expected"), [(19, "value", "run"), (20, "value", "i"), (20, "count", "c")]
)
def test_auto_chart(run_analysis: Analyse, count: int, data_type: str, expected: str) -> None:
    assert run_analysis([float(k % 5) for k in range(count)], data_type=data_type).chart == expected


def test_auto_chart_for_proportions_and_rates(make_observations: MakeObservations) -> None:
    obs = make_observations([k % 7 for k in range(24)], denominators=[20] * 24)
    assert analyse(obs, data_type="proportion", **MONTHLY).chart == "p"
    rates = [Observation(o.period, o.value, o.numerator, o.denominator) for o in obs]
    assert analyse(rates, data_type="rate", **MONTHLY).chart == "u"
    # Without numerators and denominators the values still make an I chart.
    bare = [Observation(o.period, o.value) for o in obs]
    assert analyse(bare, data_type="proportion", **MONTHLY).chart == "i"


@pytest.mark.parametrize(
    ("data_type", "chart"),
    [
        ("value", "p"),
        ("value", "u"),
        ("value", "c"),
        ("proportion", "u"),
        ("proportion", "c"),
        ("rate", "p"),
        ("count", "p"),
    ],
)
def test_nonsensical_chart_choices_are_rejected(run_analysis: Analyse, data_type: str, chart: str) -> None:
    with pytest.raises(AnalysisInputError, match="does not fit"):
        run_analysis([1.0, 2.0, 3.0], data_type=data_type, chart=chart)


def test_p_chart_needs_numerators_and_denominators(run_analysis: Analyse) -> None:
    with pytest.raises(AnalysisInputError, match="needs a numerator and a denominator"):
        run_analysis([50.0, 60.0], data_type="proportion", chart="p")


@pytest.mark.parametrize(
    ("observation", "message"),
    [
        (Observation("2024-01", 50.0, 1, 0), "denominator must be greater than 0"),
        (Observation("2024-01", 50.0, -1, 2), "numerator must not be negative"),
        (Observation("2024-01", 150.0, 3, 2), "must not exceed the denominator"),
        (Observation("2024-01", math.nan), "finite"),
        (Observation("2024-01", math.inf), "finite"),
        (Observation("2024-W01", 1.0), "is a week period but this measure is monthly"),
        (Observation("2024-1", 1.0), "expected YYYY-MM"),
    ],
)
def test_bad_observations_are_rejected(observation: Observation, message: str) -> None:
    with pytest.raises(AnalysisInputError, match=message):
        analyse([observation], data_type="proportion", **MONTHLY)


def test_counts_must_be_whole_and_not_negative() -> None:
    for value in (-1.0, 2.5):
        with pytest.raises(AnalysisInputError, match="whole number"):
            analyse([Observation("2024-01", value)], data_type="count", **MONTHLY)


def test_observations_must_be_in_order_without_repeats() -> None:
    for periods in (["2024-02", "2024-01"], ["2024-01", "2024-01"]):
        with pytest.raises(AnalysisInputError, match="period order"):
            analyse([Observation(p, 1.0) for p in periods], data_type="value", **MONTHLY)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"chart": "xbar"}, "unknown chart"),
        ({"rules": "weco"}, "unknown rules"),
        ({"direction": "up"}, "unknown direction"),
        ({"frequency": "day"}, "unknown frequency"),
        ({"data_type": "text"}, "unknown data type"),
        ({"freeze": 0}, "freeze"),
        ({"rate_multiplier": 0.0}, "rate_multiplier"),
        ({"target": math.nan}, "target"),
        ({"phase_starts": ["2024-W01"]}, "phase start"),
    ],
)
def test_bad_options_are_rejected(run_analysis: Analyse, options: dict[str, Any], message: str) -> None:
    with pytest.raises(AnalysisInputError, match=message):
        run_analysis([1.0, 2.0], **options)


def test_input_errors_are_value_errors() -> None:
    assert issubclass(AnalysisInputError, ValueError)


def test_zero_points(run_analysis: Analyse) -> None:
    result = run_analysis([])
    assert (result.n, result.points, result.insufficient_data) == (0, (), "no_points")
    assert result.runs.n_useful == 0
    assert result.variation is None
    assert json.loads(json.dumps(result.to_dict(), allow_nan=False))["runs"]["longest_run"] is None


def test_one_point(run_analysis: Analyse) -> None:
    result = run_analysis([7.0], target=10.0, baseline=5.0)
    assert result.n == 1
    assert result.points[0].cl == 7.0
    assert result.runs.n_useful == 0
    assert result.insufficient_data == "too_few_points"
    assert result.progress.progress_pct == 40.0


def test_two_points(run_analysis: Analyse) -> None:
    result = run_analysis([7.0, 9.0])
    assert result.runs.n_useful == 2
    assert (result.runs.longest_run_max, result.runs.crossings_min) == (4, 0)
    assert result.insufficient_data is None
    assert result.signals == ()


_EVERY_CHART = [
    ("run", "value"),
    ("i", "value"),
    ("p", "proportion"),
    ("u", "rate"),
    ("c", "count"),
    ("auto", "proportion"),
    ("auto", "rate"),
]


@pytest.mark.parametrize("rules", ["anhoej", "ihi", "mdc"])
@pytest.mark.parametrize(("chart", "data_type"), _EVERY_CHART)
def test_no_points_is_an_answer_for_every_chart(chart: str, data_type: str, rules: str) -> None:
    # A new p or u measure has no values yet: its page and the API must get an answer, not an error.
    for observations in ([], [Observation("2024-02", None)]):
        result = analyse(observations, data_type=data_type, chart=chart, rules=rules, **MONTHLY)
        assert (result.n, result.points, result.insufficient_data) == (0, (), "no_points")
        if chart != "auto":
            assert result.chart == chart
        assert result.suggested_rag is None
        json.dumps(result.to_dict(), allow_nan=False)


@pytest.mark.parametrize("rules", ["anhoej", "ihi", "mdc"])
@pytest.mark.parametrize(("chart", "data_type"), _EVERY_CHART)
def test_one_point_says_too_few_for_every_chart(
    make_observations: MakeObservations, chart: str, data_type: str, rules: str
) -> None:
    if data_type in ("proportion", "rate"):
        observations = make_observations([3], denominators=[10])
    else:
        observations = make_observations([3.0])
    result = analyse(observations, data_type=data_type, chart=chart, rules=rules, **MONTHLY)
    assert (result.n, result.insufficient_data) == (1, "too_few_points")
    assert len(result.points) == 1
    assert result.runs.n_useful == 0
    json.dumps(result.to_dict(), allow_nan=False)


@pytest.mark.parametrize(("chart", "data_type"), [("p", "proportion"), ("u", "rate")])
def test_two_points_on_p_and_u_charts(make_observations: MakeObservations, chart: str, data_type: str) -> None:
    result = analyse(make_observations([3, 5], denominators=[10, 10]), data_type=data_type, chart=chart, **MONTHLY)
    assert result.n == 2
    assert result.insufficient_data is None
    assert result.runs.n_useful == 2


def test_all_equal_values(run_analysis: Analyse) -> None:
    for chart in ("run", "i"):
        result = run_analysis([7.0] * 24, chart=chart)
        assert result.runs.n_useful == 0
        assert not result.runs.signal
        assert result.insufficient_data == "no_useful_points"
        assert all(p.lcl is None and p.ucl is None for p in result.points)


def test_missing_periods_are_gaps_that_break_the_moving_range() -> None:
    values = {"2024-01": 10.0, "2024-02": 12.0, "2024-04": 30.0, "2024-05": 32.0}
    implicit = analyse([Observation(p, v) for p, v in values.items()], data_type="value", chart="i", **MONTHLY)
    explicit = analyse(
        [Observation(p, values.get(p)) for p in ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05")],
        data_type="value",
        chart="i",
        **MONTHLY,
    )
    assert implicit == explicit
    assert [p.period for p in implicit.points] == list(values)  # gaps are not points
    # Only the two moving ranges of 2 count, not the 18 across the gap.
    sigma = 2.0 / 1.128
    assert implicit.points[0].ucl == pytest.approx(21.0 + 3 * sigma)


def test_freeze_counts_measured_points() -> None:
    obs = [Observation("2024-01", 1.0), Observation("2024-02", None), Observation("2024-03", 3.0)]
    obs += [Observation(f"2024-{m:02d}", 10.0) for m in range(4, 10)]
    result = analyse(obs, data_type="value", chart="run", freeze=2, **MONTHLY)
    assert {p.cl for p in result.points} == {2.0}  # the median of the first two measurements


def test_phases_recompute_centre_lines(run_analysis: Analyse) -> None:
    values = [10.0, 12.0] * 6 + [20.0, 22.0] * 6
    result = run_analysis(values, chart="i", phase_starts=["2024-01"])
    assert [p.phase for p in result.points] == [1] * 12 + [2] * 12
    assert {p.cl for p in result.points[:12]} == {11.0}
    assert {p.cl for p in result.points[12:]} == {21.0}
    assert [(ph.phase, ph.first_period, ph.start, ph.end) for ph in result.phases] == [
        (1, "2023-01", 0, 11),
        (2, "2024-01", 12, 23),
    ]
    assert result.runs == result.phases[-1].runs
    assert not result.runs.signal  # the level change is explained by the phase


def test_phase_start_on_a_gap_or_outside_the_series(make_observations: MakeObservations) -> None:
    obs = make_observations([1.0, 2.0, None, 4.0, 5.0], first="2024-01")
    options: dict[str, Any] = {"data_type": "value", "chart": "run", **MONTHLY}
    on_gap = analyse(obs, phase_starts=["2024-03"], **options)
    assert [p.phase for p in on_gap.points] == [1, 1, 2, 2]
    outside = analyse(obs, phase_starts=["2023-01", "2024-01", "2030-01"], **options)
    assert [p.phase for p in outside.points] == [1, 1, 1, 1]


def test_p_chart_results_are_in_percent(make_observations: MakeObservations) -> None:
    obs = make_observations([40, 50, 45, 55, 60, 35] * 4, denominators=[100, 100, 80, 120, 100, 90] * 4)
    result = analyse(obs, data_type="proportion", chart="p", **MONTHLY)
    first = result.points[0]
    assert first.value == pytest.approx(40.0)
    cl = 100 * sum([40, 50, 45, 55, 60, 35]) / sum([100, 100, 80, 120, 100, 90])
    assert first.cl == pytest.approx(cl)
    assert first.lcl == pytest.approx(cl - 300 * (cl / 100 * (1 - cl / 100) / 100) ** 0.5)
    assert first.ucl == pytest.approx(cl + 300 * (cl / 100 * (1 - cl / 100) / 100) ** 0.5)


def test_u_chart_results_use_the_rate_multiplier(make_observations: MakeObservations) -> None:
    obs = make_observations([3, 5, 4, 6, 2, 5] * 4, denominators=[1200, 1500, 1300, 1600, 1100, 1400] * 4)
    # The helper stores percentages; a rate per 1,000 is ten times that.
    rates = [Observation(o.period, 10 * o.value, o.numerator, o.denominator) for o in obs if o.value is not None]
    result = analyse(rates, data_type="rate", chart="u", rate_multiplier=1000, **MONTHLY)
    assert result.points[0].value == pytest.approx(2.5)
    assert result.points[0].cl == pytest.approx(
        1000 * sum([3, 5, 4, 6, 2, 5]) / sum([1200, 1500, 1300, 1600, 1100, 1400])
    )


def test_to_dict_has_the_design_shape_and_plain_numbers(run_analysis: Analyse) -> None:
    values = [12.0, 13.0] * 12
    values[8] = 30.0
    result = run_analysis(values, chart="i", baseline=12, target=20, target_date=date(2030, 6, 1))
    data = result.to_dict()
    assert set(data) == DESIGN_KEYS | EXTRA_KEYS
    assert set(data["points"][0]) == {"period", "value", "cl", "lcl", "ucl", "phase", "signal"}
    assert set(data["runs"]) == {"n_useful", "longest_run", "longest_run_max", "crossings", "crossings_min", "signal"}
    assert set(data["ihi"]) == {"shifts", "trends", "runs", "runs_range"}
    assert set(data["progress"]) == {
        "baseline",
        "target",
        "current",
        "progress_pct",
        "target_met",
        "improving",
        "stale",
    }
    assert set(data["signals"][0]) == {"kind", "start", "end", "side", "favourable"}
    assert data["outside_limits"] == [8]
    text = json.dumps(data, allow_nan=False)  # no NaN or infinity anywhere
    assert all(math.isfinite(x) for x in _walk_numbers(json.loads(text)))


def test_signal_points_are_marked(run_analysis: Analyse) -> None:
    values = [5.0, 6.0] * 5 + [9.0] * 9 + [5.0, 6.0]
    result = run_analysis(values, chart="run")
    long_runs = [s for s in result.signals if s.kind == "long_run"]
    assert [(s.start, s.end) for s in long_runs] == [(10, 18)]
    assert [k for k, p in enumerate(result.points) if p.signal] == list(range(10, 19))


def test_weekly_series_across_week_53(run_analysis: Analyse) -> None:
    obs = [Observation(p, v) for p, v in (("2020-W52", 1.0), ("2020-W53", 2.0), ("2021-W01", 3.0))]
    result = analyse(obs, data_type="value", direction="increase", frequency="week", as_of=date(2021, 1, 10))
    assert [p.period for p in result.points] == ["2020-W52", "2020-W53", "2021-W01"]
    assert not result.progress.stale
