"""Value types of the analysis engine: plain frozen dataclasses and string literals.

Everything here is JSON-friendly on purpose: the API layer serialises `AnalysisResult.to_dict()`
directly and the web layer pattern-matches on the literal strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

DataType = Literal["value", "proportion", "rate", "count"]
ChartType = Literal["run", "i", "p", "u", "c"]
ChartChoice = Literal["auto", "run", "i", "p", "u", "c"]
RuleSet = Literal["anhoej", "ihi", "mdc"]
Direction = Literal["increase", "decrease"]
Frequency = Literal["week", "month"]
Variation = Literal["improvement", "concern", "common_cause"]
Assurance = Literal["pass", "fail", "hit_and_miss"]
Rag = Literal["green", "amber", "red"]
Side = Literal["up", "down"]
SignalKind = Literal[
    "shift",  # IHI: 6+ points on one side of the centre line
    "trend",  # IHI: 5+ points going up or down
    "long_run",  # Anhøj: a run longer than longest_run_max
    "few_crossings",  # Anhøj: fewer crossings than crossings_min; IHI: too few runs
    "outside_limits",  # a point outside the control limits (any rule set with limits)
    "mdc_run",  # MDC: 7+ points on one side of the mean
    "mdc_trend",  # MDC: 7+ points each higher (or lower) than the one before
    "two_of_three",  # MDC: 2 of 3 points beyond 2 sigma on the same side
]
InsufficientData = Literal["no_points", "no_useful_points", "too_few_points", "no_limits"]


class AnalysisInputError(ValueError):
    """Input the engine cannot analyse (bad combination, bad numbers); the API answers 422."""


@dataclass(frozen=True, slots=True)
class Observation:
    """One period's measurement. `value is None` is a gap (no measurement that period).

    For proportion data `value` is a percentage (100 * numerator / denominator); for rate data it is
    numerator / denominator * rate_multiplier. p and u charts use numerator and denominator.
    """

    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


class PointResult(NamedTuple):
    """A measured point on the page scale (percent for proportions, multiplied rate for rates).

    A named tuple rather than a frozen dataclass because a series can have thousands of points and
    is analysed on page views: creating one costs about a third as much.
    """

    period: str
    value: float
    cl: float | None
    lcl: float | None
    ucl: float | None
    phase: int
    signal: bool


@dataclass(frozen=True, slots=True)
class RunsAnalysis:
    """Anhøj runs analysis of one phase. The limit fields are None when no point is useful."""

    n_obs: int
    n_useful: int
    longest_run: int | None
    longest_run_max: int | None
    crossings: int | None
    crossings_min: int | None
    signal: bool

    def to_dict(self) -> dict[str, Any]:
        """The DESIGN §4 `runs` object (n_obs is reported per phase only)."""
        return {
            "n_useful": self.n_useful,
            "longest_run": self.longest_run,
            "longest_run_max": self.longest_run_max,
            "crossings": self.crossings,
            "crossings_min": self.crossings_min,
            "signal": self.signal,
        }


@dataclass(frozen=True, slots=True)
class PhaseResult:
    """One phase: its span as inclusive indices into `points`, and its runs analysis."""

    phase: int
    first_period: str
    start: int
    end: int
    runs: RunsAnalysis

    def to_dict(self) -> dict[str, Any]:
        return {
            "phase": self.phase,
            "first_period": self.first_period,
            "start": self.start,
            "end": self.end,
            "n_obs": self.runs.n_obs,
            **self.runs.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class IhiResult:
    """IHI run chart rules. Ranges are inclusive 0-based indices into `points`.

    `runs` and `runs_range` describe the most recent phase; `runs_range` is None outside the
    10-60 useful points covered by the Swed-Eisenhart table.
    """

    shifts: tuple[tuple[int, int], ...]
    trends: tuple[tuple[int, int], ...]
    runs: int | None
    runs_range: tuple[int, int] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "shifts": [list(r) for r in self.shifts],
            "trends": [list(r) for r in self.trends],
            "runs": self.runs,
            "runs_range": list(self.runs_range) if self.runs_range is not None else None,
        }


@dataclass(frozen=True, slots=True)
class Progress:
    baseline: float | None
    target: float | None
    current: float | None
    progress_pct: float | None
    target_met: bool | None
    improving: bool
    stale: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "target": self.target,
            "current": self.current,
            "progress_pct": self.progress_pct,
            "target_met": self.target_met,
            "improving": self.improving,
            "stale": self.stale,
        }


@dataclass(frozen=True, slots=True)
class Signal:
    """A detected pattern over the inclusive index range start..end of `points`.

    `side` is the direction of the change ("up" = higher values); `favourable` says whether that is
    the measure's desired direction. The web layer turns these into sentences.
    """

    kind: SignalKind
    start: int
    end: int
    side: Side
    favourable: bool

    @property
    def marks_points(self) -> bool:
        """False for a phase-wide pattern (few crossings): no single point is special then."""
        return self.kind != "few_crossings"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "side": self.side,
            "favourable": self.favourable,
        }


@dataclass(frozen=True, slots=True)
class AnalysisResult:
    """Everything a page, the API or an export needs about one measure's series (DESIGN §4)."""

    chart: ChartType
    rules: RuleSet
    n: int
    points: tuple[PointResult, ...]
    runs: RunsAnalysis
    ihi: IhiResult
    outside_limits: tuple[int, ...]
    progress: Progress
    variation: Variation | None
    assurance: Assurance | None
    suggested_rag: Rag | None
    phases: tuple[PhaseResult, ...]
    signals: tuple[Signal, ...]
    trial_limits: bool
    insufficient_data: InsufficientData | None

    def to_dict(self) -> dict[str, Any]:
        """The DESIGN §4 analysis object (without measure_id, which the API adds) plus extras."""
        return {
            "chart": self.chart,
            "rules": self.rules,
            "n": self.n,
            "points": [
                {
                    "period": p.period,
                    "value": p.value,
                    "cl": p.cl,
                    "lcl": p.lcl,
                    "ucl": p.ucl,
                    "phase": p.phase,
                    "signal": p.signal,
                }
                for p in self.points
            ],
            "runs": self.runs.to_dict(),
            "ihi": self.ihi.to_dict(),
            "outside_limits": list(self.outside_limits),
            "progress": self.progress.to_dict(),
            "variation": self.variation,
            "assurance": self.assurance,
            "suggested_rag": self.suggested_rag,
            "phases": [p.to_dict() for p in self.phases],
            "signals": [s.to_dict() for s in self.signals],
            "trial_limits": self.trial_limits,
            "insufficient_data": self.insufficient_data,
        }
