"""Turn fitted charts into structured signals for the Anhøj and IHI rule sets.

Every signal says which way the data moved ("up" means higher values) and whether that is the
measure's desired direction, so the web layer can say "Förbättring: 8 punkter i rad under medianen".
"""

from __future__ import annotations

from collections.abc import Iterable

from app.analysis import ihi
from app.analysis.spc import FittedChart, FittedPhase
from app.analysis.types import Direction, Signal, SignalKind


def make_signal(kind: SignalKind, start: int, end: int, side: int, direction: Direction) -> Signal:
    """A signal from a side given as +1 (up) or -1 (down)."""
    up = side > 0
    return Signal(kind, start, end, "up" if up else "down", favourable=up == (direction == "increase"))


def outside_limits_signals(fitted: FittedChart, direction: Direction) -> list[Signal]:
    y, ucl = fitted.y, fitted.ucl
    return [
        make_signal("outside_limits", k, k, 1 if (high := ucl[k]) is not None and y[k] > high else -1, direction)
        for k, outside in enumerate(fitted.outside)
        if outside
    ]


def _few_crossings(phase: FittedPhase, direction: Direction) -> Signal:
    # Few crossings is a property of the whole phase; its direction is where the data ended up,
    # i.e. the side of the phase's latest run.
    return make_signal("few_crossings", phase.start, phase.end, phase.run_list.sides[-1], direction)


def anhoej_signals(fitted: FittedChart, direction: Direction) -> list[Signal]:
    found: list[Signal] = []
    for phase in fitted.phases:
        runs = phase.runs
        if runs.longest_run_max is None or runs.crossings_min is None or runs.crossings is None:
            continue
        limit = runs.longest_run_max
        found.extend(
            make_signal("long_run", run.start, run.end, run.side, direction)
            for run in phase.run_list.longer_than(limit)
        )
        if runs.crossings < runs.crossings_min:
            found.append(_few_crossings(phase, direction))
    return found


def ihi_signals(fitted: FittedChart, direction: Direction) -> list[Signal]:
    found: list[Signal] = []
    for phase in fitted.phases:
        found.extend(
            make_signal("shift", run.start, run.end, run.side, direction) for run in ihi.shifts(phase.run_list)
        )
        found.extend(
            make_signal("trend", t.start, t.end, t.direction, direction)
            for t in ihi.trends(fitted.y, phase.start, phase.end)
        )
        expected = ihi.runs_range(phase.runs.n_useful)
        # Too many runs (oscillation) has no direction and is reported only through ihi.runs.
        if expected is not None and len(phase.run_list) < expected[0]:
            found.append(_few_crossings(phase, direction))
    return found


def sort_signals(signals: Iterable[Signal]) -> tuple[Signal, ...]:
    return tuple(sorted(signals, key=lambda s: (s.start, s.end, s.kind)))
