from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.analysis import AnalysisResult, Observation, analyse
from app.analysis.progress import current_level, is_stale, on_track, progress_pct, suggest_rag

Analyse = Callable[..., AnalysisResult]
MakeObservations = Callable[..., list[Observation]]


def test_ange_home_care_continuity(run_analysis: Analyse) -> None:
    # Ånge: baseline 21 staff per client, now 16, target 14, lower is better -> 71 %.
    result = run_analysis(
        [21.0, 22, 20, 19, 17, 16, 15, 16, 17],
        baseline=21,
        target=14,
        direction="decrease",
        as_of=date(2023, 10, 15),
    )
    progress = result.progress
    assert progress.current == 16.0
    assert progress.progress_pct == 71.4
    assert progress.target_met is False
    assert result.to_dict()["progress"] == {
        "baseline": 21.0,
        "target": 14.0,
        "current": 16.0,
        "progress_pct": 71.4,
        "target_met": False,
        "improving": progress.improving,
        "stale": False,
    }


def test_current_is_the_median_of_the_last_three() -> None:
    assert current_level([1.0, 9.0, 2.0, 7.0]) == 7.0
    assert current_level([4.0, 8.0]) == 6.0
    assert current_level([5.0]) == 5.0
    assert current_level([]) is None


@pytest.mark.parametrize(
    ("current", "baseline", "target", "expected"),
    [
        (16.0, 21.0, 14.0, 71.4),
        (50.0, 40.0, 60.0, 50.0),
        (30.0, 40.0, 60.0, -50.0),  # moved the wrong way
        (70.0, 40.0, 60.0, 150.0),  # beyond the target
        (50.0, None, 60.0, None),
        (50.0, 40.0, None, None),
        (50.0, 60.0, 60.0, None),  # baseline equals target
        (None, 40.0, 60.0, None),
    ],
)
def test_progress_pct(
    current: float | None, baseline: float | None, target: float | None, expected: float | None
) -> None:
    assert progress_pct(current, baseline, target) == expected


@pytest.mark.parametrize(
    ("direction", "target", "met"),
    [("increase", 16.0, True), ("increase", 16.5, False), ("decrease", 16.0, True), ("decrease", 15.5, False)],
)
def test_target_met_counts_reaching_the_target(run_analysis: Analyse, direction: str, target: float, met: bool) -> None:
    assert run_analysis([15.0, 16.0, 17.0], target=target, direction=direction).progress.target_met is met


def test_target_met_is_none_without_target(run_analysis: Analyse) -> None:
    assert run_analysis([15.0, 16.0]).progress.target_met is None


@pytest.mark.parametrize(
    ("last_measured", "as_of", "stale"),
    [
        ("2024-W08", date(2024, 3, 6), False),  # Wednesday of W10: W08 and W09 are expected
        ("2024-W07", date(2024, 3, 6), True),
        ("2024-W09", date(2024, 3, 6), False),
        ("2024-W10", date(2024, 3, 6), False),  # already measuring the running week
        ("2024-W07", date(2024, 3, 3), False),  # Sunday of W09: W07 and W08 are expected
    ],
)
def test_stale_weekly(last_measured: str, as_of: date, stale: bool) -> None:
    assert is_stale(["2024-W01", last_measured], as_of=as_of, frequency="week") is stale


@pytest.mark.parametrize(
    ("last_measured", "as_of", "stale"),
    [
        ("2024-01", date(2024, 3, 15), False),
        ("2023-12", date(2024, 3, 15), True),
        ("2023-12", date(2024, 2, 29), False),
    ],
)
def test_stale_monthly(last_measured: str, as_of: date, stale: bool) -> None:
    assert is_stale([last_measured], as_of=as_of, frequency="month") is stale


def test_no_measurements_is_not_stale() -> None:
    assert is_stale([], as_of=date(2024, 3, 15), frequency="month") is False


def test_gaps_at_the_end_make_a_series_stale(make_observations: MakeObservations) -> None:
    obs = make_observations([5.0, 6.0, 7.0, None, None], first="2024-01")
    result = analyse(obs, data_type="value", direction="increase", frequency="month", as_of=date(2024, 6, 10))
    assert result.progress.stale
    assert result.suggested_rag == "red"


@pytest.mark.parametrize(
    ("values", "target", "target_position", "direction", "expected"),
    [
        ([10.0, 11, 12, 13, 14, 15], 20.0, 12, "increase", True),  # +1 per period reaches 20 by period 12
        ([10.0, 11, 12, 13, 14, 15], 20.0, 8, "increase", False),
        ([10.0, 11, 12, 13, 14, 15], 14.0, 6, "increase", True),  # already there
        ([15.0, 14, 13, 12, 11, 10], 5.0, 20, "decrease", True),
        ([10.0, 10, 10, 10], 20.0, 100, "increase", False),  # flat never gets there
        ([10.0, 11, 12, 13], 20.0, None, "increase", True),  # no deadline: heading the right way is enough
        ([13.0, 12, 11, 10], 20.0, None, "increase", False),
        ([10.0], 20.0, 12, "increase", False),
        ([10.0, 11, 12], None, 12, "increase", True),  # no target: nothing to be off track from
    ],
)
def test_on_track(
    values: list[float], target: float | None, target_position: int | None, direction: str, expected: bool
) -> None:
    positions = list(range(len(values)))
    result = on_track(values, positions, target=target, target_position=target_position, direction=direction)  # type: ignore[arg-type]
    assert result is expected


def _rag(**overrides: object) -> str:
    settings: dict[str, object] = {
        "stale": False,
        "worsening": False,
        "target_met": False,
        "improving": False,
        "on_track": False,
        "target_date": date(2025, 12, 31),
        "as_of": date(2025, 1, 1),
    }
    settings.update(overrides)
    return suggest_rag(**settings)  # type: ignore[arg-type]


def test_suggested_rag_rules() -> None:
    assert _rag() == "amber"
    assert _rag(target_met=True) == "green"
    assert _rag(improving=True, on_track=True) == "green"
    assert _rag(improving=True) == "amber"  # improving but too slowly
    assert _rag(on_track=True) == "amber"  # no signal yet
    assert _rag(stale=True, target_met=True) == "red"
    assert _rag(worsening=True) == "red"
    assert _rag(as_of=date(2026, 1, 1)) == "red"  # deadline passed, target not met
    assert _rag(as_of=date(2026, 1, 1), target_met=True) == "green"
    assert _rag(as_of=date(2026, 1, 1), target_met=None, target_date=None) == "amber"


def test_rag_green_for_improvement_on_track(run_analysis: Analyse) -> None:
    values = [30.0, 31, 29, 30, 32, 30, 29, 31, 30, 30, 38, 40, 41, 42, 43, 44, 45, 46]
    result = run_analysis(
        values, target=50.0, target_date=date(2024, 12, 31), direction="increase", as_of=date(2024, 7, 1)
    )
    assert result.progress.improving
    assert result.suggested_rag == "green"


def test_rag_red_when_moving_the_wrong_way(run_analysis: Analyse) -> None:
    values = [40.0, 41, 39, 40, 42, 40, 39, 41, 40, 40, 32, 31, 30, 29, 30, 28, 29, 27]
    result = run_analysis(values, target=50.0, direction="increase", as_of=date(2024, 7, 1))
    # The early run above the median is on the desired side, but the latest signal is the drop.
    assert [(s.kind, s.side) for s in result.signals if s.kind == "long_run"] == [
        ("long_run", "up"),
        ("long_run", "down"),
    ]
    assert not result.progress.improving
    assert result.suggested_rag == "red"


def test_rag_red_after_deadline(run_analysis: Analyse) -> None:
    result = run_analysis([10.0, 11, 12], target=50.0, target_date=date(2023, 2, 28), as_of=date(2023, 4, 1))
    assert result.suggested_rag == "red"


def test_rag_none_without_points(run_analysis: Analyse) -> None:
    result = run_analysis([], target=50.0)
    assert result.suggested_rag is None
    assert result.insufficient_data == "no_points"
