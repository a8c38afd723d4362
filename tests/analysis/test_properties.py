"""Properties that must hold for any series (hypothesis)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.analysis import AnalysisResult, Observation, analyse, period_from_index, period_index, qic

START = period_index("2020-01")
# No per-example deadline: shared CI machines and busy laptops make wall-clock limits flaky.
relaxed = settings(deadline=None)
COMMON: dict[str, Any] = {"direction": "increase", "frequency": "month", "as_of": date(2030, 1, 1)}

# Small integers make ties (points on the centre line, equal neighbours) common, which is where
# rules are most fragile.
series = st.lists(st.integers(min_value=0, max_value=30).map(float), min_size=1, max_size=60)


def _analyse(values: list[float], **options: Any) -> AnalysisResult:
    obs = [Observation(period_from_index(START + k, "month"), v) for k, v in enumerate(values)]
    return analyse(obs, data_type="value", **COMMON, **options)


def _pattern(result: AnalysisResult) -> tuple[object, ...]:
    return (
        result.signals,
        result.runs,
        result.ihi,
        result.outside_limits,
        tuple(p.signal for p in result.points),
    )


@relaxed
@given(series, st.integers(min_value=-1000, max_value=1000), st.sampled_from(["anhoej", "ihi"]))
def test_shifting_keeps_run_chart_signals(values: list[float], shift: int, rules: str) -> None:
    shifted = [v + shift for v in values]
    assert _pattern(_analyse(values, chart="run", rules=rules)) == _pattern(_analyse(shifted, chart="run", rules=rules))


@relaxed
@given(series, st.integers(min_value=-1000, max_value=1000), st.sampled_from(["anhoej", "ihi", "mdc"]))
def test_shifting_keeps_control_chart_signals(values: list[float], shift: int, rules: str) -> None:
    original = _analyse(values, chart="i", rules=rules)
    # With zero spread the limits sit on the centre line, and a rounding difference of the mean
    # decides whether a point is "outside"; that degenerate case is not about shifting.
    assume(all(p.ucl is None or p.ucl > p.cl for p in original.points if p.cl is not None))
    assert _pattern(original) == _pattern(_analyse([v + shift for v in values], chart="i", rules=rules))


@relaxed
@given(series, st.floats(min_value=1e-3, max_value=1e3), st.sampled_from(["anhoej", "ihi"]))
def test_scaling_keeps_run_chart_signals(values: list[float], factor: float, rules: str) -> None:
    scaled = [v * factor for v in values]
    assert _pattern(_analyse(values, chart="run", rules=rules)) == _pattern(_analyse(scaled, chart="run", rules=rules))


@relaxed
@given(series, st.sampled_from([0.25, 0.5, 2.0, 8.0, 1024.0]), st.sampled_from(["anhoej", "ihi", "mdc"]))
def test_scaling_keeps_control_chart_signals(values: list[float], factor: float, rules: str) -> None:
    # Powers of two scale every intermediate result exactly, so limits scale exactly too.
    scaled = [v * factor for v in values]
    assert _pattern(_analyse(values, chart="i", rules=rules)) == _pattern(_analyse(scaled, chart="i", rules=rules))


@relaxed
@given(series)
def test_reversing_keeps_runs_and_crossings(values: list[float]) -> None:
    forward = _analyse(values, chart="run").runs
    backward = _analyse(values[::-1], chart="run").runs
    assert (forward.n_useful, forward.longest_run, forward.crossings) == (
        backward.n_useful,
        backward.longest_run,
        backward.crossings,
    )
    assert (
        _analyse(values, chart="run", rules="ihi").ihi.runs == _analyse(values[::-1], chart="run", rules="ihi").ihi.runs
    )


@relaxed
@given(series, st.sampled_from(["i", "c"]), st.integers(min_value=1, max_value=60))
def test_limits_contain_the_centre_line(values: list[float], chart: str, freeze: int) -> None:
    result = _analyse(values, chart=chart, freeze=freeze) if chart == "i" else _count_analysis(values, freeze)
    for p in result.points:
        assert p.cl is not None
        if p.lcl is not None and p.ucl is not None:
            assert p.lcl <= p.cl <= p.ucl


def _count_analysis(values: list[float], freeze: int) -> AnalysisResult:
    obs = [Observation(period_from_index(START + k, "month"), v) for k, v in enumerate(values)]
    return analyse(obs, data_type="count", chart="c", freeze=freeze, **COMMON)


proportions = st.lists(
    st.integers(min_value=1, max_value=500).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    ),
    min_size=1,
    max_size=40,
)


@relaxed
@given(proportions)
def test_p_limits_stay_within_zero_and_one(pairs: list[tuple[int, int]]) -> None:
    result = qic("p", numerators=[float(a) for a, _ in pairs], denominators=[float(n) for _, n in pairs])
    for p in result.points:
        assert p.cl is not None
        assert p.lcl is not None
        assert p.ucl is not None
        assert 0.0 <= p.lcl <= p.cl <= p.ucl <= 1.0


@relaxed
@given(proportions, st.floats(min_value=0.01, max_value=10_000))
def test_u_limits_contain_the_centre_line_and_are_not_negative(pairs: list[tuple[int, int]], exposure: float) -> None:
    result = qic("u", numerators=[float(a) for a, _ in pairs], denominators=[n * exposure for _, n in pairs])
    for p in result.points:
        assert p.cl is not None
        assert p.lcl is not None
        assert p.ucl is not None
        assert 0.0 <= p.lcl <= p.cl <= p.ucl


def _fit_for_icons(values: list[float], chart: str, starts: list[int], frozen: int | None) -> Any:
    from app.analysis.spc import fit_chart

    denominators = [40.0 + (k * 7) % 5 for k in range(len(values))] if chart in ("p", "u") else None
    return fit_chart(
        chart,  # type: ignore[arg-type]
        [v / d for v, d in zip(values, denominators, strict=True)] if denominators else values,
        numerators=values if denominators else None,
        denominators=denominators,
        gap_before=[k % 11 == 5 for k in range(len(values))],
        phase_starts=sorted(starts),
        n_frozen=frozen,
    )


def _icon_both_ways(fitted: Any, direction: str) -> tuple[str, str]:
    from app.analysis.mdc import latest_variation, mdc_signals, variation_icon

    full = variation_icon(mdc_signals(fitted, direction), len(fitted.y) - 1)  # type: ignore[arg-type]
    return latest_variation(fitted, direction), full  # type: ignore[arg-type]


@relaxed
@given(
    st.lists(st.integers(min_value=0, max_value=12).map(float), min_size=1, max_size=60),
    st.sampled_from(["i", "c", "p", "u"]),
    st.lists(st.integers(min_value=1, max_value=59), max_size=3),
    st.none() | st.integers(min_value=1, max_value=30),
    st.sampled_from(["increase", "decrease"]),
)
def test_latest_variation_matches_the_full_mdc_rules(
    values: list[float], chart: str, starts: list[int], frozen: int | None, direction: str
) -> None:
    # The variation icon looks back from the latest point only; it must agree with finding every
    # MDC signal and asking which cover the latest point.
    shortcut, full = _icon_both_ways(_fit_for_icons(values, chart, starts, frozen), direction)
    assert shortcut == full


def test_latest_variation_matches_on_series_with_runs_trends_and_jumps() -> None:
    # Random data rarely ends in 7 points on one side or 7 rising; these series are built to.
    rng = random.Random(2026)
    seen = set()
    for case in range(3000):
        values = [float(rng.randint(8, 12)) for _ in range(rng.randint(13, 40))]
        tail = rng.choice(["run", "trend", "jump", "two", "flat", "none"])
        size = rng.randint(1, 9)
        sign = rng.choice([1, -1])
        if tail == "run":
            values += [10.0 + sign * rng.randint(1, 4) for _ in range(size)]
        elif tail == "trend":
            values += [values[-1] + sign * (k + 1) * rng.choice([0.5, 1.0]) for k in range(size)]
        elif tail == "jump":
            values += [10.0 + sign * 30.0]
        elif tail == "two":
            values += [10.0 + sign * rng.choice([5.0, 6.0, 0.0]) for _ in range(3)]
        elif tail == "flat":
            values += [values[-1]] * size
        values = [max(0.0, v) for v in values]  # counts and rates are not negative
        chart = rng.choice(["i", "c", "p", "u"])
        # A phase that starts shortly before the end cuts the patterns short.
        starts = [] if case % 3 == 0 else [max(1, len(values) - rng.randint(1, 9))]
        fitted = _fit_for_icons(values, chart, starts, rng.choice([None, 12]))
        shortcut, full = _icon_both_ways(fitted, rng.choice(["increase", "decrease"]))
        assert shortcut == full, (values, chart, starts)
        seen.add(full)
    assert seen == {"improvement", "concern", "common_cause"}
