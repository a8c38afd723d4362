"""Funnel plot: each organisation's pooled proportion or rate against the programme mean.

Organisations differ in size, so a small one varies more by chance. A funnel plot draws each
organisation's value against its denominator, with limits around the programme mean that narrow as
the denominator grows. The limits are those of the p and u charts (DESIGN.md §3) with the programme
mean as centre line and z instead of 3:

* p (proportions): ``CL ± z·sqrt(CL·(1 − CL) / n)``, clipped to [0, 1];
* u (rates): ``CL ± z·sqrt(CL / n)``, the lower limit clipped at 0;

where ``CL = Σ numerators / Σ denominators`` over every organisation (the programme mean, weighted
by size) and ``n`` is the organisation's own denominator. ``z = 1.959964`` gives the 95 % limits and
``z = 3.090232`` the 99.8 % limits. A value outside the 99.8 % limits is very unlikely to be chance
alone; one outside only the 95 % limits is worth a look.

Values and limits are returned on the page scale: percent for proportions, and the rate times the
measure's multiplier (e.g. per 1,000 care days) for rates. Pure Python, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from app.analysis.types import AnalysisInputError, Side

Z95 = 1.959964
Z998 = 3.090232
# A value within this relative distance of a limit counts as on it (inside), as for the centre line in §3.
TOLERANCE = 1e-9

FunnelChart = Literal["p", "u"]
Band = Literal["inside", "outside_95", "outside_998"]


@dataclass(frozen=True, slots=True)
class FunnelInput:
    """One organisation's (or team's) totals over the comparison window."""

    key: str
    label: str
    numerator: float
    denominator: float


@dataclass(frozen=True, slots=True)
class FunnelLimits:
    """The 95 % and 99.8 % limits for denominator ``n``, on the page scale."""

    n: float
    lower95: float
    upper95: float
    lower998: float
    upper998: float

    def scaled(self, scale: float) -> FunnelLimits:
        return FunnelLimits(
            self.n, self.lower95 * scale, self.upper95 * scale, self.lower998 * scale, self.upper998 * scale
        )


@dataclass(frozen=True, slots=True)
class FunnelPoint:
    key: str
    label: str
    numerator: float
    denominator: float
    value: float  # page scale
    limits: FunnelLimits
    band: Band
    side: Side | None  # "up" above the centre-line limits, "down" below; None when inside

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "lower95": self.limits.lower95,
            "upper95": self.limits.upper95,
            "lower998": self.limits.lower998,
            "upper998": self.limits.upper998,
            "band": self.band,
            "side": self.side,
        }


@dataclass(frozen=True, slots=True)
class FunnelResult:
    chart: FunnelChart
    scale: float  # internal value x scale = page value (100 for p, the multiplier for u)
    centre: float | None  # page scale; None without any denominator
    numerator_total: float
    denominator_total: float
    points: tuple[FunnelPoint, ...]
    # Keys of inputs without a positive denominator (no data in the window): listed, not plotted.
    excluded: tuple[str, ...]

    def limits_at(self, n: float) -> FunnelLimits | None:
        """The limits for a denominator ``n`` (for drawing the funnel curves)."""
        if self.centre is None or n <= 0:
            return None
        return _limits(self.centre / self.scale, n, self.chart, self.scale)

    def curve(self, n_from: float, n_to: float, steps: int = 80) -> tuple[FunnelLimits, ...]:
        """Limits at ``steps`` denominators spaced evenly on a log scale from ``n_from`` to ``n_to``."""
        if self.centre is None or n_from <= 0 or n_to < n_from or steps < 2:
            return ()
        ratio = math.log(n_to / n_from) / (steps - 1)
        found = (self.limits_at(n_from * math.exp(ratio * i)) for i in range(steps))
        return tuple(limits for limits in found if limits is not None)

    @property
    def outliers(self) -> tuple[FunnelPoint, ...]:
        return tuple(p for p in self.points if p.band != "inside")

    def to_dict(self) -> dict[str, Any]:
        return {
            "chart": self.chart,
            "scale": self.scale,
            "centre": self.centre,
            "numerator_total": self.numerator_total,
            "denominator_total": self.denominator_total,
            "z95": Z95,
            "z998": Z998,
            "points": [p.to_dict() for p in self.points],
            "excluded": list(self.excluded),
        }


def _band(chart: FunnelChart, centre: float, n: float, z: float) -> tuple[float, float]:
    """Lower and upper limit on the internal scale."""
    if chart == "p":
        half = z * math.sqrt(centre * (1.0 - centre) / n)
        return max(centre - half, 0.0), min(centre + half, 1.0)
    half = z * math.sqrt(centre / n)
    return max(centre - half, 0.0), centre + half


def _limits(centre: float, n: float, chart: FunnelChart, scale: float) -> FunnelLimits:
    """Both limit pairs around the internal-scale ``centre`` for denominator ``n``, times ``scale``."""
    lower95, upper95 = _band(chart, centre, n, Z95)
    lower998, upper998 = _band(chart, centre, n, Z998)
    return FunnelLimits(n, lower95, upper95, lower998, upper998).scaled(scale)


def _outside(value: float, lower: float, upper: float) -> Side | None:
    if value > upper + TOLERANCE * max(1.0, abs(upper)):
        return "up"
    if value < lower - TOLERANCE * max(1.0, abs(lower)):
        return "down"
    return None


def _check(unit: FunnelInput, chart: FunnelChart) -> None:
    if not (math.isfinite(unit.numerator) and math.isfinite(unit.denominator)):
        raise AnalysisInputError(f"{unit.key}: numerator and denominator must be finite")
    if unit.numerator < 0 or unit.denominator < 0:
        raise AnalysisInputError(f"{unit.key}: numerator and denominator must not be negative")
    if chart == "p" and unit.numerator > unit.denominator:
        raise AnalysisInputError(f"{unit.key}: a proportion's numerator cannot exceed its denominator")


def funnel(units: Iterable[FunnelInput], *, chart: FunnelChart, multiplier: float = 1.0) -> FunnelResult:
    """Pool the inputs into the programme mean and place each one against its limits.

    ``multiplier`` scales rates for display (u only); proportions are shown in percent. Inputs with
    a zero denominator are reported in ``excluded``. Raises AnalysisInputError for negative or
    non-finite numbers, a proportion above 1, or a non-positive multiplier.
    """
    if chart not in ("p", "u"):
        raise AnalysisInputError(f"a funnel plot needs proportions (p) or rates (u), not {chart!r}")
    if not (math.isfinite(multiplier) and multiplier > 0):
        raise AnalysisInputError("the rate multiplier must be a positive number")
    scale = 100.0 if chart == "p" else multiplier
    items: Sequence[FunnelInput] = list(units)
    for unit in items:
        _check(unit, chart)
    plotted = [u for u in items if u.denominator > 0]
    excluded = tuple(u.key for u in items if u.denominator <= 0)
    numerator_total = math.fsum(u.numerator for u in plotted)
    denominator_total = math.fsum(u.denominator for u in plotted)
    if not plotted:
        return FunnelResult(chart, scale, None, numerator_total, denominator_total, (), excluded)
    centre = numerator_total / denominator_total
    points = []
    for unit in plotted:
        value = unit.numerator / unit.denominator
        limits = _limits(centre, unit.denominator, chart, 1.0)
        side998 = _outside(value, limits.lower998, limits.upper998)
        side95 = _outside(value, limits.lower95, limits.upper95)
        band: Band = "outside_998" if side998 else "outside_95" if side95 else "inside"
        points.append(
            FunnelPoint(
                key=unit.key,
                label=unit.label,
                numerator=unit.numerator,
                denominator=unit.denominator,
                value=value * scale,
                limits=limits.scaled(scale),
                band=band,
                side=side998 or side95,
            )
        )
    return FunnelResult(chart, scale, centre * scale, numerator_total, denominator_total, tuple(points), excluded)
