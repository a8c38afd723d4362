"""`analyse`: the public entry that turns a measure's observations into an `AnalysisResult`."""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from app.analysis import ihi, mdc, progress
from app.analysis.periods import PeriodError, parse_period, period_for_date, period_index
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

    @property
    def gap_before(self) -> list[bool]:
        p = self.positions
        return [False] + [p[k] - p[k - 1] > 1 for k in range(1, len(p))]


def _finite(name: str, value: float | None) -> None:
    if value is not None and not math.isfinite(value):
        raise AnalysisInputError(f"{name} must be a finite number, got {value!r}")


def _series(observations: Sequence[Observation], data_type: DataType, frequency: Frequency) -> _Series:
    periods: list[str] = []
    positions: list[int] = []
    values: list[float] = []
    nums: list[float] = []
    dens: list[float] = []
    complete = True
    previous = -math.inf
    for obs in observations:
        try:
            position = period_index(parse_period(obs.period, frequency))
        except PeriodError as error:
            raise AnalysisInputError(str(error)) from error
        if position <= previous:
            raise AnalysisInputError(f"observations must be in period order without repeats: {obs.period}")
        previous = position
        for name in ("value", "numerator", "denominator"):
            _finite(f"{obs.period}: {name}", getattr(obs, name))
        num, den = obs.numerator, obs.denominator
        if den is not None and den <= 0:
            raise AnalysisInputError(f"{obs.period}: the denominator must be greater than 0")
        if num is not None and num < 0:
            raise AnalysisInputError(f"{obs.period}: the numerator must not be negative")
        if data_type == "proportion" and num is not None and den is not None and num > den:
            raise AnalysisInputError(f"{obs.period}: the numerator must not exceed the denominator")
        if obs.value is None:
            continue  # a gap: no measurement this period
        if data_type == "count" and (obs.value < 0 or not float(obs.value).is_integer()):
            raise AnalysisInputError(f"{obs.period}: a count must be a whole number of at least 0")
        periods.append(obs.period)
        positions.append(position)
        values.append(float(obs.value))
        if num is None or den is None:
            complete = False
        else:
            nums.append(float(num))
            dens.append(float(den))
    return _Series(periods, positions, values, nums if complete else None, dens if complete else None)


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
            position = period_index(parse_period(text, frequency))
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
        y = [n / d for n, d in zip(nums, dens, strict=True)]
    return fit_chart(
        chart,
        y,
        numerators=nums,
        denominators=dens,
        gap_before=series.gap_before,
        phase_starts=phase_starts,
        n_frozen=freeze,
    )


def _rule_signals(rules: RuleSet, fitted: FittedChart, direction: Direction) -> list[Signal]:
    if rules == "mdc":
        return mdc.mdc_signals(fitted, direction)
    found = anhoej_signals(fitted, direction) if rules == "anhoej" else ihi_signals(fitted, direction)
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
    if rules == "mdc" and fitted.points[-1].ucl is None:
        # Values all equal leave no spread to set limits from.
        return "no_limits"
    return None


def _scale(value: float | None, factor: float) -> float | None:
    return value * factor if value is not None else None


def _points(series: _Series, fitted: FittedChart, signals: Sequence[Signal], factor: float) -> tuple[PointResult, ...]:
    marked = bytearray(len(series.values))
    for s in signals:
        if s.marks_points:
            marked[s.start : s.end + 1] = b"\x01" * (s.end - s.start + 1)
    return tuple(
        PointResult(
            period,
            p.y * factor,
            _scale(p.cl, factor),
            _scale(p.lcl, factor),
            _scale(p.ucl, factor),
            p.phase,
            bool(marked[k]),
        )
        for k, (period, p) in enumerate(zip(series.periods, fitted.points, strict=True))
    )


def _ihi_result(fitted: FittedChart) -> IhiResult:
    y = [p.y for p in fitted.points]
    latest = fitted.phases[-1]
    return IhiResult(
        shifts=tuple((s.start, s.end) for ph in fitted.phases for s in ihi.shifts(ph.run_list)),
        trends=tuple((t.start, t.end) for ph in fitted.phases for t in ihi.trends(y, ph.start, ph.end)),
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
    last = icon_chart.points[-1]
    if last.lcl is None or last.ucl is None:
        return None, None
    icon_signals = signals if rules == "mdc" and icon_chart is fitted else mdc.mdc_signals(icon_chart, direction)
    variation = mdc.variation_icon(icon_signals, len(icon_chart.points) - 1)
    assurance = mdc.assurance_icon(target, last.lcl * icon_factor, last.ucl * icon_factor, direction)
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
    signals = sort_signals(_rule_signals(rules, fitted, direction))
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
        ihi=_ihi_result(fitted),
        outside_limits=tuple(k for k, p in enumerate(fitted.points) if p.outside_limits),
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
