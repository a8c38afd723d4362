"""MDC rules, icons and trial limits. The baseline is 12 points alternating 10/12, frozen:
mean 11, sigma = 2 / 1.128, so 2 sigma ~ 3.55 and the limits are ~5.68 and ~16.32."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.analysis import AnalysisResult, Observation, analyse

Analyse = Callable[..., AnalysisResult]
MakeObservations = Callable[..., list[Observation]]
BASELINE = [10.0, 12.0] * 6


def _mdc(run_analysis: Analyse, tail: list[float], **options: object) -> AnalysisResult:
    return run_analysis(BASELINE + tail, rules="mdc", chart="i", freeze=len(BASELINE), **options)


def _kinds(result: AnalysisResult) -> list[tuple[str, int, int, str]]:
    return [(s.kind, s.start, s.end, s.side) for s in result.signals]


def test_baseline_limits(run_analysis: Analyse) -> None:
    result = _mdc(run_analysis, [])
    point = result.points[0]
    assert point.cl == pytest.approx(11.0)
    assert point.ucl == pytest.approx(11 + 3 * 2 / 1.128)
    assert point.lcl == pytest.approx(11 - 3 * 2 / 1.128)
    assert result.signals == ()
    assert result.variation == "common_cause"


def test_point_outside_limits(run_analysis: Analyse) -> None:
    result = _mdc(run_analysis, [20.0])
    assert _kinds(result) == [("outside_limits", 12, 12, "up")]
    assert result.outside_limits == (12,)
    assert result.points[12].signal


def test_seven_on_one_side_of_the_mean(run_analysis: Analyse) -> None:
    # The baseline ends above the mean, so start below it.
    assert _kinds(_mdc(run_analysis, [10.0] + [11.5] * 7)) == [("mdc_run", 13, 19, "up")]
    assert _kinds(_mdc(run_analysis, [10.0] + [11.5] * 6)) == []
    # A point on the mean breaks the run.
    assert _kinds(_mdc(run_analysis, [11.5] * 3 + [11.0] + [11.5] * 4)) == []


def test_seven_going_up(run_analysis: Analyse) -> None:
    rising = [10.0, 10.2, 10.4, 10.6, 10.8, 11.2, 11.4]
    assert _kinds(_mdc(run_analysis, rising)) == [("mdc_trend", 12, 18, "up")]
    assert _kinds(_mdc(run_analysis, rising[:6])) == []
    # An equal neighbour breaks the trend.
    assert _kinds(_mdc(run_analysis, [10.0, 10.2, 10.4, 10.4, 10.6, 10.8, 11.2])) == []


def test_two_of_three_beyond_two_sigma(run_analysis: Analyse) -> None:
    assert _kinds(_mdc(run_analysis, [15.0, 11.0, 15.0])) == [("two_of_three", 12, 14, "up")]
    assert _kinds(_mdc(run_analysis, [7.0, 7.2])) == [("two_of_three", 12, 13, "down")]
    # Opposite sides, or too far apart, do not count.
    assert _kinds(_mdc(run_analysis, [15.0, 7.0])) == []
    assert _kinds(_mdc(run_analysis, [15.0, 11.0, 11.0, 15.0])) == []


@pytest.mark.parametrize(("direction", "expected"), [("increase", "improvement"), ("decrease", "concern")])
def test_variation_icon_follows_the_latest_point(run_analysis: Analyse, direction: str, expected: str) -> None:
    assert _mdc(run_analysis, [11.5] * 7, direction=direction).variation == expected
    # Once the latest point is no longer part of the special cause, the icon is common cause.
    assert _mdc(run_analysis, [11.5] * 7 + [10.0], direction=direction).variation == "common_cause"


def test_improvement_wins_when_both_apply(run_analysis: Analyse) -> None:
    # Seven points below the mean (concern when increase is wanted), each higher than the one before.
    result = _mdc(run_analysis, [9.0, 9.2, 9.4, 9.6, 9.8, 10.0, 10.2], direction="increase")
    assert {s.kind for s in result.signals} == {"mdc_run", "mdc_trend"}
    assert result.variation == "improvement"


@pytest.mark.parametrize(
    ("target", "direction", "expected"),
    [
        (20.0, "increase", "fail"),
        (3.0, "increase", "pass"),
        (14.0, "increase", "hit_and_miss"),
        (20.0, "decrease", "pass"),
        (3.0, "decrease", "fail"),
        (8.0, "decrease", "hit_and_miss"),
        (None, "increase", None),
    ],
)
def test_assurance_icon(run_analysis: Analyse, target: float | None, direction: str, expected: str | None) -> None:
    assert _mdc(run_analysis, [], target=target, direction=direction).assurance == expected


def test_assurance_uses_the_page_scale_of_p_charts(make_observations: MakeObservations) -> None:
    obs = make_observations([45, 50, 55, 48, 52] * 5, denominators=[100] * 25)

    def assurance(target: float) -> str | None:
        return analyse(
            obs,
            data_type="proportion",
            chart="p",
            rules="mdc",
            target=target,
            direction="increase",
            frequency="month",
            as_of=date(2030, 1, 1),
        ).assurance

    ucl = 100 * (0.5 + 3 * (0.5 * 0.5 / 100) ** 0.5)
    assert assurance(ucl + 1) == "fail"
    assert assurance(ucl - 1) == "hit_and_miss"
    assert assurance(20.0) == "pass"


def test_trial_limits_below_twelve_points(run_analysis: Analyse) -> None:
    assert run_analysis([10.0, 12.0] * 5 + [11.0], rules="mdc").trial_limits
    assert not run_analysis([10.0, 12.0] * 6, rules="mdc").trial_limits
    assert not run_analysis([10.0, 12.0] * 5, chart="run").trial_limits


def test_mdc_picks_a_control_chart_even_for_few_points(run_analysis: Analyse) -> None:
    assert run_analysis([10.0, 12.0, 11.0], rules="mdc").chart == "i"
    assert run_analysis([10.0, 12.0, 11.0], rules="anhoej").chart == "run"


def test_icons_need_limits(run_analysis: Analyse) -> None:
    single = run_analysis([10.0], rules="mdc", target=12.0)
    assert (single.variation, single.assurance, single.insufficient_data) == (None, None, "too_few_points")
    flat = run_analysis([10.0] * 12, rules="mdc", target=12.0)
    assert (flat.variation, flat.assurance, flat.insufficient_data) == (None, None, "no_useful_points")


def test_run_charts_get_icons_from_an_i_chart(run_analysis: Analyse) -> None:
    result = run_analysis(BASELINE + [11.5] * 7, chart="run", freeze=12, target=30.0)
    assert result.chart == "run"
    assert result.points[0].ucl is None
    assert result.variation == "improvement"
    assert result.assurance == "fail"


def test_latest_variation_stays_within_the_latest_phase() -> None:
    # A two-point last phase on a c chart: both points lie beyond 2 sigma, on opposite sides, so
    # there is no "2 of 3". The point before the phase (45, beyond its own 2 sigma and above the
    # new centre line) must not pair with the latest point across the phase boundary.
    from app.analysis.mdc import latest_variation, mdc_signals, variation_icon
    from app.analysis.spc import fit_chart

    fitted = fit_chart("c", [10.0] * 10 + [45.0, 10.0, 40.0], phase_starts=[11])
    assert (fitted.lcl[-1], fitted.ucl[-1]) == (10.0, 40.0)
    assert variation_icon(mdc_signals(fitted, "increase"), 12) == "common_cause"
    assert latest_variation(fitted, "increase") == "common_cause"
