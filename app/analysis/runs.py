"""Runs around a centre line and the Anhøj rules (qicharts2's default runs analysis).

A point exactly on the centre line is "not useful": it neither belongs to a run nor breaks one.
"Exactly" allows for floating-point noise (DESIGN §3): |y - CL| <= 1e-9 * max(1, |CL|).
"""

from __future__ import annotations

import itertools
import math
import operator
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from itertools import compress, repeat
from typing import NamedTuple

from app.analysis.types import RunsAnalysis

ON_LINE_TOLERANCE = 1e-9

# R's qbinom lowers p by a few machine epsilons before searching, so that a cumulative probability
# that equals p up to rounding still counts as reaching it (left continuity). 64 epsilons is the
# factor in R up to 4.1 (later versions use 8). We sum the binomial distribution exactly, so the
# fuzz only matters if an exact cumulative probability were within 1e-14 of p; for p = 0.05 and up
# to 6,000 trials the closest one is 5e-7 away, hence R's answer whichever factor it uses.
_QBINOM_FUZZ = 1 - 64 * sys.float_info.epsilon


def side_of(y: float, cl: float) -> int:
    """+1 above the centre line, -1 below, 0 on it (within the tolerance)."""
    diff = y - cl
    if abs(diff) <= ON_LINE_TOLERANCE * max(1.0, abs(cl)):
        return 0
    return 1 if diff > 0 else -1


def sides(values: Sequence[float], cl: float) -> list[int]:
    """`side_of` for many values against one centre line."""
    tolerance = ON_LINE_TOLERANCE * max(1.0, abs(cl))
    low, high = cl - tolerance, cl + tolerance
    # (v > high) - (v < low) is the int 1, -1 or 0; mapped in C, it is cheap for long series.
    return list(map(operator.sub, map(operator.gt, values, repeat(high)), map(operator.lt, values, repeat(low))))


def _cuts(keys: Sequence[int]) -> list[int]:
    """0, every position where the key changes, and len(keys)."""
    return [0, *itertools.compress(range(1, len(keys)), map(operator.ne, keys[1:], keys)), len(keys)]


def stretches(keys: Sequence[int], minimum: int) -> list[tuple[int, int, int]]:
    """(first, last, key) of maximal stretches of equal non-zero keys at least `minimum` (>= 1) long.

    A zero key belongs to no stretch and separates the ones around it.
    """
    cuts = _cuts(keys)
    firsts, afters = cuts[:-1], cuts[1:]
    # Most stretches are short: pick the long ones column-wise, then look only at those.
    long = compress(range(len(firsts)), map(operator.le, repeat(minimum), map(operator.sub, afters, firsts)))
    return [(firsts[j], afters[j] - 1, keys[firsts[j]]) for j in long if keys[firsts[j]]]


class Run(NamedTuple):
    """A maximal sequence of useful points on one side; start/end are the caller's indices."""

    side: int
    start: int
    end: int
    length: int


@dataclass(frozen=True, slots=True)
class Runs:
    """The runs of one phase, column-wise (a long series has thousands of runs, and the rules only
    need their count, lengths and the few long ones): run k lies on side sides[k] (+1 above,
    -1 below) from point starts[k] to ends[k] and has lengths[k] useful points."""

    sides: list[int]
    starts: list[int]
    ends: list[int]
    lengths: list[int]

    def __len__(self) -> int:
        return len(self.lengths)

    def longer_than(self, limit: int) -> list[Run]:
        long = compress(range(len(self.lengths)), map(operator.lt, repeat(limit), self.lengths))
        return [Run(self.sides[k], self.starts[k], self.ends[k], self.lengths[k]) for k in long]


def runs_of(offset: int, point_sides: Sequence[int]) -> Runs:
    """Group consecutive sides into runs, skipping points on the line (side 0).

    Run indices are positions in `point_sides` plus `offset`.
    """
    useful = list(compress(range(offset, offset + len(point_sides)), point_sides))
    useful_sides = list(filter(None, point_sides))
    cuts = _cuts(useful_sides) if useful else [0]
    firsts, afters = cuts[:-1], cuts[1:]
    return Runs(
        sides=list(map(useful_sides.__getitem__, firsts)),
        starts=list(map(useful.__getitem__, firsts)),
        ends=list(map(useful.__getitem__, map(operator.sub, afters, repeat(1)))),
        lengths=list(map(operator.sub, afters, firsts)),
    )


@lru_cache(maxsize=4096)
def qbinom_half(p: float, size: int) -> int:
    """R's `qbinom(p, size, 0.5)`: the smallest k with P(X <= k) >= p for X ~ Binomial(size, 1/2).

    Computed with exact integers: P(X <= k) * 2**size = sum of C(size, j) for j <= k.
    """
    if size < 0 or not 0 < p < 1:
        raise ValueError(f"qbinom_half needs size >= 0 and 0 < p < 1, got size={size}, p={p}")
    threshold = Fraction(p * _QBINOM_FUZZ)
    # Compare cum / 2**size >= num / den as integers.
    scaled_target = threshold.numerator << size
    cumulative = 0
    coefficient = 1
    for k in range(size + 1):
        cumulative += coefficient
        if cumulative * threshold.denominator >= scaled_target:
            return k
        coefficient = coefficient * (size - k) // (k + 1)
    return size


def longest_run_max(n_useful: int) -> int:
    """Upper 95 % prediction limit for the longest run (Schilling 2012), as in qicharts2.

    Python's round() rounds halves to even like R's; log2 of an integer is never exactly .5 anyway.
    """
    return round(math.log2(n_useful)) + 3


def crossings_min(n_useful: int) -> int:
    """Lower 5 % prediction limit for the number of crossings (Chen 2010), as in qicharts2."""
    return qbinom_half(0.05, n_useful - 1)


def anhoej(n_obs: int, runs: Runs) -> RunsAnalysis:
    """Anhøj runs analysis of one phase from its runs (see `runs_of`)."""
    n_useful = sum(runs.lengths)
    if n_useful == 0:
        return RunsAnalysis(n_obs, 0, None, None, None, None, signal=False)
    longest = max(runs.lengths)
    crossings = len(runs) - 1
    limit_run = longest_run_max(n_useful)
    limit_crossings = crossings_min(n_useful)
    return RunsAnalysis(
        n_obs=n_obs,
        n_useful=n_useful,
        longest_run=longest,
        longest_run_max=limit_run,
        crossings=crossings,
        crossings_min=limit_crossings,
        signal=longest > limit_run or crossings < limit_crossings,
    )
