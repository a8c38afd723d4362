"""Progress against the target, staleness and the suggested RAG status (DESIGN §3)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import date

from app.analysis.periods import period_for_date, period_index, previous_period
from app.analysis.types import Direction, Frequency, Rag

CURRENT_WINDOW = 3  # "current" is the median of this many latest points
STALE_PERIODS = 2


def current_level(values: Sequence[float]) -> float | None:
    """Median of the last three points (fewer if fewer exist); None without points."""
    return statistics.median(values[-CURRENT_WINDOW:]) if values else None


def progress_pct(current: float | None, baseline: float | None, target: float | None) -> float | None:
    """100 * (current - baseline) / (target - baseline), one decimal; None when undefined."""
    if current is None or baseline is None or target is None or target == baseline:
        return None
    return round(100.0 * (current - baseline) / (target - baseline), 1)


def reaches(value: float, target: float, direction: Direction) -> bool:
    """True when `value` is on the right side of `target` (or on it)."""
    return value >= target if direction == "increase" else value <= target


def is_stale(measured_periods: Sequence[str], *, as_of: date, frequency: Frequency) -> bool:
    """True when nothing was measured in the last two complete periods nor since.

    The period containing `as_of` is still running, so it is not yet expected; the two periods
    before it are. Example (weekly, as_of Wednesday of 2024-W10): stale when no value exists for
    2024-W08 or any later week. A series with no measurements at all is not called stale: it has
    not started ("no_points" says so), and a new measure should not turn red.
    """
    if not measured_periods:
        return False
    oldest_expected = period_for_date(as_of, frequency)
    for _ in range(STALE_PERIODS):
        oldest_expected = previous_period(oldest_expected)
    return period_index(measured_periods[-1]) < period_index(oldest_expected)


def on_track(
    values: Sequence[float],
    positions: Sequence[int],
    *,
    target: float | None,
    target_position: int | None,
    direction: Direction,
) -> bool:
    """Whether a straight line through the recent level reaches the target by the target date.

    The line goes through two robust anchors of the latest phase: the median of its first k points
    and the median of its last k points (k = 3, or half the points when fewer than 6), each placed
    at the median period position of its points. Extrapolated to the target date's period, it must
    reach the target. Without a target there is nothing to be off track from, and without a target
    date any pace will do as long as the line heads towards the target (or already reached it).
    """
    if target is None:
        return True
    k = min(CURRENT_WINDOW, len(values) // 2)
    if k == 0:
        return bool(values) and reaches(values[-1], target, direction)
    early, late = statistics.median(values[:k]), statistics.median(values[-k:])
    if reaches(late, target, direction):
        return True
    x_early, x_late = statistics.median(positions[:k]), statistics.median(positions[-k:])
    slope = (late - early) / (x_late - x_early)
    if target_position is None:
        return slope > 0 if direction == "increase" else slope < 0
    return reaches(late + slope * (target_position - x_late), target, direction)


def suggest_rag(
    *,
    stale: bool,
    worsening: bool,
    target_met: bool | None,
    improving: bool,
    on_track: bool,
    target_date: date | None,
    as_of: date,
) -> Rag:
    """DESIGN §3's suggestion; red conditions win over green ones."""
    deadline_missed = target_date is not None and as_of > target_date and target_met is False
    if stale or worsening or deadline_missed:
        return "red"
    if target_met or (improving and on_track):
        return "green"
    return "amber"
