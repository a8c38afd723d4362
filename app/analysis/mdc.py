"""NHS England "Making Data Count" (MDC) rules and its variation and assurance icons."""

from __future__ import annotations

from collections.abc import Sequence

from app.analysis.runs import side_of
from app.analysis.signals import make_signal, outside_limits_signals
from app.analysis.spc import FittedChart
from app.analysis.types import Assurance, Direction, Signal, SignalKind, Variation

MDC_RUN = 7  # points in a row on one side of the mean
MDC_TREND = 7  # points in a row each higher (or lower) than the one before
TWO_SIGMA = 2.0
TRIAL_LIMIT_POINTS = 12  # limits from fewer points are trial limits


def _stretches(keys: Sequence[int], start: int, minimum: int) -> list[tuple[int, int, int]]:
    """(first, last, key) of maximal stretches of equal non-zero keys at least `minimum` long.

    A zero key breaks a stretch: MDC, like NHSRplotthedots, lets a point exactly on the mean (or
    equal to its neighbour) interrupt a run or trend. Indices are offset by `start`.
    """
    found = []
    first = 0
    for k in range(1, len(keys) + 1):
        if k == len(keys) or keys[k] != keys[first]:
            if keys[first] != 0 and k - first >= minimum:
                found.append((start + first, start + k - 1, keys[first]))
            first = k
    return found


def _beyond_two_sigma(y: float, cl: float, sigma: float) -> int:
    if y > cl + TWO_SIGMA * sigma:
        return 1
    if y < cl - TWO_SIGMA * sigma:
        return -1
    return 0


def mdc_signals(fitted: FittedChart, direction: Direction) -> list[Signal]:
    """Special causes by the four MDC rules, found phase by phase."""
    points = fitted.points
    found = outside_limits_signals(fitted, direction)
    for phase in fitted.phases:
        lo, hi = phase.start, phase.end + 1
        if phase.cl is None or hi <= lo:
            continue
        cl = phase.cl
        sides = [side_of(p.y, cl) for p in points[lo:hi]]
        found.extend(make_signal("mdc_run", a, b, s, direction) for a, b, s in _stretches(sides, lo, MDC_RUN))
        # Key k of `steps` is the step into point lo+k+1; a stretch of 6 steps spans 7 points.
        steps = [(points[k].y > points[k - 1].y) - (points[k].y < points[k - 1].y) for k in range(lo + 1, hi)]
        found.extend(
            make_signal("mdc_trend", a, b + 1, s, direction) for a, b, s in _stretches(steps, lo, MDC_TREND - 1)
        )
        beyond = [_beyond_two_sigma(p.y, cl, p.sigma) if p.sigma is not None else 0 for p in points[lo:hi]]
        found.extend(_two_of_three(beyond, lo, direction))
    return found


def _two_of_three(beyond: Sequence[int], start: int, direction: Direction) -> list[Signal]:
    """2 of 3 consecutive points beyond 2 sigma on the same side; overlapping windows merge."""
    spans: list[list[int]] = []  # [first, last, side]
    for k in range(len(beyond) - 2):
        for side in (1, -1):
            hits = [start + j for j in range(k, k + 3) if beyond[j] == side]
            if len(hits) < 2:
                continue
            if spans and spans[-1][2] == side and hits[0] <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], hits[-1])
            else:
                spans.append([hits[0], hits[-1], side])
    return [make_signal("two_of_three", a, b, s, direction) for a, b, s in spans]


MDC_KINDS: frozenset[SignalKind] = frozenset({"outside_limits", "mdc_run", "mdc_trend", "two_of_three"})


def variation_icon(signals: Sequence[Signal], latest: int) -> Variation:
    """The variation icon from the latest point: improvement wins when both apply."""
    covering = [s for s in signals if s.kind in MDC_KINDS and s.start <= latest <= s.end]
    if any(s.favourable for s in covering):
        return "improvement"
    if covering:
        return "concern"
    return "common_cause"


def assurance_icon(
    target: float | None, lcl: float | None, ucl: float | None, direction: Direction
) -> Assurance | None:
    """Whether the process, as it runs now, will meet the target (needs limits and a target)."""
    if target is None or lcl is None or ucl is None:
        return None
    if target > ucl:
        return "fail" if direction == "increase" else "pass"
    if target < lcl:
        return "pass" if direction == "increase" else "fail"
    return "hit_and_miss"
