"""Properties that must hold for any series (hypothesis)."""

from __future__ import annotations

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
