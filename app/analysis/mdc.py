"""NHS England "Making Data Count" (MDC) rules and its variation and assurance icons."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from itertools import compress, repeat

from app.analysis.runs import stretches
from app.analysis.signals import make_signal, outside_limits_signals
from app.analysis.spc import FittedChart
from app.analysis.types import Assurance, Direction, Signal, SignalKind, Variation

MDC_RUN = 7  # points in a row on one side of the mean
MDC_TREND = 7  # points in a row each higher (or lower) than the one before
TWO_SIGMA = 2.0
TRIAL_LIMIT_POINTS = 12  # limits from fewer points are trial limits


def _offset(found: list[tuple[int, int, int]], start: int) -> list[tuple[int, int, int]]:
    return [(start + a, start + b, key) for a, b, key in found]


def mdc_signals(fitted: FittedChart, direction: Direction) -> list[Signal]:
    """Special causes by the four MDC rules, found phase by phase."""
    y = fitted.y
    found = outside_limits_signals(fitted, direction)
    for phase in fitted.phases:
        lo, hi = phase.start, phase.end + 1
        cl = phase.cl
        if cl is None or hi <= lo:
            continue
        found.extend(
            make_signal("mdc_run", a, b, s, direction)
            # A point exactly on the mean (side 0) breaks the run, as in NHSRplotthedots.
            for a, b, s in _offset(stretches(fitted.side[lo:hi], MDC_RUN), lo)
        )
        # Key j of `steps` is the step into point lo+j+1, so a stretch of 6 steps spans 7 points.
        # An equal neighbour (step 0) breaks the trend: each point must be higher than the last.
        later, earlier = y[lo + 1 : hi], y[lo : hi - 1]
        steps = list(map(operator.sub, map(operator.gt, later, earlier), map(operator.lt, later, earlier)))
        found.extend(
            make_signal("mdc_trend", a, b + 1, s, direction) for a, b, s in _offset(stretches(steps, MDC_TREND - 1), lo)
        )
        found.extend(_two_of_three(_beyond_two_sigma(y, fitted.sigma, cl, lo, hi), direction))
    return found


def _beyond_two_sigma(
    y: Sequence[float], sigma: Sequence[float | None], cl: float, lo: int, hi: int
) -> list[tuple[int, int]]:
    """(index, side) of the points lo..hi-1 further than 2 sigma from the centre line."""
    sigmas = sigma[lo:hi]
    if None in sigmas:  # without limits (all None in a fitted phase) nothing is beyond them
        return [
            (k, 1 if y[k] > cl + TWO_SIGMA * s else -1)
            for k in range(lo, hi)
            if (s := sigma[k]) is not None and abs(y[k] - cl) > TWO_SIGMA * s
        ]
    widths = list(map(operator.mul, repeat(TWO_SIGMA), sigmas))
    distances = map(abs, map(operator.sub, y[lo:hi], repeat(cl)))
    far = compress(range(len(widths)), map(operator.gt, distances, widths))
    return [(lo + j, 1 if y[lo + j] > cl + widths[j] else -1) for j in far]


def _two_of_three(beyond: Sequence[tuple[int, int]], direction: Direction) -> list[Signal]:
    """2 of 3 consecutive points beyond 2 sigma on the same side; overlapping windows merge.

    `beyond` lists (index, side) of the points beyond 2 sigma, in order, within one phase.
    """
    spans: list[list[int]] = []  # [first, last, side]
    for n, (first, side) in enumerate(beyond):
        for second, other in beyond[n + 1 : n + 3]:
            if second - first > 2:
                break
            if other != side:
                continue
            if spans and spans[-1][2] == side and first <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], second)
            else:
                spans.append([first, second, side])
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


def latest_variation(fitted: FittedChart, direction: Direction) -> Variation:
    """`variation_icon(mdc_signals(fitted, direction), latest)` without finding every signal.

    Only the patterns that include the latest point matter, and each of them ends there: a run or
    a trend that ends with it, 2 of 3 points whose last is it, or the point itself outside the
    limits. Looking back from the latest point is enough, which keeps the icon cheap on pages
    that show it for long series under other rules.
    """
    y, side = fitted.y, fitted.side
    last = len(y) - 1
    if last < 0:
        return "common_cause"
    found: list[int] = []  # the side (+1 up, -1 down) of each pattern that covers the latest point
    if fitted.outside[last]:
        high = fitted.ucl[last]
        found.append(1 if high is not None and y[last] > high else -1)
    phase = fitted.phases[fitted.phase[last] - 1]
    lo, cl = phase.start, phase.cl
    if cl is not None:
        if s := side[last]:  # a run of MDC_RUN points on one side, ending with the latest
            k = last
            while k > lo and side[k - 1] == s:
                k -= 1
            if last - k + 1 >= MDC_RUN:
                found.append(s)
        # A trend: MDC_TREND - 1 equal steps in a row, the last one into the latest point.
        if last > lo and (step := (y[last] > y[last - 1]) - (y[last] < y[last - 1])):
            k = last
            while k - 1 > lo and (y[k - 1] > y[k - 2]) - (y[k - 1] < y[k - 2]) == step:
                k -= 1
            if last - k + 1 >= MDC_TREND - 1:
                found.append(step)
        beyond = _side_beyond_two_sigma(y, fitted.sigma, cl)
        s = beyond(last)
        if s and any(k >= lo and beyond(k) == s for k in (last - 1, last - 2)):
            found.append(s)
    if any((s > 0) == (direction == "increase") for s in found):
        return "improvement"
    return "concern" if found else "common_cause"


def _side_beyond_two_sigma(y: Sequence[float], sigma: Sequence[float | None], cl: float) -> Callable[[int], int]:
    """For point k: +1 or -1 when it lies beyond 2 sigma above or below the centre line, else 0."""

    def side(k: int) -> int:
        s = sigma[k]
        if s is None or not abs(y[k] - cl) > TWO_SIGMA * s:
            return 0
        return 1 if y[k] > cl + TWO_SIGMA * s else -1

    return side


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
