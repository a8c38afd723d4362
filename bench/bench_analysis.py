"""Time `app.analysis.analyse` on a 5,000-point series for every chart type and rule set.

Run by hand: `.venv/bin/python bench/bench_analysis.py [--points N] [--repeat R]`. Prints the median
wall-clock and CPU time of R runs in milliseconds per combination, once for the plain series and once
with a frozen baseline and two phase splits (the "phased" columns); the goal is under 20 ms each.
The first run of each combination is a warm-up (it fills the cache of binomial quantiles), so it
is not timed. The calibration line helps compare figures between machines.
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import time
import timeit
from collections.abc import Callable
from datetime import date

from app.analysis import (
    ChartType,
    DataType,
    Observation,
    RuleSet,
    analyse,
    period_from_index,
    period_index,
)

TARGET_MS = 20.0
CHARTS: dict[ChartType, DataType] = {"run": "value", "i": "value", "p": "proportion", "u": "rate", "c": "count"}
RULES: tuple[RuleSet, ...] = ("anhoej", "ihi", "mdc")


def _series(chart: ChartType, points: int, rng: random.Random) -> list[Observation]:
    """A weekly series with a level shift halfway and a few gaps, so every rule has work to do."""
    first = period_index("1930-W01")
    observations = []
    for k in range(points):
        period = period_from_index(first + k, "week")
        if k % 97 == 50:
            observations.append(Observation(period, None))
            continue
        shift = 1.15 if k > points // 2 else 1.0
        if chart in ("p", "u"):
            denominator = rng.randint(80, 120) * (1 if chart == "p" else 10)
            numerator = min(denominator, round(rng.gauss(0.4 * shift, 0.05) * (denominator if chart == "p" else 100)))
            scale = 100.0 if chart == "p" else 1.0
            observations.append(Observation(period, scale * numerator / denominator, numerator, denominator))
        else:
            observations.append(Observation(period, float(max(0, round(rng.gauss(30 * shift, 5))))))
    return observations


def _time(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU milliseconds of `repeat` runs.

    CPU time leaves out the time the process waited for a core, so it stays meaningful on a busy
    machine; on a quiet one the two agree.
    """
    run()  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - start_wall) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _phased(observations: list[Observation]) -> dict[str, object]:
    """A frozen 24-point baseline and new phases at one third and two thirds of the series."""
    count = len(observations)
    return {"freeze": 24, "phase_starts": (observations[count // 3].period, observations[2 * count // 3].period)}


def _calibration() -> float:
    """Milliseconds for sum(range(10**6)), to compare machines (about 10 ms on a quiet laptop)."""
    return min(timeit.repeat("sum(range(10**6))", number=1, repeat=5)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--points", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args()

    rng = random.Random(2026)
    print(f"analyse() on {args.points} points, median of {args.repeat} runs (goal < {TARGET_MS:.0f} ms)")
    print(f"machine calibration: sum(range(10**6)) takes {_calibration():.1f} ms")
    print(f"{'chart':<6}{'rules':<8}{'wall ms':>9}{'cpu ms':>9}{'phased wall':>13}{'phased cpu':>12}")
    worst = 0.0
    for chart, data_type in CHARTS.items():
        observations = _series(chart, args.points, rng)
        for rules in RULES:
            run = functools.partial(
                analyse,
                observations,
                data_type=data_type,
                chart=chart,
                rules=rules,
                direction="increase",
                baseline=30.0,
                target=40.0,
                target_date=date(2030, 12, 31),
                frequency="week",
                as_of=date(2026, 1, 1),
                rate_multiplier=1000.0 if data_type == "rate" else 1.0,
            )
            wall, cpu = _time(run, args.repeat)
            phased_wall, phased_cpu = _time(functools.partial(run, **_phased(observations)), args.repeat)
            worst = max(worst, cpu, phased_cpu)
            print(f"{chart:<6}{rules:<8}{wall:>9.2f}{cpu:>9.2f}{phased_wall:>13.2f}{phased_cpu:>12.2f}")
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"slowest (CPU): {worst:.2f} ms, {verdict} the {TARGET_MS:.0f} ms goal")


if __name__ == "__main__":
    main()
