"""Analysis of stored measures: load rows, hand plain values to `app.analysis`, describe the result.

The engine in `app.analysis` is pure; this module is the only place that turns database rows
(measurements, PDSA cycles) into its input, so pages, the API and exports all analyse a measure
the same way. Batch loading (`analyse_measures`) keeps dashboards at a fixed number of queries.
"""

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any, Generic, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Row, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.analysis import (
    AnalysisInputError,
    AnalysisResult,
    ChartChoice,
    DataType,
    Direction,
    Frequency,
    Observation,
    RuleSet,
    Signal,
    format_period,
    period_for_date,
)
from app.analysis import analyse as engine_analyse
from app.charts.svg import Annotation, ChartLabels, render_chart, render_sparkline
from app.core.i18n import _, get_language, ngettext
from app.models import Measure, Measurement, PdsaCycle, pdsa_cycle_measures
from app.services.errors import FieldError, InvalidInput

LOCAL_TZ = ZoneInfo("Europe/Stockholm")
RULES: tuple[RuleSet, ...] = ("anhoej", "ihi", "mdc")
CHARTS: tuple[ChartChoice, ...] = ("auto", "run", "i", "p", "u", "c")
# Fewer values than this are too few to judge a run chart (Anhøj, IHI and Provost & Murray agree on 10).
MIN_VALUES_TO_JUDGE = 10


V = TypeVar("V")


class Memo(Generic[V]):
    """A bounded, thread-safe LRU map from the complete inputs of a pure computation to its result.

    Pages are viewed far more often than their data change: a ledningsgrupp opens the same dashboard
    of 50 analysed series again and again. The key holds every input (the values themselves, the
    measure's settings, the day, the language), so a cached entry is never stale; it only saves the
    work. Each worker process has its own.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], V]) -> V:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = compute()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


# Analyses by their inputs; markup and sentences derived from one analysis by the result's identity
# (the result is kept in the entry, so its id cannot be reused by another object while cached).
# Sizes (measured): an analysis of 100 values with its key is about 35 KB, a card's chart 21 KB, so at most
# some 80 MB per worker; 1,024 analyses are twenty dashboards of 50 initiatives.
ANALYSES: Memo[AnalysisResult] = Memo(1024)
DERIVED: Memo[tuple[object, object]] = Memo(2048)


def _derived(result: AnalysisResult, key: Hashable, compute: Callable[[], V]) -> V:
    """A value computed from `result` (and the plain values in `key`), cached while the result is."""
    full = (id(result), key)
    kept, value = DERIVED.get(full, lambda: (result, compute()))
    if kept is not result:  # an older object with the same id; not the one asked about
        value = compute()
    return cast(V, value)


def clear_caches() -> None:
    ANALYSES.clear()
    DERIVED.clear()


def today() -> date:
    """Today in Sweden: "this week" must not change at midnight UTC."""
    return datetime.now(LOCAL_TZ).date()


@dataclass(frozen=True, slots=True)
class PhaseCycle:
    """The parts of a PDSA cycle the analysis and chart need, loaded without the ORM object graph."""

    id: int
    initiative_id: int
    title: str
    started_on: date
    new_phase: bool
    measure_ids: frozenset[int]

    def concerns(self, measure_id: int) -> bool:
        # A cycle linked to no measure is about the whole initiative, so it concerns every measure.
        return not self.measure_ids or measure_id in self.measure_ids


def observations(rows: Iterable[Measurement]) -> list[Observation]:
    return [Observation(m.period, m.value, m.numerator, m.denominator) for m in rows]


def live_measurements(db: Session, measure_ids: Sequence[int]) -> dict[int, list[Measurement]]:
    """Every live measurement of the measures, in period order, in one query."""
    grouped: dict[int, list[Measurement]] = defaultdict(list)
    if not measure_ids:
        return grouped
    rows = db.scalars(
        select(Measurement)
        .where(Measurement.measure_id.in_(measure_ids), Measurement.deleted_at.is_(None))
        # Canonical period strings (zero-padded YYYY-Www / YYYY-MM) sort chronologically.
        .order_by(Measurement.measure_id, Measurement.period)
    )
    for row in rows:
        grouped[row.measure_id].append(row)
    return grouped


def live_observations(db: Session, measure_ids: Sequence[int]) -> dict[int, list[Observation]]:
    """Like `live_measurements`, but only the values the analysis reads, without ORM objects.

    A dashboard analyses 50 series of 100 values or more: plain rows load several times faster.
    """
    grouped: dict[int, list[Observation]] = defaultdict(list)
    for measure_id, period, value, numerator, denominator in live_value_rows(db, measure_ids):
        grouped[measure_id].append(Observation(period, value, numerator, denominator))
    return grouped


def live_value_rows(
    db: Session, measure_ids: Sequence[int], *extra: InstrumentedAttribute[Any]
) -> Sequence[Row[*tuple[Any, ...]]]:
    """(measure_id, period, value, numerator, denominator, *extra) of every live measurement of the measures,
    by measure and period, in one query: plain rows, no ORM objects."""
    if not measure_ids:
        return []
    return db.execute(
        select(
            Measurement.measure_id,
            Measurement.period,
            Measurement.value,
            Measurement.numerator,
            Measurement.denominator,
            *extra,
        )
        .where(Measurement.measure_id.in_(measure_ids), Measurement.deleted_at.is_(None))
        .order_by(Measurement.measure_id, Measurement.period)
    ).all()


def cycles_by_initiative(
    db: Session, initiative_ids: Iterable[int], *, new_phase_only: bool = False
) -> dict[int, list[PhaseCycle]]:
    """Started, live PDSA cycles of the initiatives with their linked measure ids, in one query.

    Every started cycle by default (for phases and chart annotations); only "new phase" cycles with
    `new_phase_only` (all the analysis needs).
    """
    ids = sorted(set(initiative_ids))
    grouped: dict[int, list[PhaseCycle]] = defaultdict(list)
    if not ids:
        return grouped
    query = (
        select(
            PdsaCycle.id,
            PdsaCycle.initiative_id,
            PdsaCycle.title,
            PdsaCycle.started_on,
            PdsaCycle.new_phase,
            pdsa_cycle_measures.c.measure_id,
        )
        .outerjoin(pdsa_cycle_measures, pdsa_cycle_measures.c.pdsa_cycle_id == PdsaCycle.id)
        .where(
            PdsaCycle.initiative_id.in_(ids),
            PdsaCycle.deleted_at.is_(None),
            PdsaCycle.started_on.is_not(None),
        )
        .order_by(PdsaCycle.started_on, PdsaCycle.id)
    )
    if new_phase_only:
        query = query.where(PdsaCycle.new_phase.is_(True))
    links: dict[int, set[int]] = defaultdict(set)
    first_rows: dict[int, tuple[int, str, date, bool]] = {}
    for cycle_id, initiative_id, title, started_on, new_phase, measure_id in db.execute(query):
        first_rows.setdefault(cycle_id, (initiative_id, title, started_on, new_phase))
        if measure_id is not None:
            links[cycle_id].add(measure_id)
    for cycle_id, (initiative_id, title, started_on, new_phase) in first_rows.items():
        grouped[initiative_id].append(
            PhaseCycle(cycle_id, initiative_id, title, started_on, new_phase, frozenset(links[cycle_id]))
        )
    return grouped


def cycles_for_measure(db: Session, measure: Measure) -> list[PhaseCycle]:
    """The initiative's started PDSA cycles that concern this measure (for chart annotations)."""
    cycles = cycles_by_initiative(db, [measure.initiative_id], new_phase_only=False)
    return [c for c in cycles[measure.initiative_id] if c.concerns(measure.id)]


def phase_starts(measure: Measure, cycles: Iterable[PhaseCycle]) -> list[str]:
    """Periods at which a "new phase" cycle concerning the measure began."""
    frequency = cast(Frequency, measure.frequency)
    starts = {period_for_date(c.started_on, frequency) for c in cycles if c.new_phase and c.concerns(measure.id)}
    return sorted(starts)


def _run(
    measure: Measure,
    points: Sequence[Observation],
    cycles: Iterable[PhaseCycle],
    *,
    rules: RuleSet,
    chart: ChartChoice | None,
    as_of: date,
) -> AnalysisResult:
    try:
        return analyse_points(
            measure,
            points,
            phase_starts=phase_starts(measure, cycles),
            rules=rules,
            chart=chart,
            as_of=as_of,
        )
    except AnalysisInputError as error:
        # Only a chart type that does not fit the data gets here (stored values are validated on entry).
        raise InvalidInput(
            [FieldError(("chart",), _("This chart type does not fit the measure: %(reason)s") % {"reason": str(error)})]
        ) from error


def analyse_points(
    measure: Measure,
    points: Sequence[Observation],
    *,
    phase_starts: Sequence[str] = (),
    rules: RuleSet = "anhoej",
    chart: ChartChoice | None = None,
    as_of: date | None = None,
) -> AnalysisResult:
    """Analyse `points` with the measure's settings; for previews of data that is not stored yet.

    Memoised on all the inputs (see `Memo`): the same series with the same settings on the same day
    gives the same result object, without running the engine again.
    """
    options = {
        "data_type": cast(DataType, measure.data_type),
        "chart": chart or cast(ChartChoice, measure.chart),
        "rules": rules,
        "freeze": measure.freeze,
        "phase_starts": tuple(phase_starts),
        "direction": cast(Direction, measure.direction),
        "baseline": measure.baseline,
        "target": measure.target,
        "target_date": measure.target_date,
        "frequency": cast(Frequency, measure.frequency),
        "as_of": as_of or today(),
        "rate_multiplier": measure.rate_multiplier,
    }
    # Plain tuples: hashing and comparing them runs in C, Observation's dataclass methods in Python.
    key = (tuple([(o.period, o.value, o.numerator, o.denominator) for o in points]), *options.values())
    return ANALYSES.get(key, lambda: engine_analyse(points, **options))  # type: ignore[arg-type]


def analyse_measure(
    db: Session,
    measure: Measure,
    *,
    rules: RuleSet = "anhoej",
    chart: ChartChoice | None = None,
    as_of: date | None = None,
    rows: Sequence[Measurement] | None = None,
    cycles: Sequence[PhaseCycle] | None = None,
) -> AnalysisResult:
    """Analyse one measure's stored series; `chart=None` uses the measure's own chart setting.

    New-phase PDSA cycles concerning the measure split the chart into phases. Pass `rows` (its live
    measurements in period order) and `cycles` when the caller has loaded them already. Raises
    InvalidInput (field "chart") when an explicitly chosen chart does not fit the data.
    """
    # Plain values, not ORM objects, when the caller has not loaded the rows (the analysis API).
    points = live_observations(db, [measure.id])[measure.id] if rows is None else observations(rows)
    if cycles is None:
        cycles = cycles_by_initiative(db, [measure.initiative_id], new_phase_only=True)[measure.initiative_id]
    return _run(measure, points, cycles, rules=rules, chart=chart, as_of=as_of or today())


def analyse_measures(
    db: Session,
    measures: Sequence[Measure],
    *,
    rules: RuleSet = "anhoej",
    as_of: date | None = None,
    cycles: Mapping[int, Sequence[PhaseCycle]] | None = None,
) -> dict[int, AnalysisResult]:
    """Analyse many measures with two queries in total (not two per measure), keyed by measure id.

    `cycles` (by initiative id, from `cycles_by_initiative`) saves the second query when loaded already.
    """
    points = live_observations(db, [m.id for m in measures])
    if cycles is None:
        cycles = cycles_by_initiative(db, (m.initiative_id for m in measures), new_phase_only=True)
    day = as_of or today()
    return {
        m.id: _run(m, points[m.id], cycles.get(m.initiative_id, ()), rules=rules, chart=None, as_of=day)
        for m in measures
    }


# --- Words -----------------------------------------------------------------------------------


def _centre_is_median(result: AnalysisResult, signal: Signal) -> bool:
    # MDC rules and control charts read the mean; run charts the median.
    return result.chart == "run" and signal.kind not in ("mdc_run", "mdc_trend", "two_of_three")


def _off_centre_count(result: AnalysisResult, signal: Signal) -> int:
    """Points of a run that count: points on the centre line neither count nor break a run."""
    counted = 0
    for point in result.points[signal.start : signal.end + 1]:
        if point.cl is None or abs(point.value - point.cl) > 1e-9 * max(1.0, abs(point.cl)):
            counted += 1
    return counted


def _moves_count(result: AnalysisResult, signal: Signal) -> int:
    """Points of a trend: a repeated equal value neither counts nor breaks it."""
    values = [p.value for p in result.points[signal.start : signal.end + 1]]
    return 1 + sum(1 for a, b in pairwise(values) if a != b)


def _describe(result: AnalysisResult, signal: Signal) -> str:
    up = signal.side == "up"
    median = _centre_is_median(result, signal)
    if signal.kind in ("long_run", "shift", "mdc_run"):
        n = _off_centre_count(result, signal)
        if median:
            text = _("%(n)s points in a row above the median") if up else _("%(n)s points in a row below the median")
        else:
            text = _("%(n)s points in a row above the mean") if up else _("%(n)s points in a row below the mean")
        return text % {"n": n}
    if signal.kind in ("trend", "mdc_trend"):
        n = _moves_count(result, signal)
        text = _("%(n)s points in a row going up") if up else _("%(n)s points in a row going down")
        return text % {"n": n}
    if signal.kind == "few_crossings":
        if median:
            if up:
                return _("The values cross the median less often than chance allows: the level has moved up")
            return _("The values cross the median less often than chance allows: the level has moved down")
        if up:
            return _("The values cross the mean less often than chance allows: the level has moved up")
        return _("The values cross the mean less often than chance allows: the level has moved down")
    if signal.kind == "two_of_three":
        return (
            _("2 of 3 points close to the upper control limit")
            if up
            else _("2 of 3 points close to the lower control limit")
        )
    # outside_limits: one signal per point; callers group them.
    period = format_period(result.points[signal.start].period, get_language())
    if up:
        return _("A point above the upper control limit (%(period)s)") % {"period": period}
    return _("A point below the lower control limit (%(period)s)") % {"period": period}


def _grouped_outside(result: AnalysisResult, signals: Sequence[Signal]) -> list[tuple[int, bool, str]]:
    """Points outside the limits, one sentence per side: (latest index, favourable, text)."""
    found: list[tuple[int, bool, str]] = []
    for side in ("up", "down"):
        group = [s for s in signals if s.kind == "outside_limits" and s.side == side]
        if len(group) == 1:
            found.append((group[0].end, group[0].favourable, _describe(result, group[0])))
        elif group:
            n = len(group)
            text = (
                ngettext("%(n)s point above the upper control limit", "%(n)s points above the upper control limit", n)
                if side == "up"
                else ngettext(
                    "%(n)s point below the lower control limit", "%(n)s points below the lower control limit", n
                )
            )
            found.append((max(s.end for s in group), group[0].favourable, text % {"n": n}))
    return found


def signal_sentences(measure: Measure, result: AnalysisResult) -> list[str]:
    """See `_signal_sentences` (cached per result and language)."""
    return list(_derived(result, ("sentences", get_language()), lambda: _signal_sentences(result)))


def _signal_sentences(result: AnalysisResult) -> list[str]:
    """Plain-language, translated description of the analysis, most recent signal first.

    "Improvement: 8 points in a row below the median", "Concern: …", "No signals: only random
    variation", or "Too few values to judge (4 of 10 needed)". Whether a change is an improvement
    comes from the measure's direction (already applied by the engine as `favourable`).
    """
    if result.n == 0:
        return [_("No values yet.")]
    # (latest index, phase-wide?, favourable, text): most recent first, and a pattern of specific
    # points before a phase-wide one ending at the same point, since it is easier to see.
    described = [
        (s.end, s.kind == "few_crossings", s.favourable, _describe(result, s))
        for s in result.signals
        if s.kind != "outside_limits"
    ]
    described += [(end, False, favourable, text) for end, favourable, text in _grouped_outside(result, result.signals)]
    described.sort(key=lambda item: (-item[0], item[1]))
    sentences: list[str] = []
    for _end, _wide, favourable, text in described:
        sentence = (_("Improvement: %(what)s") if favourable else _("Concern: %(what)s")) % {"what": text}
        if sentence not in sentences:
            sentences.append(sentence)
    if not sentences:
        if result.n < MIN_VALUES_TO_JUDGE:
            sentences.append(
                _("Too few values to judge (%(n)s of %(needed)s needed)")
                % {"n": result.n, "needed": MIN_VALUES_TO_JUDGE}
            )
        else:
            sentences.append(_("No signals: only random variation"))
    if result.trial_limits and result.chart != "run":
        sentences.append(_("The control limits are trial limits: they rest on fewer than 12 values."))
    return sentences


# --- Charts -----------------------------------------------------------------------------------


def chart_name(chart: str) -> str:
    names = {
        "run": _("Run chart"),
        "i": _("I chart"),
        "p": _("p chart"),
        "u": _("u chart"),
        "c": _("c chart"),
    }
    return names.get(chart, chart)


def chart_labels(measure: Measure, result: AnalysisResult) -> ChartLabels:
    """The chart's words in the user's language, and a text alternative for screen readers."""
    lang = get_language()
    if result.points:
        summary = _("%(chart)s, %(n)s values from %(first)s to %(last)s.") % {
            "chart": chart_name(result.chart),
            "n": result.n,
            "first": format_period(result.points[0].period, lang),
            "last": format_period(result.points[-1].period, lang),
        }
    else:
        summary = _("%(chart)s without values.") % {"chart": chart_name(result.chart)}
    return ChartLabels(
        value=_("Value"),
        median=_("Median"),
        mean=_("Mean"),
        limits=_("Control limits"),
        target=_("Target"),
        signal_improvement=_("Improvement"),
        signal_concern=_("Concern"),
        description=" ".join([summary, *signal_sentences(measure, result)]),
        trial_limits=_("Trial limits (fewer than 12 values)"),
        no_data=_("No values yet."),
    )


TITLE_CHAR_WIDTH = 9.6  # a generous average width of a bold 15px character in the chart title


def _fit_title(title: str, width: int) -> str:
    """The title shortened with "…" when it would run past the chart's right edge."""
    room = int((width - 24) / TITLE_CHAR_WIDTH)
    return title if len(title) <= room else title[: room - 1].rstrip() + "…"


def chart_svg(
    db: Session,
    measure: Measure,
    *,
    result: AnalysisResult | None = None,
    rules: RuleSet = "anhoej",
    chart: ChartChoice | None = None,
    width: int = 720,
    height: int = 300,
    id_prefix: str | None = None,
    cycles: Sequence[PhaseCycle] | None = None,
    tooltips: bool = True,
) -> str:
    """The measure's chart as SVG, with the PDSA cycles concerning it marked where they started.

    Pass `result` (and `cycles`) when they are already loaded, to avoid loading them twice.
    """
    result = result or analyse_measure(db, measure, rules=rules, chart=chart)
    frequency = cast(Frequency, measure.frequency)
    if cycles is None:
        cycles = cycles_for_measure(db, measure)
    annotations = tuple(
        Annotation(period_for_date(c.started_on, frequency), c.title) for c in cycles if c.concerns(measure.id)
    )
    options = {
        "title": _fit_title(measure.name, width),
        "labels": chart_labels(measure, result),
        "annotations": annotations,
        "target": measure.target,
        "unit": measure.unit,
        "locale": get_language(),
        "width": width,
        "height": height,
        "id_prefix": id_prefix or f"measure-{measure.id}",
        "tooltips": tooltips,
    }
    return _derived(
        result,
        ("chart", *options.values()),
        lambda: render_chart(result, **options),  # type: ignore[arg-type]
    )


def sparkline_svg(result: AnalysisResult, *, width: int = 120, height: int = 32) -> str:
    """The dashboard's sparkline of an analysis (cached per result)."""
    return _derived(result, ("sparkline", width, height), lambda: render_sparkline(result, width=width, height=height))


NARROW_CHART = (360, 300)


def responsive_chart(
    db: Session,
    measure: Measure,
    *,
    result: AnalysisResult,
    cycles: Sequence[PhaseCycle] | None = None,
    width: int = 960,
    height: int = 360,
    id_prefix: str | None = None,
) -> str:
    """Markup with the chart drawn twice, wide and narrow; CSS shows the one that fits the screen.

    A wide chart scaled down to a phone is unreadable (its text shrinks with it), so phones get
    a chart laid out for their width. Hidden with display:none, the other one is not read aloud.
    """
    if cycles is None:
        cycles = cycles_for_measure(db, measure)
    prefix = id_prefix or f"measure-{measure.id}"
    wide = chart_svg(db, measure, result=result, cycles=cycles, width=width, height=height, id_prefix=prefix)
    narrow_width, narrow_height = NARROW_CHART
    narrow = chart_svg(
        db,
        measure,
        result=result,
        cycles=cycles,
        width=narrow_width,
        height=narrow_height,
        id_prefix=f"{prefix}-n",
    )
    return f'<div class="chart-wide">{wide}</div><div class="chart-narrow">{narrow}</div>'


@dataclass(frozen=True, slots=True)
class MeasureCard:
    """Everything `templates/measures/_card.html` needs for one measure."""

    measure: Measure
    result: AnalysisResult
    chart_svg: str
    sentences: list[str]


CARD_CHART_WIDTH = 560
CARD_CHART_HEIGHT = 240


def measure_cards(db: Session, measures: Sequence[Measure], *, as_of: date | None = None) -> list[MeasureCard]:
    """Cards for many measures with a fixed number of queries (analysis and PDSA cycles in batches)."""
    cycles = cycles_by_initiative(db, (m.initiative_id for m in measures))
    results = analyse_measures(db, measures, as_of=as_of, cycles=cycles)
    return [
        MeasureCard(
            measure=m,
            result=results[m.id],
            chart_svg=responsive_chart(
                db,
                m,
                result=results[m.id],
                cycles=cycles[m.initiative_id],
                width=CARD_CHART_WIDTH,
                height=CARD_CHART_HEIGHT,
                id_prefix=f"card-{m.id}",
            ),
            sentences=signal_sentences(m, results[m.id]),
        )
        for m in measures
    ]
