from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from math import comb

import pytest

from app.analysis import AnalysisResult
from app.analysis.ihi import RUNS_TABLE, Trend, runs_range, shifts, trends
from app.analysis.runs import runs_of

Analyse = Callable[..., AnalysisResult]


def _runs_distribution(below: int, above: int) -> dict[int, Fraction]:
    """Exact distribution of the number of runs in a random arrangement (Swed & Eisenhart 1943)."""
    total = comb(below + above, below)
    distribution = {}
    for runs in range(2, below + above + 1):
        k, odd = divmod(runs, 2)
        if odd:
            ways = comb(below - 1, k) * comb(above - 1, k - 1) + comb(below - 1, k - 1) * comb(above - 1, k)
        else:
            ways = 2 * comb(below - 1, k - 1) * comb(above - 1, k - 1)
        distribution[runs] = Fraction(ways, total)
    return distribution


def test_runs_table_is_the_exact_two_sided_five_percent_range() -> None:
    assert sorted(RUNS_TABLE) == list(range(10, 61))
    for n, (low, high) in RUNS_TABLE.items():
        distribution = _runs_distribution(n // 2, n - n // 2)
        too_few = sum(p for runs, p in distribution.items() if runs < low)
        too_many = sum(p for runs, p in distribution.items() if runs > high)
        # Each tail holds at most 2.5 %, and widening the range by one would still fit.
        assert too_few <= Fraction(1, 40) < too_few + distribution[low], n
        assert too_many <= Fraction(1, 40) < too_many + distribution[high], n


@pytest.mark.parametrize(("n_useful", "expected"), [(9, None), (10, (3, 9)), (60, (24, 38)), (61, None)])
def test_runs_range_covers_10_to_60_useful_points(n_useful: int, expected: tuple[int, int] | None) -> None:
    assert runs_range(n_useful) == expected


def test_six_points_on_one_side_is_a_shift_five_is_not() -> None:
    assert [(r.start, r.end) for r in shifts(runs_of(0, [-1, 1, 1, 1, 1, 1, 1, -1]))] == [(1, 6)]
    assert shifts(runs_of(0, [-1, 1, 1, 1, 1, 1, -1])) == []


def test_points_on_the_median_neither_count_nor_break_a_shift() -> None:
    # Five points above with one on the median in between: still only five.
    assert shifts(runs_of(0, [1, 1, 1, 0, 1, 1, -1])) == []
    found = shifts(runs_of(0, [1, 1, 1, 0, 0, 1, 1, 1]))
    assert [(r.start, r.end, r.length) for r in found] == [(0, 7, 6)]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1, 2, 3, 4, 5], [Trend(0, 4, 1)]),
        ([1, 2, 3, 4], []),
        ([5, 4, 3, 2, 1, 2], [Trend(0, 4, -1)]),
        ([1, 2, 2, 3, 4, 5], [Trend(0, 5, 1)]),  # a repeated value does not break the trend
        ([1, 2, 2, 3, 4], []),  # ... and does not count
        (
            [1, 2, 3, 4, 5, 4, 3, 2, 1],
            [Trend(0, 4, 1), Trend(4, 8, -1)],
        ),  # the turning point ends one and starts the next
        ([3, 3, 3, 3, 3, 3], []),
        ([7], []),
        ([], []),
    ],
)
def test_trends(values: list[float], expected: list[Trend]) -> None:
    assert trends(values, 0, len(values) - 1) == expected


def test_trends_respect_the_given_span() -> None:
    values = [1, 2, 3, 4, 5, 6, 7]
    assert trends(values, 2, 5) == []
    assert trends(values, 2, 6) == [Trend(2, 6, 1)]


def _balanced(below: int, above: int, on_median: int = 0) -> list[float]:
    """Points alternating around a median of 1.0 (with `on_median` points on it first)."""
    low, high = [0.0] * below, [2.0] * above
    mixed: list[float] = [1.0] * on_median
    while low or high:
        for side in (high, low):
            if side:
                mixed.append(side.pop())
    return mixed


@pytest.mark.parametrize(
    ("below", "above", "on_median", "n_useful", "has_range"),
    [(4, 5, 2, 9, False), (5, 5, 0, 10, True), (30, 30, 0, 60, True), (30, 31, 2, 61, False)],
)
def test_runs_are_judged_only_for_10_to_60_useful_points(
    run_analysis: Analyse, below: int, above: int, on_median: int, n_useful: int, has_range: bool
) -> None:
    result = run_analysis(_balanced(below, above, on_median), rules="ihi", chart="run")
    assert result.runs.n_useful == n_useful
    assert (result.ihi.runs_range is not None) is has_range
    assert result.ihi.runs == n_useful  # alternating: every useful point is its own run
    assert (result.insufficient_data == "too_few_points") is (n_useful < 10)


def test_ihi_result_and_signals(run_analysis: Analyse) -> None:
    values = [5.0, 6, 5, 6, 5, 6, 9, 9, 9, 9, 9, 9, 9, 5.5, 4, 5, 6, 7, 8]
    result = run_analysis(values, rules="ihi", chart="run", direction="decrease")
    assert result.points[0].cl == 6.0
    assert result.ihi.shifts == ((6, 12),)
    assert result.ihi.trends == ((14, 18),)
    kinds = {(s.kind, s.start, s.end, s.side, s.favourable) for s in result.signals}
    assert ("shift", 6, 12, "up", False) in kinds
    assert ("trend", 14, 18, "up", False) in kinds
    assert [p.signal for p in result.points] == [False] * 6 + [True] * 7 + [False] + [True] * 5


def test_too_few_runs_is_a_few_crossings_signal(run_analysis: Analyse) -> None:
    result = run_analysis([1.0] * 10 + [3.0] * 10, rules="ihi", chart="run", direction="increase")
    assert result.ihi.runs == 2
    assert result.ihi.runs_range == (7, 15)
    few = [s for s in result.signals if s.kind == "few_crossings"]
    assert [(s.start, s.end, s.side, s.favourable) for s in few] == [(0, 19, "up", True)]
    assert result.progress.improving


def test_too_many_runs_is_reported_but_has_no_direction(run_analysis: Analyse) -> None:
    result = run_analysis([1.0, 3.0] * 10, rules="ihi", chart="run")
    assert result.ihi.runs == 20
    assert result.ihi.runs_range is not None
    assert result.ihi.runs > result.ihi.runs_range[1]
    assert result.signals == ()
