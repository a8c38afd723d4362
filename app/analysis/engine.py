"""`analyse`: the public entry that turns a measure's observations into an `AnalysisResult`."""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from itertools import compress, pairwise, repeat
from typing import Any, cast

from app.analysis import ihi, mdc, progress
from app.analysis.periods import (
    PeriodError,
    parse_period_index,
    parse_period_indices,
    period_for_date,
    period_index,
)
from app.analysis.signals import anhoej_signals, ihi_signals, outside_limits_signals, sort_signals
from app.analysis.spc import FittedChart, fit_chart
from app.analysis.types import (
    AnalysisInputError,
    AnalysisResult,
    Assurance,
    ChartChoice,
    ChartType,
    DataType,
    Direction,
    Frequency,
    IhiResult,
    InsufficientData,
    Observation,
    PhaseResult,
    PointResult,
    Progress,
    RuleSet,
    RunsAnalysis,
    Signal,
    Variation,
)

AUTO_SPC_MIN_POINTS = 20  # below this, chart="auto" draws a run chart
_SPC_CHART: dict[DataType, ChartType] = {"value": "i", "proportion": "p", "rate": "u", "count": "c"}
_ALLOWED_CHARTS: dict[DataType, frozenset[ChartType]] = {
    data_type: frozenset({"run", "i", spc}) for data_type, spc in _SPC_CHART.items()
}
_CHARTS: frozenset[ChartType] = frozenset({"run", "i", "p", "u", "c"})
_RULES: frozenset[RuleSet] = frozenset({"anhoej", "ihi", "mdc"})
_DIRECTIONS: frozenset[Direction] = frozenset({"increase", "decrease"})


@dataclass(frozen=True, slots=True)
class _Series:
    """Measured points only, in period order."""

    periods: list[str]
    positions: list[int]  # period_index of each point: consecutive periods differ by 1
    values: list[float]  # page scale, as entered
    numerators: list[float] | None  # present when every point has numerator and denominator
    denominators: list[float] | None
    gap_before: list[bool]  # a missing period lies between this point and the one before


def _finite(name: str, value: float | None) -> None:
    if value is not None and not math.isfinite(value):
        raise AnalysisInputError(f"{name} must be a finite number, got {value!r}")


def _series(observations: Sequence[Observation], data_type: DataType, frequency: Frequency) -> _Series:
    # Column-wise checks with C-level builtins keep series of thousands of points cheap; when a
    # check fails, the observations go one by one to name the offending period.
    if not observations:
        # No points: vacuously every point has a numerator and a denominator, so a p or u chart
        # is a valid choice and the answer says "no_points" instead of refusing the chart.
        return _Series([], [], [], [], [], [])
    # Any: the number columns hold None (gaps, missing parts) until the checks below drop them.
    periods: list[str] = [o.period for o in observations]
    values: list[Any] = [o.value for o in observations]
    nums: list[Any] = [o.numerator for o in observations]
    dens: list[Any] = [o.denominator for o in observations]
    try:
        positions = parse_period_indices(periods, frequency)
    except PeriodError as error:
        raise AnalysisInputError(str(error)) from error
    if not all(map(operator.lt, positions, positions[1:])):
        bad = next(k for k in range(1, len(positions)) if positions[k] <= positions[k - 1])
        raise AnalysisInputError(f"observations must be in period order without repeats: {periods[bad]}")
    if not _numbers_ok(values, nums, dens, data_type):
        for o in observations:
            _check_numbers(o, data_type)

    if None in values:  # None is a gap: keep the measured points only
        kept = list(map(operator.is_not, values, repeat(None)))
        periods, positions = list(compress(periods, kept)), list(compress(positions, kept))
        values, nums, dens = list(compress(values, kept)), list(compress(nums, kept)), list(compress(dens, kept))
    complete = None not in nums and None not in dens
    return _Series(
        periods=periods,
        positions=positions,
        values=list(map(float, values)),
        numerators=list(map(float, nums)) if complete else None,
        denominators=list(map(float, dens)) if complete else None,
        gap_before=[False, *[b - a > 1 for a, b in pairwise(positions)]],
    )


def _numbers_ok(
    values: list[float | None], nums: list[float | None], dens: list[float | None], data_type: DataType
) -> bool:
    """Whether every number is acceptable, checked column by column."""
    # A sum is finite only when every term is (inf and nan propagate). A finite-number overflow
    # gives a false alarm, which only sends the series to the exact per-observation check.
    present = [v for v in values if v is not None]
    if not _all_finite(present):
        return False
    if data_type == "count" and present and (min(present) < 0 or not all(map(float.is_integer, map(float, present)))):
        return False
    if _all_none(nums) and _all_none(dens):
        return True  # plain values, the common case
    present_nums = [n for n in nums if n is not None]
    present_dens = [d for d in dens if d is not None]
    if not (_all_finite(present_nums) and _all_finite(present_dens)):
        return False
    if (present_dens and min(present_dens) <= 0) or (present_nums and min(present_nums) < 0):
        return False
    if data_type != "proportion":
        return True
    both = list(map(operator.and_, map(operator.is_not, nums, repeat(None)), map(operator.is_not, dens, repeat(None))))
    pairs = cast("tuple[list[float], list[float]]", (list(compress(nums, both)), list(compress(dens, both))))
    return not any(map(operator.gt, *pairs))


def _all_none(column: list[float | None]) -> bool:
    # count() is quick on Nones (identity) but slow on numbers: look at the first entry first.
    return not column or (column[0] is None and column.count(None) == len(column))


def _all_finite(numbers: list[float]) -> bool:
    try:
        return math.isfinite(sum(numbers))
    except OverflowError:  # an int too large for a float
        return False


def _check_numbers(o: Observation, data_type: DataType) -> None:
    """Raise for the first problem with one observation's numbers."""
    value, num, den = o.value, o.numerator, o.denominator
    for x in (value, num, den):
        if x is not None and not math.isfinite(x):
            raise AnalysisInputError(f"{o.period}: values must be finite numbers")
    if den is not None and den <= 0:
        raise AnalysisInputError(f"{o.period}: the denominator must be greater than 0")
    if num is not None and num < 0:
        raise AnalysisInputError(f"{o.period}: the numerator must not be negative")
    if data_type == "proportion" and num is not None and den is not None and num > den:
        raise AnalysisInputError(f"{o.period}: the numerator must not exceed the denominator")
    if data_type == "count" and value is not None and (value < 0 or not float(value).is_integer()):
        raise AnalysisInputError(f"{o.period}: a count must be a whole number of at least 0")


def _choose_chart(chart: ChartChoice, data_type: DataType, rules: RuleSet, series: _Series) -> ChartType:
    if chart == "auto":
        spc = _SPC_CHART[data_type]
        if spc in ("p", "u") and series.numerators is None:
            spc = "i"  # without numerators and denominators the values still make an I chart
        # MDC always reads limits (trial limits below 12 points), so it never falls back to a run chart.
        if rules == "mdc" or len(series.values) >= AUTO_SPC_MIN_POINTS:
            return spc
        return "run"
    if chart not in _ALLOWED_CHARTS[data_type]:
        allowed = ", ".join(sorted(_ALLOWED_CHARTS[data_type]))
        raise AnalysisInputError(f"a {chart} chart does not fit {data_type} data; use one of: {allowed}")
    if chart in ("p", "u") and series.numerators is None:
        raise AnalysisInputError(f"a {chart} chart needs a numerator and a denominator for every value")
    return chart


def _check_options(
    data_type: DataType,
    chart: ChartChoice,
    rules: RuleSet,
    direction: Direction,
    frequency: Frequency,
    freeze: int | None,
    rate_multiplier: float,
    baseline: float | None,
    target: float | None,
) -> None:
    # The API validates these too; the engine checks again because it is also used from the CLI,
    # exports and tests, and a wrong string would otherwise surface as a KeyError.
    if data_type not in _SPC_CHART:
        raise AnalysisInputError(f"unknown data type {data_type!r}")
    if chart != "auto" and chart not in _CHARTS:
        raise AnalysisInputError(f"unknown chart {chart!r}")
    if rules not in _RULES:
        raise AnalysisInputError(f"unknown rules {rules!r}; expected anhoej, ihi or mdc")
    if direction not in _DIRECTIONS:
        raise AnalysisInputError(f"unknown direction {direction!r}; expected increase or decrease")
    if frequency not in ("week", "month"):
        raise AnalysisInputError(f"unknown frequency {frequency!r}; expected week or month")
    if freeze is not None and (isinstance(freeze, bool) or freeze < 1):
        raise AnalysisInputError("freeze must be a whole number of baseline points, at least 1")
    if not (math.isfinite(rate_multiplier) and rate_multiplier > 0):
        raise AnalysisInputError("rate_multiplier must be a positive number")
    _finite("baseline", baseline)
    _finite("target", target)


def _phase_starts(phase_starts: Sequence[str], series: _Series, frequency: Frequency) -> list[int]:
    """Point indices where a new phase begins. A start on a gap begins with the next measurement."""
    starts: set[int] = set()
    for text in phase_starts:
        try:
            position = parse_period_index(text, frequency)
        except PeriodError as error:
            raise AnalysisInputError(f"phase start: {error}") from error
        index = bisect.bisect_left(series.positions, position)
        if 0 < index < len(series.positions):
            starts.add(index)
    return sorted(starts)


def _fit(chart: ChartType, series: _Series, phase_starts: list[int], freeze: int | None) -> FittedChart:
    nums, dens = (series.numerators, series.denominators) if chart in ("p", "u") else (None, None)
    y = series.values
    if nums is not None and dens is not None:
        y = list(map(operator.truediv, nums, dens))
    return fit_chart(
        chart,
        y,
        numerators=nums,
        denominators=dens,
        gap_before=series.gap_before,
        phase_starts=phase_starts,
        n_frozen=freeze,
    )


def _rule_signals(rules: RuleSet, fitted: FittedChart, direction: Direction, ihi_found: list[Signal]) -> list[Signal]:
    if rules == "mdc":
        return mdc.mdc_signals(fitted, direction)
    found = anhoej_signals(fitted, direction) if rules == "anhoej" else ihi_found
    return found + outside_limits_signals(fitted, direction)


def _insufficient(rules: RuleSet, fitted: FittedChart) -> InsufficientData | None:
    """Why the selected rules cannot fully judge the latest phase, if they cannot."""
    latest = fitted.phases[-1]
    if latest.runs.n_obs < 2:
        return "too_few_points"
    if latest.runs.n_useful == 0:
        return "no_useful_points"
    if rules == "ihi" and latest.runs.n_useful < ihi.MIN_USEFUL_FOR_RUNS:
        return "too_few_points"
    if rules == "mdc" and fitted.ucl[-1] is None:
        # Values all equal leave no spread to set limits from.
        return "no_limits"
    return None


def _points(series: _Series, fitted: FittedChart, signals: Sequence[Signal], factor: float) -> tuple[PointResult, ...]:
    marked = [False] * len(fitted.y)
    for s in signals:
        if s.marks_points:
            marked[s.start : s.end + 1] = [True] * (s.end - s.start + 1)
    columns: list[Sequence[float | None]] = [fitted.y, fitted.cl, fitted.lcl, fitted.ucl]
    if factor != 1.0:
        # The centre line is one number per phase: scale that once rather than at every point.
        scaled_cl: list[float | None] = []
        for ph in fitted.phases:
            scaled_cl.extend([ph.cl * factor if ph.cl is not None else None] * (ph.end - ph.start + 1))
        columns = [_scaled(fitted.y, factor), scaled_cl, _scaled(fitted.lcl, factor), _scaled(fitted.ucl, factor)]
    # tuple.__new__(PointResult, row) is what PointResult._make does, without a Python-level call
    # per point.
    make = partial(tuple.__new__, PointResult)
    return tuple(map(make, zip(series.periods, *columns, fitted.phase, marked, strict=True)))


def _scaled(column: Sequence[float | None], factor: float) -> list[float | None]:
    if None in column:
        return [v * factor if v is not None else None for v in column]
    return list(map(operator.mul, column, repeat(factor)))


def _ihi_result(fitted: FittedChart, ihi_found: Sequence[Signal]) -> IhiResult:
    """DESIGN §4's `ihi` object, from the IHI signals (reported whatever rules are selected)."""
    latest = fitted.phases[-1]
    return IhiResult(
        shifts=tuple((s.start, s.end) for s in ihi_found if s.kind == "shift"),
        trends=tuple((s.start, s.end) for s in ihi_found if s.kind == "trend"),
        runs=len(latest.run_list) if latest.run_list else None,
        runs_range=ihi.runs_range(latest.runs.n_useful),
    )


def _icons(
    *,
    fitted: FittedChart,
    rules: RuleSet,
    signals: Sequence[Signal],
    factor: float,
    target: float | None,
    direction: Direction,
    refit_as_i: Callable[[], FittedChart],
) -> tuple[Variation | None, Assurance | None]:
    """MDC's variation and assurance icons, which DESIGN §3 shows for every chart.

    A run chart has no limits, so its icons come from an I chart of the same values, phases and
    baseline (`refit_as_i`). None when the latest point has no limits to judge against.
    """
    icon_chart, icon_factor = (fitted, factor) if fitted.chart != "run" else (refit_as_i(), 1.0)
    lcl, ucl = icon_chart.lcl[-1], icon_chart.ucl[-1]
    if lcl is None or ucl is None:
        return None, None
    if rules == "mdc" and icon_chart is fitted:  # the MDC signals are there already
        variation = mdc.variation_icon(signals, len(icon_chart.y) - 1)
    else:
        variation = mdc.latest_variation(icon_chart, direction)
    assurance = mdc.assurance_icon(target, lcl * icon_factor, ucl * icon_factor, direction)
    return variation, assurance


def _empty_result(chart: ChartType, rules: RuleSet, baseline: float | None, target: float | None) -> AnalysisResult:
    return AnalysisResult(
        chart=chart,
        rules=rules,
        n=0,
        points=(),
        runs=RunsAnalysis(0, 0, None, None, None, None, signal=False),
        ihi=IhiResult(shifts=(), trends=(), runs=None, runs_range=None),
        outside_limits=(),
        progress=Progress(baseline, target, None, None, None, improving=False, stale=False),
        variation=None,
        assurance=None,
        suggested_rag=None,
        phases=(),
        signals=(),
        trial_limits=False,
        insufficient_data="no_points",
    )


def analyse(
    observations: Sequence[Observation],
    *,
    data_type: DataType,
    chart: ChartChoice = "auto",
    rules: RuleSet = "anhoej",
    freeze: int | None = None,
    phase_starts: Sequence[str] = (),
    direction: Direction,
    baseline: float | None = None,
    target: float | None = None,
    target_date: date | None = None,
    frequency: Frequency,
    as_of: date,
    rate_multiplier: float = 1.0,
) -> AnalysisResult:
    """Analyse one measure's series (DESIGN §3) for the API, pages and exports.

    `observations` come in period order; a None value is a gap, and periods missing between two
    observations are gaps too (they break the I chart's moving range). `freeze` counts measured
    points: the first k measurements are the baseline of the first phase. `phase_starts` are
    periods at which a new phase begins. With `rules="mdc"`, `chart="auto"` always picks the
    control chart, since MDC reads limits (trial limits below 12 points).

    Raises AnalysisInputError for input that cannot be analysed. Too little data is not an error;
    `insufficient_data` says what is missing.
    """
    _check_options(data_type, chart, rules, direction, frequency, freeze, rate_multiplier, baseline, target)
    baseline = float(baseline) if baseline is not None else None
    target = float(target) if target is not None else None
    series = _series(observations, data_type, frequency)
    chosen = _choose_chart(chart, data_type, rules, series)
    count = len(series.values)
    if count == 0:
        return _empty_result(chosen, rules, baseline, target)
    starts = _phase_starts(phase_starts, series, frequency)
    fitted = _fit(chosen, series, starts, freeze)
    factor = {"p": 100.0, "u": rate_multiplier}.get(chosen, 1.0)
    ihi_found = ihi_signals(fitted, direction)
    signals = sort_signals(_rule_signals(rules, fitted, direction, ihi_found))
    points = _points(series, fitted, signals, factor)
    variation, assurance = _icons(
        fitted=fitted,
        rules=rules,
        signals=signals,
        factor=factor,
        target=target,
        direction=direction,
        refit_as_i=lambda: _fit("i", series, starts, freeze),
    )

    # "improving" (DESIGN: a run-rule signal on the desired side in the most recent phase) reads
    # the latest such signal: when a series drops, the run above the median before the drop is as
    # much a signal as the run below after it, and only the later one says where the process is
    # now. A single point outside the limits is not a sustained change.
    latest = fitted.phases[-1]
    recent = [s for s in signals if s.end >= latest.start and s.kind != "outside_limits"]
    most_recent = max(recent, key=lambda s: (s.end, s.start), default=None)
    improving = most_recent is not None and most_recent.favourable
    worsening = most_recent is not None and not most_recent.favourable

    values = [p.value for p in points]
    current = progress.current_level(values)
    target_met = progress.reaches(current, target, direction) if current is not None and target is not None else None
    stale = progress.is_stale(series.periods, as_of=as_of, frequency=frequency)
    on_track = progress.on_track(
        values[latest.start :],
        series.positions[latest.start :],
        target=target,
        target_position=period_index(period_for_date(target_date, frequency)) if target_date else None,
        direction=direction,
    )
    return AnalysisResult(
        chart=chosen,
        rules=rules,
        n=count,
        points=points,
        runs=latest.runs,
        ihi=_ihi_result(fitted, ihi_found),
        outside_limits=tuple(k for k, outside in enumerate(fitted.outside) if outside),
        progress=Progress(
            baseline=baseline,
            target=target,
            current=current,
            progress_pct=progress.progress_pct(current, baseline, target),
            target_met=target_met,
            improving=improving,
            stale=stale,
        ),
        variation=variation,
        assurance=assurance,
        suggested_rag=progress.suggest_rag(
            stale=stale,
            worsening=worsening,
            target_met=target_met,
            improving=improving,
            on_track=on_track,
            target_date=target_date,
            as_of=as_of,
        ),
        phases=tuple(
            PhaseResult(ph.phase, series.periods[ph.start], ph.start, ph.end, ph.runs) for ph in fitted.phases
        ),
        signals=signals,
        trial_limits=chosen != "run" and latest.n_base < mdc.TRIAL_LIMIT_POINTS,
        insufficient_data=_insufficient(rules, fitted),
    )
