from __future__ import annotations

from math import comb

import pytest

from app.analysis.runs import (
    Run,
    anhoej,
    crossings_min,
    longest_run_max,
    qbinom_half,
    runs_of,
    side_of,
)


def _qbinom_by_definition(p: float, size: int) -> int:
    """Smallest k with P(X <= k) >= p, with exact fractions (no fuzz)."""
    total = 2**size
    cumulative = 0
    for k in range(size + 1):
        cumulative += comb(size, k)
        if cumulative >= p * total:
            return k
    return size


@pytest.mark.parametrize(
    ("size", "expected"),
    # By hand: Binomial(5, 1/2) has P(X<=0) = 1/32 < 0.05 <= P(X<=1) = 6/32;
    # Binomial(9, 1/2) has P(X<=1) = 10/512 < 0.05 <= P(X<=2) = 46/512.
    [(0, 0), (1, 0), (3, 0), (4, 0), (5, 1), (9, 2), (19, 6), (23, 8), (29, 10), (117, 50), (119, 51)],
)
def test_qbinom_at_five_percent(size: int, expected: int) -> None:
    assert qbinom_half(0.05, size) == expected
    assert crossings_min(size + 1) == expected


def test_qbinom_agrees_with_its_definition_for_many_sizes() -> None:
    for size in range(400):
        assert qbinom_half(0.05, size) == _qbinom_by_definition(0.05, size), size


def test_qbinom_is_left_continuous_like_r() -> None:
    # P(X <= 0) = 0.5 exactly for one trial: R answers 0, not 1.
    assert qbinom_half(0.5, 1) == 0
    assert qbinom_half(0.5, 2) == 1  # P(X <= 0) = 0.25, P(X <= 1) = 0.75
    assert qbinom_half(0.75, 2) == 1


@pytest.mark.parametrize(("p", "size"), [(0.0, 3), (1.0, 3), (0.05, -1)])
def test_qbinom_rejects_impossible_arguments(p: float, size: int) -> None:
    with pytest.raises(ValueError, match="qbinom_half"):
        qbinom_half(p, size)


@pytest.mark.parametrize(
    ("n_useful", "expected"), [(1, 3), (2, 4), (4, 5), (10, 6), (11, 6), (12, 7), (23, 8), (45, 8), (46, 9), (100, 10)]
)
def test_longest_run_max(n_useful: int, expected: int) -> None:
    assert longest_run_max(n_useful) == expected


def test_points_within_tolerance_are_on_the_line() -> None:
    assert side_of(10.0, 10.0) == 0
    assert side_of(10.0 + 5e-9, 10.0) == 0  # 1e-9 * max(1, |CL|) = 1e-8
    assert side_of(10.0 + 2e-8, 10.0) == 1
    assert side_of(0.1 + 0.2, 0.3) == 0
    assert side_of(-5e-10, 0.0) == 0
    assert side_of(-2e-9, 0.0) == -1


def test_runs_skip_points_on_the_line_without_breaking() -> None:
    runs = runs_of(0, [1, 1, 0, 1, -1, 0, 0, -1, 1])
    assert runs.longer_than(0) == [Run(1, 0, 3, 3), Run(-1, 4, 7, 2), Run(1, 8, 8, 1)]
    assert runs.longer_than(2) == [Run(1, 0, 3, 3)]
    assert len(runs) == 3
    assert len(runs_of(5, [0, 0])) == 0
    assert runs_of(10, [-1, -1, 1]).starts == [10, 12]


def test_anhoej_summary() -> None:
    runs = runs_of(0, [1] * 9 + [-1] * 3)
    result = anhoej(14, runs)
    assert (result.n_obs, result.n_useful, result.longest_run, result.crossings) == (14, 12, 9, 1)
    assert (result.longest_run_max, result.crossings_min) == (7, 3)
    assert result.signal


def test_anhoej_without_useful_points_has_no_limits_and_no_signal() -> None:
    result = anhoej(5, runs_of(0, [0, 0, 0]))
    assert result.n_useful == 0
    assert result.longest_run is None
    assert result.crossings_min is None
    assert not result.signal
