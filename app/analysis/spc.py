"""Centre lines and control limits for run, I, p, u and c charts, matching qicharts2 0.8.1 defaults.

`fit_chart` works on measured points only (gaps removed) and is told where gaps were, because a gap
breaks the I chart's moving range. `qic` takes qicharts2's own input form (one entry per period,
None for a gap) and answers per period; the reference-case tests compare it with qicharts2.
"""

from __future__ import annotations

import itertools
import math
import operator
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import partial
from itertools import compress, repeat

from app.analysis.runs import Runs, anhoej, runs_of, sides
from app.analysis.types import AnalysisInputError, ChartType, RunsAnalysis

# Nelson (1982): moving ranges at or above 3.267 * average moving range are screened out, and
# sigma = average moving range / d2 with d2 = 1.128 for ranges of two.
MR_SCREEN_FACTOR = 3.267
D2 = 1.128
SIGMA_LIMIT = 3.0


@dataclass(frozen=True, slots=True)
class FittedPhase:
    """A phase: points start..end inclusive (end < start for a phase with no points)."""

    phase: int
    start: int
    end: int
    n_base: int  # points the centre line and limits were computed from
    cl: float | None
    # The common sigma of I and c charts (limits are the same at every period); None for run, p
    # and u charts and when undefined.
    sigma: float | None
    runs: RunsAnalysis
    run_list: Runs


@dataclass(frozen=True, slots=True)
class FittedChart:
    """A fitted chart, one list entry per measured point (column-wise: series of thousands of
    points are analysed on page views, and lists are much cheaper than an object per point).

    Values are on the internal scale: proportions 0-1 for p charts, raw rates for u charts.
    `sigma` is each point's standard deviation before the limits were clipped; MDC's 2-sigma rule
    needs it.
    """

    chart: ChartType
    y: list[float]
    cl: list[float | None]
    lcl: list[float | None]
    ucl: list[float | None]
    sigma: list[float | None]
    phase: list[int]
    outside: list[bool]
    phases: tuple[FittedPhase, ...]
    # Each point's side of its phase's centre line (runs.sides): +1 above, -1 below, 0 on it or
    # without a centre line. The run and MDC rules read it.
    side: list[int]


def _mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def _i_sigma(y: Sequence[float], gap_before: Sequence[bool], lo: int, hi: int) -> float | None:
    """Sigma from screened moving ranges of points lo..hi-1; None when no moving range remains."""
    # Column-wise (map over C-level operators): this runs on every page view of long series.
    ranges = list(
        compress(
            map(abs, map(operator.sub, y[lo + 1 : hi], y[lo : hi - 1])),
            map(operator.not_, gap_before[lo + 1 : hi]),
        )
    )
    if not ranges:
        return None
    upper = MR_SCREEN_FACTOR * _mean(ranges)
    kept = list(compress(ranges, map(operator.lt, ranges, repeat(upper))))
    return _mean(kept) / D2 if kept else None


def limit_columns(chart: ChartType, cl: float, sigmas: Sequence[float]) -> tuple[list[float], list[float]]:
    """Lower and upper limits for each sigma, clipped to the chart's possible range: proportions
    within [0, 1], rates and counts not below 0."""
    widths = list(map(operator.mul, repeat(SIGMA_LIMIT), sigmas))
    lows = list(map(operator.sub, repeat(cl), widths))
    highs = list(map(operator.add, repeat(cl), widths))
    # Clip only when needed (min/max scan in C); usually no limit is clipped.
    if chart in ("p", "u", "c") and lows and not min(lows) > 0.0:
        lows = [low if low > 0.0 else 0.0 for low in lows]
    if chart == "p" and highs and not max(highs) < 1.0:
        highs = [high if high < 1.0 else 1.0 for high in highs]
    return lows, highs


def limits_at(chart: ChartType, cl: float, sigma: float | None) -> tuple[float | None, float | None]:
    """(lcl, ucl) for a centre line and one sigma; (None, None) without a sigma."""
    if sigma is None:
        return None, None
    (low,), (high,) = limit_columns(chart, cl, [sigma])
    return low, high


def _point_sigmas(chart: ChartType, cl: float, denominators: Sequence[float]) -> list[float]:
    variance = max(cl * (1.0 - cl), 0.0) if chart == "p" else cl
    return list(map(math.sqrt, map(partial(operator.truediv, variance), denominators)))


def _centre(
    chart: ChartType,
    y: Sequence[float],
    weights: tuple[Sequence[float], Sequence[float]] | None,
    gaps: Sequence[bool],
    lo: int,
    hi: int,
) -> tuple[float | None, float | None]:
    """Centre line and common sigma (I and c charts) from points lo..hi-1; Nones without points."""
    if hi <= lo:
        return None, None
    if chart == "run":
        return statistics.median(y[lo:hi]), None
    if weights is not None:  # p and u: pooled over the baseline, sigma varies per point
        return math.fsum(weights[0][lo:hi]) / math.fsum(weights[1][lo:hi]), None
    cl = _mean(y[lo:hi])
    return cl, (_i_sigma(y, gaps, lo, hi) if chart == "i" else math.sqrt(cl))


def fit_chart(
    chart: ChartType,
    y: Sequence[float],
    *,
    numerators: Sequence[float] | None = None,
    denominators: Sequence[float] | None = None,
    gap_before: Sequence[bool] | None = None,
    phase_starts: Sequence[int] = (),
    n_frozen: int | None = None,
) -> FittedChart:
    """Fit a chart to measured points.

    `y` are the plotted values (for p and u: numerator / denominator). p and u charts also need
    `numerators` and `denominators`. `gap_before[k]` says a missing period lies between points k-1
    and k. `phase_starts` are point indices where a new phase begins (non-decreasing; an index
    repeated gives an empty phase). With `n_frozen = k`, centre lines and limits come from the
    first k points only, phase by phase as in qicharts2; a phase that starts after them uses all of
    its own points. Runs are always analysed over every point of a phase.
    """
    count = len(y)
    weights: tuple[Sequence[float], Sequence[float]] | None = None
    if chart in ("p", "u"):
        if numerators is None or denominators is None:
            raise AnalysisInputError(f"a {chart} chart needs numerators and denominators")
        weights = (numerators, denominators)
    gaps = gap_before if gap_before is not None else [False] * count
    bounds = [0, *(s for s in phase_starts if 0 < s <= count), count]

    cls: list[float | None] = []
    lcls: list[float | None] = []
    ucls: list[float | None] = []
    point_sigmas: list[float | None] = []
    numbers: list[int] = []
    outside: list[bool] = []
    point_sides: list[int] = []
    phases: list[FittedPhase] = []
    for number, (lo, hi) in enumerate(itertools.pairwise(bounds), start=1):
        size = hi - lo
        base_hi = min(hi, n_frozen) if n_frozen is not None and lo < n_frozen else hi
        cl, sigma = _centre(chart, y, weights, gaps, lo, base_hi)
        numbers.extend([number] * size)
        cls.extend([cl] * size)

        ys = y[lo:hi]
        if cl is not None and weights is not None:  # p and u: sigma and limits vary per point
            sigmas = _point_sigmas(chart, cl, weights[1][lo:hi])
            lows, highs = limit_columns(chart, cl, sigmas)
            point_sigmas.extend(sigmas)
            lcls.extend(lows)
            ucls.extend(highs)
            outside.extend(map(operator.or_, map(operator.gt, ys, highs), map(operator.lt, ys, lows)))
        elif cl is not None and sigma is not None:  # I and c: the same limits at every point
            (low,), (high,) = limit_columns(chart, cl, [sigma])
            point_sigmas.extend([sigma] * size)
            lcls.extend([low] * size)
            ucls.extend([high] * size)
            outside.extend(map(operator.or_, map(operator.gt, ys, repeat(high)), map(operator.lt, ys, repeat(low))))
        else:
            point_sigmas.extend([None] * size)
            lcls.extend([None] * size)
            ucls.extend([None] * size)
            outside.extend([False] * size)

        phase_sides = sides(ys, cl) if cl is not None else []
        point_sides.extend(phase_sides or [0] * size)
        run_list = runs_of(lo, phase_sides)
        phases.append(
            FittedPhase(
                phase=number,
                start=lo,
                end=hi - 1,
                n_base=base_hi - lo,
                cl=cl,
                sigma=sigma,
                runs=anhoej(size, run_list),
                run_list=run_list,
            )
        )
    return FittedChart(chart, list(y), cls, lcls, ucls, point_sigmas, numbers, outside, tuple(phases), point_sides)


@dataclass(frozen=True, slots=True)
class QicPoint:
    y: float | None
    cl: float | None
    lcl: float | None
    ucl: float | None
    phase: int
    outside_limits: bool


@dataclass(frozen=True, slots=True)
class QicPhase:
    phase: int
    runs: RunsAnalysis


@dataclass(frozen=True, slots=True)
class QicResult:
    points: tuple[QicPoint, ...]
    phases: tuple[QicPhase, ...]


def qic(
    chart: ChartType,
    *,
    values: Sequence[float | None] | None = None,
    numerators: Sequence[float | None] | None = None,
    denominators: Sequence[float | None] | None = None,
    freeze: int | None = None,
    phase_starts_after: Sequence[int] = (),
) -> QicResult:
    """qicharts2's `qic(y, n, chart, freeze, part)` in its input form: one entry per period.

    None is a period without a measurement. `freeze` and `phase_starts_after` count periods,
    gaps included, as qicharts2 does. The phase's n_obs counts periods too.
    """
    nums: list[float] | None = None
    dens: list[float] | None = None
    if chart in ("p", "u"):
        if numerators is None or denominators is None or values is not None:
            raise AnalysisInputError(f"a {chart} chart takes numerators and denominators, not values")
        pairs = list(zip(numerators, denominators, strict=True))
        present = [num is not None and den is not None for num, den in pairs]
        nums = [num for num, den in pairs if num is not None and den is not None]
        dens = [den for num, den in pairs if num is not None and den is not None]
        y = [num / den for num, den in zip(nums, dens, strict=True)]
    else:
        if values is None or numerators is not None or denominators is not None:
            raise AnalysisInputError(f"a {chart} chart takes values, not numerators and denominators")
        present = [value is not None for value in values]
        y = [value for value in values if value is not None]
    periods = len(present)

    point_at: list[int] = []  # for each period: index of the first measured point at or after it
    gap_before: list[bool] = []
    last_measured = -1
    for position, is_present in enumerate(present):
        point_at.append(len(gap_before))
        if is_present:
            gap_before.append(0 <= last_measured < position - 1)
            last_measured = position

    starts = sorted({s for s in phase_starts_after if 0 < s < periods})
    fitted = fit_chart(
        chart,
        y,
        numerators=nums,
        denominators=dens,
        gap_before=gap_before,
        phase_starts=[point_at[s] for s in starts],
        n_frozen=point_at[freeze] if freeze is not None and freeze < periods else None,
    )

    phase_of_period = [1 + sum(1 for s in starts if s <= position) for position in range(periods)]
    result: list[QicPoint] = []
    for position, number in enumerate(phase_of_period):
        if present[position]:
            k = point_at[position]
            result.append(QicPoint(y[k], fitted.cl[k], fitted.lcl[k], fitted.ucl[k], number, fitted.outside[k]))
        else:
            # Like qicharts2, a gap still carries its phase's centre line, and the limits where
            # they do not depend on a denominator.
            phase = fitted.phases[number - 1]
            lcl, ucl = limits_at(chart, phase.cl, phase.sigma) if phase.cl is not None else (None, None)
            result.append(QicPoint(None, phase.cl, lcl, ucl, number, False))
    return QicResult(
        points=tuple(result),
        phases=tuple(
            # n_obs counts periods, gaps included, as in qicharts2.
            QicPhase(ph.phase, replace(ph.runs, n_obs=phase_of_period.count(ph.phase)))
            for ph in fitted.phases
        ),
    )
