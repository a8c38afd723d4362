"""Deterministic demo measurements from a SeriesSpec.

Only ``random.Random(spec.seed)`` is used, so the same spec gives the same points in every run and on every
platform. Gap periods consume their random draws too, so adding a gap does not change the other points.
"""

from __future__ import annotations

import math
import random

from seed.content.types import DataType, GeneratedPoint, LevelSpec, MeasureSpec, SeriesSpec

__all__ = ["GeneratedPoint", "generate_measure_series", "generate_series", "level_mean"]

# Above this expected count a normal approximation replaces Knuth's Poisson sampler.
_POISSON_EXACT_LIMIT = 30.0


def _level_at(levels: tuple[LevelSpec, ...], index: int) -> LevelSpec:
    current = levels[0]
    for level in levels:
        if level.from_period <= index:
            current = level
    return current


def level_mean(spec: SeriesSpec, index: int) -> float:
    """The generator's underlying mean at ``index`` (before noise), in the level's units."""
    level = _level_at(spec.levels, index)
    return level.mean + level.drift_per_period * (index - level.from_period)


def _clip(x: float, low: float | None, high: float | None) -> float:
    if low is not None:
        x = max(low, x)
    if high is not None:
        x = min(high, x)
    return x


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0.0:
        return 0
    if lam > _POISSON_EXACT_LIMIT:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit = math.exp(-lam)
    k = 0
    p = rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _binomial(rng: random.Random, n: int, p: float) -> int:
    return sum(1 for _ in range(n) if rng.random() < p)


def _denominator(rng: random.Random, spec: SeriesSpec) -> int:
    if spec.denominator_mean is None:
        raise ValueError("proportion and rate series need denominator_mean")
    return max(1, round(rng.gauss(spec.denominator_mean, spec.denominator_sd)))


def _point(
    rng: random.Random, spec: SeriesSpec, data_type: DataType, index: int, rate_multiplier: float
) -> GeneratedPoint:
    level = _level_at(spec.levels, index)
    mean = level_mean(spec, index)
    if data_type == "proportion":
        denominator = _denominator(rng, spec)
        percent = _clip(rng.gauss(mean, level.sd), spec.clip_min, spec.clip_max)
        p = min(1.0, max(0.0, percent / 100.0))
        numerator = _binomial(rng, denominator, p)
        return GeneratedPoint(index, 100.0 * numerator / denominator, float(numerator), float(denominator))
    if data_type == "rate":
        denominator = _denominator(rng, spec)
        rate = max(0.0, _clip(rng.gauss(mean, level.sd), spec.clip_min, spec.clip_max))
        numerator = _poisson(rng, rate * denominator / rate_multiplier)
        value = numerator / denominator * rate_multiplier
        return GeneratedPoint(index, value, float(numerator), float(denominator))
    if data_type == "count":
        lam = max(0.0, rng.gauss(mean, level.sd)) if level.sd > 0 else max(0.0, mean)
        count = float(_poisson(rng, lam))
        return GeneratedPoint(index, max(0.0, _clip(count, spec.clip_min, spec.clip_max)), None, None)
    raw = _clip(rng.gauss(mean, level.sd), spec.clip_min, spec.clip_max)
    value = float(round(raw)) if spec.integer else round(raw, spec.decimals)
    return GeneratedPoint(index, value, None, None)


def generate_series(spec: SeriesSpec, data_type: DataType, *, rate_multiplier: float = 1.0) -> list[GeneratedPoint]:
    """Generate the measurements of one series, in period order, gap periods omitted.

    proportion: integer numerator <= integer denominator > 0, value = 100 * numerator / denominator.
    rate: integer numerator >= 0, integer denominator > 0, value = numerator / denominator * rate_multiplier.
    count: non-negative integer value. value: finite, rounded to ``spec.decimals`` (or an integer).
    """
    if not spec.levels or spec.levels[0].from_period != 0:
        raise ValueError("the first level must start at period 0")
    rng = random.Random(spec.seed)
    comments = dict(spec.comments)
    gaps = set(spec.gaps)
    points: list[GeneratedPoint] = []
    for index in range(spec.n_periods):
        point = _point(rng, spec, data_type, index, rate_multiplier)
        if index in gaps:
            continue
        if index in comments:
            point = GeneratedPoint(point.index, point.value, point.numerator, point.denominator, comments[index])
        points.append(point)
    return points


def generate_measure_series(measure: MeasureSpec) -> list[GeneratedPoint]:
    """``generate_series`` with the measure's own data type and rate multiplier."""
    return generate_series(measure.series, measure.data_type, rate_multiplier=measure.rate_multiplier)
