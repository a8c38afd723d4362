"""IHI run chart rules (Perla, Provost & Murray 2011): shifts, trends and the number of runs."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress

from app.analysis.runs import Run, Runs, stretches

MIN_SHIFT = 6  # points on one side of the centre line
MIN_TREND = 5  # points all going up or all going down

# Expected number of runs for n useful points (points not on the median) under random variation:
# a count outside [low, high] is too few or too many runs.
#
# Source: the Swed-Eisenhart runs distribution (F. S. Swed & C. Eisenhart, "Tables for testing
# randomness of grouping in a sequence of alternatives", Ann. Math. Statist. 14 (1943) 66-87),
# which Provost & Murray, "The Health Care Data Guide" (2011), tabulate for 10-60 useful points.
# The values below are the exact two-sided 5 % critical values (at most 2.5 % in each tail) with
# the useful points split as evenly as the median splits them: floor(n/2) on one side, ceil(n/2)
# on the other. tests/analysis/test_ihi.py recomputes every row from the exact distribution.
#
# Not the printed table of Perla, Provost & Murray (BMJ Qual Saf 2011;20:46-51, Table 1): that
# table could not be obtained from a source we could check (the only copy found, in an unrelated
# public repository, stops at 40 points and differs from the exact values in many rows, e.g.
# 7-17 runs for 22 points where the exact range is 8-16). See README, "Decisions where the design
# left room". If the paper's table is verified, it can replace these rows as a literal table.
RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (4, 9), 12: (4, 10), 13: (4, 11), 14: (4, 12), 15: (5, 12),
    16: (5, 13), 17: (6, 13), 18: (6, 14), 19: (6, 15), 20: (7, 15), 21: (7, 16),
    22: (8, 16), 23: (8, 17), 24: (8, 18), 25: (9, 18), 26: (9, 19), 27: (10, 19),
    28: (10, 20), 29: (10, 21), 30: (11, 21), 31: (11, 22), 32: (12, 22), 33: (12, 23),
    34: (12, 24), 35: (13, 24), 36: (13, 25), 37: (14, 25), 38: (14, 26), 39: (14, 26),
    40: (15, 27), 41: (15, 28), 42: (16, 28), 43: (16, 29), 44: (17, 29), 45: (17, 30),
    46: (17, 31), 47: (18, 31), 48: (18, 32), 49: (19, 32), 50: (19, 33), 51: (20, 33),
    52: (20, 34), 53: (20, 35), 54: (21, 35), 55: (21, 36), 56: (22, 36), 57: (22, 37),
    58: (23, 37), 59: (23, 38), 60: (24, 38),
}  # fmt: skip
MIN_USEFUL_FOR_RUNS = min(RUNS_TABLE)


@dataclass(frozen=True, slots=True)
class Trend:
    start: int
    end: int
    direction: int  # +1 up, -1 down


def shifts(runs: Runs) -> list[Run]:
    """Runs long enough to be a shift (points on the centre line were already left out)."""
    return runs.longer_than(MIN_SHIFT - 1)


def trends(y: Sequence[float], start: int, end: int) -> list[Trend]:
    """Maximal monotone stretches of at least MIN_TREND points within y[start..end].

    A value equal to the previous one neither counts nor breaks the trend. A turning point ends
    one trend and starts the next.
    """
    if end < start:
        return []
    # Collapse repeated values to their first point; the steps between the rest are never flat,
    # so (up) - (down) is +1 or -1. Column-wise maps keep long series cheap.
    distinct = [start, *compress(range(start + 1, end + 1), map(operator.ne, y[start + 1 : end + 1], y[start:end]))]
    levels = list(map(y.__getitem__, distinct))
    steps = list(map(operator.sub, map(operator.gt, levels[1:], levels), map(operator.lt, levels[1:], levels)))
    # Step j leads from point distinct[j] to distinct[j + 1]; MIN_TREND points take MIN_TREND - 1 steps.
    return [Trend(distinct[a], distinct[b + 1], key) for a, b, key in stretches(steps, MIN_TREND - 1)]


def runs_range(n_useful: int) -> tuple[int, int] | None:
    """The expected range of the number of runs; None outside the table (fewer than 10 or over 60)."""
    return RUNS_TABLE.get(n_useful)
